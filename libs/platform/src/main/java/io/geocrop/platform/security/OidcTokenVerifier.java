package io.geocrop.platform.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Verifies the service-account JWTs Knative Eventing attaches to deliveries: RS256 signature by a key of the JWKS
 * (cached, refetched when a token names an unknown {@code kid}), issuer, audience, expiry and not-before.
 */
public final class OidcTokenVerifier {
    private final DefaultJWTProcessor<SecurityContext> processor;

    public OidcTokenVerifier(OidcSettings settings) {
        if (settings.issuer() == null || settings.issuer().isBlank()
                || settings.audience() == null || settings.audience().isBlank()) {
            throw new IllegalStateException("geocrop.internal.oidc.enabled needs geocrop.internal.oidc.issuer and "
                    + "geocrop.internal.oidc.audience (GEOCROP_INTERNAL_OIDC_ISSUER, GEOCROP_INTERNAL_OIDC_AUDIENCE)");
        }
        DefaultResourceRetriever retriever = new DefaultResourceRetriever(2_000, 2_000, 512 * 1024, true,
                sslFactory(Path.of(settings.jwksCaFile())));
        Path bearer = Path.of(settings.jwksBearerFile());
        if (Files.isReadable(bearer)) {
            try {
                retriever.setHeaders(Map.of("Authorization", List.of("Bearer " + Files.readString(bearer).trim())));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + bearer + ": " + e.getMessage(), e);
            }
        }
        JWKSource<SecurityContext> keys;
        try {
            keys = JWKSourceBuilder.create(URI.create(settings.jwksUri()).toURL(), retriever)
                    .cache(settings.jwksCacheTtl().toMillis(), 2_000)
                    .rateLimited(settings.jwksMinRefresh().toMillis())
                    .refreshAheadCache(false)
                    .retrying(false)
                    .build();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalStateException("geocrop.internal.oidc.jwks-uri is not a URL: " + settings.jwksUri(), e);
        }
        processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(settings.audience(),
                new JWTClaimsSet.Builder().issuer(settings.issuer()).build(), Set.of("exp", "iat", "sub")));
    }

    /** Whether {@code token} is a valid delivery token; never throws. */
    public boolean verify(String token) {
        try {
            processor.process(token, null);
            return true;
        } catch (Exception e) { // ParseException, BadJOSEException, JOSEException: all mean "not authenticated"
            return false;
        }
    }

    private static javax.net.ssl.SSLSocketFactory sslFactory(Path caFile) {
        if (!Files.isReadable(caFile)) {
            return null;
        }
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, cert);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the CA bundle " + caFile + ": " + e.getMessage(), e);
        }
    }
}
