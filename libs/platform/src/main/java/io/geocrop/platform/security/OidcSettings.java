package io.geocrop.platform.security;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * {@code geocrop.internal.oidc.*}: Knative Eventing's OIDC deliveries (feature {@code authentication-oidc}): the
 * Broker, Triggers and PingSource attach a service-account JWT whose audience is the subscriber.
 *
 * @param enabled            verify such tokens on internal state-changing routes
 * @param jwksUri            where the signing keys are (the API server's by default)
 * @param issuer             the required {@code iss} (the cluster's service-account issuer)
 * @param audience           the required {@code aud} (the subscriber's audience Knative computed)
 * @param jwksCacheTtl       how long fetched keys are trusted; an unknown {@code kid} refreshes earlier
 * @param jwksMinRefresh     least time between two refreshes caused by unknown keys (stops a flood of made-up kids
 *                           from hammering the API server)
 * @param jwksBearerFile     a token file sent as {@code Authorization: Bearer} to the JWKS endpoint when it exists
 *                           (the API server serves its keys to authenticated service accounts)
 * @param jwksCaFile         a PEM CA bundle trusted for the JWKS endpoint when it exists (the cluster CA)
 */
@ConfigurationProperties("geocrop.internal.oidc")
public record OidcSettings(
        @Bindable(defaultValue = "false") boolean enabled,
        @Bindable(defaultValue = "https://kubernetes.default.svc/openid/v1/jwks") String jwksUri,
        @Nullable String issuer,
        @Nullable String audience,
        @Bindable(defaultValue = "15m") Duration jwksCacheTtl,
        @Bindable(defaultValue = "10s") Duration jwksMinRefresh,
        @Bindable(defaultValue = "/var/run/secrets/kubernetes.io/serviceaccount/token") String jwksBearerFile,
        @Bindable(defaultValue = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt") String jwksCaFile) {}
