package io.geocrop.embedded.web;

import io.micronaut.http.MediaType;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The built web app (module {@code web}: Vite's {@code dist/}) as classpath resources under {@code public/}.
 * Paths are checked before any lookup, so no request reaches a resource outside {@code public/}.
 */
@Singleton
public final class WebAppResources {
    /** Where the geocrop-web jar puts the built app. */
    public static final String ROOT = "public/";
    /** Vite's output names: letters, digits, dot, dash, underscore, one directory level at most below assets/. */
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}(/[A-Za-z0-9_-][A-Za-z0-9._-]{0,127})?");

    private final ClassLoader loader = WebAppResources.class.getClassLoader();
    private volatile byte[] index;

    /** True when the path is one Vite could have written: no {@code ..}, no leading dot or slash, short. */
    static boolean isSafe(String path) {
        return path != null && SAFE.matcher(path).matches() && !path.contains("..");
    }

    /** A file of the app, e.g. {@code assets/index-abc.js}; empty when absent or when the path is not safe. */
    public Optional<URL> find(String path) {
        if (!isSafe(path)) {
            return Optional.empty();
        }
        return Optional.ofNullable(loader.getResource(ROOT + path));
    }

    /** index.html, read once (it is small and asked for on every page load). Empty when the app is not built in. */
    public Optional<byte[]> index() {
        byte[] cached = index;
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<URL> url = find("index.html");
        if (url.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream in = url.get().openStream()) {
            cached = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + url.get() + ": " + e.getMessage(), e);
        }
        index = cached;
        return Optional.of(cached);
    }

    /** The content type of an app file by its extension. */
    static MediaType mediaType(String path) {
        String p = path.toLowerCase(java.util.Locale.ROOT);
        if (p.endsWith(".js") || p.endsWith(".mjs")) {
            return MediaType.of("text/javascript;charset=utf-8");
        }
        if (p.endsWith(".css")) {
            return MediaType.of("text/css;charset=utf-8");
        }
        if (p.endsWith(".html")) {
            return MediaType.TEXT_HTML_TYPE;
        }
        if (p.endsWith(".json") || p.endsWith(".geojson")) {
            return MediaType.APPLICATION_JSON_TYPE;
        }
        if (p.endsWith(".svg")) {
            return MediaType.of("image/svg+xml");
        }
        if (p.endsWith(".png")) {
            return MediaType.IMAGE_PNG_TYPE;
        }
        if (p.endsWith(".woff2")) {
            return MediaType.of("font/woff2");
        }
        return MediaType.APPLICATION_OCTET_STREAM_TYPE;
    }
}
