package io.geocrop.submit;

import io.geocrop.platform.HttpTestClient;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.geocrop.platform.EmbeddedTestProperties;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Knative Eventing OIDC deliveries to an internal route, with the real verifier: RSA keys generated here, their JWKS
 * served on loopback, tokens signed as the cluster's service-account issuer would sign them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OidcDeliveryTest {
    private static final String ISSUER = "https://kubernetes.default.svc.cluster.local";
    private static final String AUDIENCE = "submit-job-internal";

    private HttpServer jwks;
    private final AtomicReference<JWKSet> published = new AtomicReference<>();
    private final AtomicInteger fetches = new AtomicInteger();
    private RSAKey key;
    private EmbeddedServer server;
    private HttpTestClient http;

    @BeforeAll
    void start() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("k1").generate();
        published.set(new JWKSet(key.toPublicJWK()));
        jwks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        jwks.createContext("/openid/v1/jwks", exchange -> {
            fetches.incrementAndGet();
            byte[] body = published.get().toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        jwks.start();
        Map<String, Object> props = new HashMap<>(EmbeddedTestProperties.with(Map.of(
                "geocrop.http.surface", "internal",
                "geocrop.internal.oidc.enabled", "true",
                "geocrop.internal.oidc.jwks-uri", "http://127.0.0.1:" + jwks.getAddress().getPort() + "/openid/v1/jwks",
                "geocrop.internal.oidc.issuer", ISSUER,
                "geocrop.internal.oidc.audience", AUDIENCE,
                "geocrop.internal.oidc.jwks-min-refresh", "1ms",
                "geocrop.internal.oidc.jwks-bearer-file", "/nonexistent",
                "geocrop.internal.oidc.jwks-ca-file", "/nonexistent")));
        server = ApplicationContext.run(EmbeddedServer.class, props);
        http = new HttpTestClient(server.getURI());
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
        jwks.stop(0);
    }

    private static String token(RSAKey signer, String issuer, String audience, long expiresInSeconds) throws Exception {
        long now = System.currentTimeMillis();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer).audience(List.of(audience))
                .subject("system:serviceaccount:knative-eventing:mt-broker-ingress")
                .issueTime(new Date(now - 1_000)).expirationTime(new Date(now + expiresInSeconds * 1_000)).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signer.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(signer));
        return jwt.serialize();
    }

    private int reconcile(String bearer) {
        return http.send("POST", "/internal/reconcile", "application/json", "{}".getBytes(StandardCharsets.UTF_8),
                bearer == null ? Map.of() : Map.of("Authorization", "Bearer " + bearer)).status();
    }

    @Test
    void verifiesSignatureIssuerAudienceAndExpiry() throws Exception {
        assertEquals(200, reconcile(token(key, ISSUER, AUDIENCE, 300)), "a valid delivery token");
        assertEquals(401, reconcile(null), "no token");
        assertEquals(401, reconcile(token(key, ISSUER, "tile-render-internal", 300)), "another subscriber's audience");
        assertEquals(401, reconcile(token(key, "https://evil.example", AUDIENCE, 300)), "another issuer");
        assertEquals(401, reconcile(token(key, ISSUER, AUDIENCE, -120)), "expired");
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("k1").generate();
        assertEquals(401, reconcile(token(stranger, ISSUER, AUDIENCE, 300)), "same kid, another private key");
        String valid = token(key, ISSUER, AUDIENCE, 300);
        String[] parts = valid.split("\\.");
        assertEquals(401, reconcile(parts[0] + "." + parts[1] + "."), "signature stripped");
    }

    @Test
    void aRotatedKeyIsFetchedWhenATokenNamesIt() throws Exception {
        assertEquals(200, reconcile(token(key, ISSUER, AUDIENCE, 300)));
        int before = fetches.get();
        RSAKey rotated = new RSAKeyGenerator(2048).keyID("k2-" + UUID.randomUUID()).generate();
        published.set(new JWKSet(List.of(key.toPublicJWK(), rotated.toPublicJWK())));
        Thread.sleep(5); // past the 1 ms least refresh interval configured above
        assertEquals(200, reconcile(token(rotated, ISSUER, AUDIENCE, 300)), "the unknown kid refreshed the JWKS");
        assertEquals(before + 1, fetches.get(), "one refresh for the new kid");
        assertEquals(200, reconcile(token(key, ISSUER, AUDIENCE, 300)));
        assertEquals(before + 1, fetches.get(), "known keys come from the cache");
    }
}
