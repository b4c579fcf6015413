package io.geocrop.imagery.stac;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A host allowlist. Entries are host names or IP literals ({@code explorer.digitalearth.africa},
 * {@code 127.0.0.1}, {@code ::1}) or patterns: a leading {@code *.} allows every sub-domain
 * ({@code *.example.org}), any other {@code *} stands for part of one DNS label
 * ({@code deafrica-*.s3.af-south-1.amazonaws.com}). Matching ignores case.
 */
final class HostPatterns {
    private static final Pattern ENTRY = Pattern.compile("(\\*\\.)?[a-z0-9*:\\[\\]_-]+(\\.[a-z0-9*_-]+)*");

    private final List<Pattern> patterns;

    HostPatterns(Set<String> entries, String what) {
        this.patterns = entries.stream().map(e -> compile(e, what)).toList();
    }

    /** Normalises an entry (trimmed, lower case) and checks its form. */
    static String normalise(String entry, String what) {
        String e = entry == null ? "" : entry.trim().toLowerCase(Locale.ROOT);
        if (e.startsWith("[") && e.endsWith("]")) {
            e = e.substring(1, e.length() - 1);
        }
        if (e.isEmpty() || e.equals("*") || !ENTRY.matcher(e).matches()) {
            throw new IllegalArgumentException(what + ": '" + entry + "' is not a host name or host pattern");
        }
        return e;
    }

    private static Pattern compile(String entry, String what) {
        String e = normalise(entry, what);
        StringBuilder re = new StringBuilder();
        String rest = e;
        if (e.startsWith("*.")) {
            re.append("([a-z0-9_-]+\\.)+");
            rest = e.substring(2);
        }
        for (String part : rest.split("\\*", -1)) {
            re.append(Pattern.quote(part)).append("[a-z0-9_-]*");
        }
        re.setLength(re.length() - "[a-z0-9_-]*".length());
        return Pattern.compile(re.toString());
    }

    /** Whether the URL is http(s) and its host matches an entry. */
    boolean allows(URI uri) {
        if (uri == null || uri.getScheme() == null) {
            return false;
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return false;
        }
        String host = uri.getHost();
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        for (Pattern p : patterns) {
            if (p.matcher(h).matches()) {
                return true;
            }
        }
        return false;
    }
}
