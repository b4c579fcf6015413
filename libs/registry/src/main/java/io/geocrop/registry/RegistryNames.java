package io.geocrop.registry;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The names a registry accepts, the same for every backend so that a name valid in the bucket is valid in MLflow
 * and the other way round. They become object-key segments and MLflow URL parameters, so they are kept to a small
 * alphabet: lower case only, because a local store on a case-insensitive filesystem (macOS, Windows) would
 * otherwise merge {@code Crop} and {@code crop}.
 */
public final class RegistryNames {

    /** Longest registered model name. */
    public static final int MAX_NAME_LENGTH = 100;
    /** Longest alias. */
    public static final int MAX_ALIAS_LENGTH = 63;

    private static final Pattern NAME = Pattern.compile("[a-z0-9](?:[a-z0-9._-]{0," + (MAX_NAME_LENGTH - 2) + "}[a-z0-9])?");
    // MLflow's own alias rule is [\w-]*, without "latest" and without v<digits> (those name versions).
    private static final Pattern ALIAS = Pattern.compile("[a-z0-9][a-z0-9_-]{0," + (MAX_ALIAS_LENGTH - 1) + "}");
    private static final Pattern VERSION_LIKE = Pattern.compile("v[0-9]+");
    private static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,17}");

    private RegistryNames() {}

    /**
     * Checks a registered model name: 1 to {@value #MAX_NAME_LENGTH} lower-case letters, digits, {@code .},
     * {@code _} or {@code -}, starting and ending with a letter or digit, no {@code ..}.
     *
     * @return {@code name}, unchanged
     * @throws IllegalArgumentException naming the field and the rule
     */
    public static String requireModelName(String name) {
        if (name == null || !NAME.matcher(name).matches() || name.contains("..")) {
            throw new IllegalArgumentException("model name " + quote(name) + " is not allowed: use 1 to "
                    + MAX_NAME_LENGTH + " lower-case letters, digits, '.', '_' or '-', starting and ending with a "
                    + "letter or digit (e.g. geocrop-crop-type)");
        }
        return name;
    }

    /**
     * Checks an alias: 1 to {@value #MAX_ALIAS_LENGTH} lower-case letters, digits, {@code _} or {@code -},
     * starting with a letter or digit; not {@code latest} and not {@code v<digits>}, which MLflow reserves.
     *
     * @return {@code alias}, unchanged
     * @throws IllegalArgumentException naming the field and the rule
     */
    public static String requireAlias(String alias) {
        if (alias == null || !ALIAS.matcher(alias).matches()) {
            throw new IllegalArgumentException("model alias " + quote(alias) + " is not allowed: use 1 to "
                    + MAX_ALIAS_LENGTH + " lower-case letters, digits, '_' or '-', starting with a letter or digit "
                    + "(e.g. champion)");
        }
        if (alias.equals("latest") || VERSION_LIKE.matcher(alias).matches()) {
            throw new IllegalArgumentException("model alias " + quote(alias)
                    + " is not allowed: 'latest' and 'v<number>' are reserved by MLflow for versions");
        }
        return alias;
    }

    /**
     * Checks a version: a positive decimal number without leading zeros, as registries assign them.
     *
     * @return {@code version}, unchanged
     * @throws IllegalArgumentException naming the field
     */
    public static String requireVersion(String version) {
        if (version == null || !VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("model version " + quote(version)
                    + " is not allowed: use a positive whole number such as 3");
        }
        return version;
    }

    private static String quote(String s) {
        if (s == null) {
            return "<null>";
        }
        StringBuilder out = new StringBuilder("\"");
        int shown = Math.min(s.length(), 120);
        for (int i = 0; i < shown; i++) {
            char c = s.charAt(i);
            out.append(Character.isISOControl(c) ? String.format(Locale.ROOT, "\\u%04X", (int) c) : String.valueOf(c));
        }
        return out.append(shown < s.length() ? "...\"" : "\"").toString();
    }
}
