package io.geocrop.platform.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Who may call the internal state-changing routes. With the internal token ({@code geocrop.internal.token}) or
 * Knative OIDC configured, a request must carry {@code Authorization: Bearer} with the token or a valid delivery
 * JWT, on every surface. With neither configured: on the {@code internal} surface the cluster-local Service and
 * the NetworkPolicies are the only fence (logged as a warning at start-up); on the {@code all} surface (the
 * embedded runtime) only the socket peer on loopback may call, so a laptop's {@code ./geocrop serve} works with no
 * token and a server bound to a public address does not open its internal routes.
 */
public final class InternalAuth {
    /** The outcome for one request. */
    public enum Verdict { ALLOWED, MISSING_CREDENTIAL, BAD_CREDENTIAL, NOT_LOOPBACK }

    private final byte[] token;
    private final OidcTokenVerifier oidc;
    private final HttpSurface surface;

    public InternalAuth(@Nullable String token, @Nullable OidcTokenVerifier oidc, HttpSurface surface) {
        this.token = token == null || token.isBlank() ? null : token.trim().getBytes(StandardCharsets.UTF_8);
        this.oidc = oidc;
        this.surface = surface;
    }

    /** Whether any credential is configured. */
    public boolean configured() {
        return token != null || oidc != null;
    }

    public Verdict check(HttpRequest<?> request) {
        if (!configured()) {
            return surface == HttpSurface.ALL && !ClientAddress.peerIsLoopback(request) ? Verdict.NOT_LOOPBACK : Verdict.ALLOWED;
        }
        String auth = request.getHeaders().getAuthorization().orElse(null);
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7) || auth.length() <= 7) {
            return Verdict.MISSING_CREDENTIAL;
        }
        String presented = auth.substring(7).trim();
        if (token != null && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), token)) {
            return Verdict.ALLOWED;
        }
        if (oidc != null && presented.chars().filter(c -> c == '.').count() == 2 && oidc.verify(presented)) {
            return Verdict.ALLOWED;
        }
        return Verdict.BAD_CREDENTIAL;
    }
}
