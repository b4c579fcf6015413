package io.geocrop.embedded.web;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * {@code geocrop.web.*}: the web app served at {@code /} by the embedded application (env {@code GEOCROP_WEB_*}).
 *
 * @param enabled     serve the web app and its SPA fallback (the files come from the geocrop-web jar)
 * @param osmBasemap  offer the online OpenStreetMap basemap by default (off: the demo must work offline)
 */
@ConfigurationProperties("geocrop.web")
public record WebSettings(
        @Bindable(defaultValue = "true") boolean enabled,
        @Bindable(defaultValue = "false") boolean osmBasemap) {}
