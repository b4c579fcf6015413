package io.geocrop.storage;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The object-key layout of every GeoCrop bucket and the guard that every key passes before it reaches a storage
 * backend. Keeping both in one place means a key built here is, by construction, one the guard accepts.
 *
 * <p>Layout (brief section 5):
 * <ul>
 *   <li>{@link Bucket#FEATURES}: {@code jobs/<jobId>/<tileId>.tif}; user drops under {@code uploads/}</li>
 *   <li>{@link Bucket#RESULTS}: {@code results/<jobId>/tiles/<tileId>.tif}, {@code results/<jobId>/crop-map.tif},
 *       {@code results/<jobId>/imagery-manifest.json}</li>
 *   <li>{@link Bucket#BASELINES}: {@code dw/zim/summer/<year>/<fileName>}</li>
 *   <li>{@link Bucket#MODELS}: {@code models/<name>/<version>/<fileName>}</li>
 * </ul>
 */
public final class ObjectKeys {

    /** S3's limit on the length of a key, in UTF-8 bytes. */
    public static final int MAX_KEY_BYTES = 1024;
    /** Where extract-features writes one feature GeoTIFF per job tile ({@link Bucket#FEATURES}). */
    public static final String FEATURES_PREFIX = "jobs/";
    /** Where an operator drops feature GeoTIFFs to have them scored ({@link Bucket#FEATURES}). */
    public static final String UPLOADS_PREFIX = "uploads/";
    /** Where job results live ({@link Bucket#RESULTS}). */
    public static final String RESULTS_PREFIX = "results/";
    /** Where the Dynamic World baselines for Zimbabwe's summer seasons live ({@link Bucket#BASELINES}). */
    public static final String BASELINES_PREFIX = "dw/zim/summer/";
    /** Where model artifacts live ({@link Bucket#MODELS}). */
    public static final String MODELS_PREFIX = "models/";

    /**
     * Orders keys the way S3 lists them: by the bytes of their UTF-8 encoding, which is Unicode code point
     * order. {@link String#compareTo} differs for characters outside the Basic Multilingual Plane.
     */
    public static final Comparator<String> UTF8_ORDER = ObjectKeys::compareCodePoints;

    private static final String TIF = ".tif";
    // Double-encoded escapes (%252e) are decoded in rounds; three covers any realistic chain of re-encoding.
    private static final int MAX_DECODE_ROUNDS = 3;
    private static final int QUOTE_LIMIT = 100;

    private ObjectKeys() {}

    /**
     * Checks that {@code key} is safe to use as an object key on every backend and returns it unchanged.
     *
     * <p>Refused: {@code null} or blank keys; keys longer than {@value #MAX_KEY_BYTES} UTF-8 bytes; control
     * characters (U+0000..U+001F, U+007F..U+009F) and unpaired surrogates; any backslash; a leading {@code /};
     * a Windows drive prefix ({@code C:}); a trailing {@code /}; empty segments ({@code a//b}); segments that are
     * {@code .}, {@code ..} or only dots and spaces (Windows shortens {@code ".. "} to {@code ".."}); and keys
     * whose percent-decoded or NFKC-normalised forms would do any of that ({@code %2e%2e/x},
     * {@code \uFF0E\uFF0E/x}), because some tool on the way may decode them.
     *
     * @param key the candidate key
     * @return {@code key}, unchanged
     * @throws UnsafeKeyException naming the key and the reason
     */
    public static String requireSafe(String key) {
        if (key == null) {
            throw new UnsafeKeyException(null, "the key is null");
        }
        if (key.isBlank()) {
            throw new UnsafeKeyException(key, "the key is empty or blank");
        }
        String problem = characterProblem(key);
        if (problem != null) {
            throw new UnsafeKeyException(key, problem);
        }
        int bytes = utf8Length(key);
        if (bytes > MAX_KEY_BYTES) {
            throw new UnsafeKeyException(key, "the key is " + bytes + " bytes in UTF-8, more than the "
                    + MAX_KEY_BYTES + " S3 allows");
        }
        problem = pathProblem(key);
        if (problem != null) {
            throw new UnsafeKeyException(key, problem);
        }
        if (key.endsWith("/")) {
            throw new UnsafeKeyException(key, "it ends with '/', which names a folder, not an object");
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty()) {
                throw new UnsafeKeyException(key, "it has an empty path segment ('//')");
            }
        }
        for (String form : decodedForms(key)) {
            String decodedProblem = characterProblem(form);
            if (decodedProblem == null) {
                decodedProblem = pathProblem(form);
            }
            if (decodedProblem != null) {
                throw new UnsafeKeyException(key, "it decodes to " + quote(form) + " and then " + decodedProblem);
            }
        }
        return key;
    }

    /**
     * Checks a listing prefix: {@code ""} (everything) is allowed, and so is one trailing {@code /}; otherwise
     * the same rules as {@link #requireSafe(String)} apply.
     *
     * @param prefix the candidate prefix
     * @return {@code prefix}, unchanged
     * @throws UnsafeKeyException naming the prefix and the reason
     */
    public static String requireSafePrefix(String prefix) {
        if (prefix == null) {
            throw new UnsafeKeyException(null, "the prefix is null (use \"\" to list everything)");
        }
        if (prefix.isEmpty()) {
            return prefix;
        }
        String withoutSlash = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        try {
            requireSafe(withoutSlash);
        } catch (UnsafeKeyException e) {
            throw new UnsafeKeyException(prefix, e.reason());
        }
        return prefix;
    }

    /** {@code jobs/<jobId>/<tileId>.tif} in {@link Bucket#FEATURES}: the feature GeoTIFF of one job tile. */
    public static String featureTile(UUID jobId, String tileId) {
        return requireSafe(FEATURES_PREFIX + requireId(jobId) + "/" + requireSegment("tileId", tileId) + TIF);
    }

    /** {@code jobs/<jobId>/} in {@link Bucket#FEATURES}: lists the feature tiles of one job. */
    public static String featurePrefix(UUID jobId) {
        return requireSafePrefix(FEATURES_PREFIX + requireId(jobId) + "/");
    }

    /** {@code results/<jobId>/tiles/<tileId>.tif} in {@link Bucket#RESULTS}: one scored tile. */
    public static String resultTile(UUID jobId, String tileId) {
        return requireSafe(resultPrefix(jobId) + "tiles/" + requireSegment("tileId", tileId) + TIF);
    }

    /** {@code results/<jobId>/crop-map.tif} in {@link Bucket#RESULTS}: the job's assembled COG. */
    public static String resultCog(UUID jobId) {
        return requireSafe(resultPrefix(jobId) + "crop-map.tif");
    }

    /** {@code results/<jobId>/} in {@link Bucket#RESULTS}: everything a job produced. */
    public static String resultPrefix(UUID jobId) {
        return requireSafePrefix(RESULTS_PREFIX + requireId(jobId) + "/");
    }

    /** {@code results/<jobId>/imagery-manifest.json} in {@link Bucket#RESULTS}: the imagery items a job used. */
    public static String imageryManifest(UUID jobId) {
        return requireSafe(resultPrefix(jobId) + "imagery-manifest.json");
    }

    /** {@code dw/zim/summer/<year>/<fileName>} in {@link Bucket#BASELINES}: a Dynamic World baseline file. */
    public static String baseline(int year, String fileName) {
        return requireSafe(baselinePrefix(year) + requireSegment("fileName", fileName));
    }

    /** {@code dw/zim/summer/<year>/} in {@link Bucket#BASELINES}: the baselines of one season. */
    public static String baselinePrefix(int year) {
        // Four digits keep keys of different years the same length, so they also sort by year.
        if (year < 1000 || year > 9999) {
            throw new IllegalArgumentException("baseline year must have four digits, got " + year);
        }
        return requireSafePrefix(BASELINES_PREFIX + year + "/");
    }

    /** {@code models/<name>/<version>/<fileName>} in {@link Bucket#MODELS}: one artifact of a model version. */
    public static String model(String name, String version, String fileName) {
        return requireSafe(MODELS_PREFIX + requireSegment("name", name) + "/" + requireSegment("version", version)
                + "/" + requireSegment("fileName", fileName));
    }

    /**
     * Reads a key written by {@link #featureTile(UUID, String)} back into its parts.
     *
     * @param key any key of {@link Bucket#FEATURES}
     * @return the job id and tile id, or empty when the key is not exactly {@code jobs/<uuid>/<tileId>.tif}
     *         with a canonical lower-case UUID (user uploads and unsafe keys give empty, never an exception)
     */
    public static Optional<FeatureGeoTiffKey> parseFeatureTile(String key) {
        if (key == null || !key.startsWith(FEATURES_PREFIX) || !key.endsWith(TIF)) {
            return Optional.empty();
        }
        String[] parts = key.substring(FEATURES_PREFIX.length()).split("/", -1);
        if (parts.length != 2 || parts[1].length() <= TIF.length()) {
            return Optional.empty();
        }
        UUID jobId;
        try {
            jobId = UUID.fromString(parts[0]);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        // UUID.fromString accepts short forms such as "1-1-1-1-1"; only the canonical spelling round-trips.
        if (!jobId.toString().equals(parts[0])) {
            return Optional.empty();
        }
        String tileId = parts[1].substring(0, parts[1].length() - TIF.length());
        try {
            requireSafe(key);
        } catch (UnsafeKeyException e) {
            return Optional.empty();
        }
        return Optional.of(new FeatureGeoTiffKey(jobId, tileId));
    }

    /** Quotes a key for an error message, escaping what a terminal or log would otherwise hide or mangle. */
    static String quote(String key) {
        if (key == null) {
            return "<null>";
        }
        StringBuilder out = new StringBuilder(Math.min(key.length(), QUOTE_LIMIT) + 24).append('"');
        int shown = Math.min(key.length(), QUOTE_LIMIT);
        if (shown < key.length() && Character.isHighSurrogate(key.charAt(shown - 1))) {
            shown--; // never cut a surrogate pair in half
        }
        for (int i = 0; i < shown; i++) {
            char c = key.charAt(i);
            if (c == '\\' || c == '"') {
                out.append('\\').append(c);
            } else if (Character.isISOControl(c) || Character.isSurrogate(c) && !isPairedSurrogate(key, i)) {
                out.append(String.format("\\u%04X", (int) c));
            } else {
                out.append(c);
            }
        }
        if (shown < key.length()) {
            out.append("...\" (").append(key.length()).append(" chars)");
        } else {
            out.append('"');
        }
        return out.toString();
    }

    private static String requireId(UUID jobId) {
        return Objects.requireNonNull(jobId, "jobId must not be null").toString();
    }

    private static String requireSegment(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new UnsafeKeyException(value, field + " must not be null or empty");
        }
        if (value.indexOf('/') >= 0) {
            throw new UnsafeKeyException(value, field + " must be a single path segment, without '/'");
        }
        try {
            // On its own, so that "." or ".." cannot hide inside a longer name such as "..tif".
            requireSafe(value);
        } catch (UnsafeKeyException e) {
            throw new UnsafeKeyException(value, field + " is not a safe path segment: " + e.reason());
        }
        return value;
    }

    /** Control characters and lone surrogates: invisible in logs, refused or mangled by S3 and filesystems. */
    private static String characterProblem(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                return String.format("it contains the control character U+%04X at index %d", (int) c, i);
            }
            if (Character.isHighSurrogate(c) && isPairedSurrogate(s, i)) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return String.format("it contains an unpaired UTF-16 surrogate U+%04X at index %d", (int) c, i);
            }
        }
        return null;
    }

    /** What makes a path leave its folder, on Linux or on Windows. Empty segments are handled by the caller. */
    private static String pathProblem(String s) {
        if (s.startsWith("/")) {
            return "it starts with '/', which makes it an absolute path";
        }
        if (s.startsWith("\\")) {
            return "it starts with '\\', which makes it an absolute path on Windows";
        }
        if (s.indexOf('\\') >= 0) {
            return "it contains a backslash, a path separator on Windows";
        }
        if (s.length() >= 2 && s.charAt(1) == ':' && isAsciiLetter(s.charAt(0))) {
            return "it starts with a Windows drive ('" + s.substring(0, 2) + "')";
        }
        for (String segment : s.split("/", -1)) {
            if (segment.equals(".")) {
                return "it has a '.' path segment";
            }
            if (segment.equals("..")) {
                return "it has a '..' path segment, which climbs out of its folder";
            }
            if (!segment.isEmpty() && segment.chars().allMatch(c -> c == '.' || c == ' ')) {
                return "it has the path segment \"" + segment
                        + "\" made only of dots and spaces, which Windows shortens to '.' or '..'";
            }
        }
        return null;
    }

    /**
     * The forms another tool might turn the key into: its NFKC normalisation (fullwidth {@code \uFF0E} becomes
     * {@code .}, {@code \uFF0F} becomes {@code /}) and each round of percent-decoding, itself normalised.
     */
    private static List<String> decodedForms(String key) {
        List<String> forms = new ArrayList<>();
        String current = key;
        for (int round = 0; ; round++) {
            String normalized = Normalizer.normalize(current, Normalizer.Form.NFKC);
            if (round > 0) {
                forms.add(current);
            }
            if (!normalized.equals(current)) {
                forms.add(normalized);
            }
            if (round == MAX_DECODE_ROUNDS) {
                return forms;
            }
            // Decode the normalised form so that fullwidth escapes ("\uFF05\uFF12\uFF45") are decoded too.
            String decoded = percentDecode(key, normalized);
            if (decoded == null) {
                return forms;
            }
            current = decoded;
        }
    }

    /**
     * Decodes every valid {@code %XX} escape of {@code s} as UTF-8, leaving a lone {@code %} alone (as in
     * {@code 50% off.tif}).
     *
     * @return the decoded text, or {@code null} when {@code s} has no escapes
     * @throws UnsafeKeyException when the escaped bytes are not valid UTF-8: overlong forms such as
     *         {@code %C0%AE} are how naive decoders have been tricked into seeing {@code .}
     */
    private static String percentDecode(String originalKey, String s) {
        if (s.indexOf('%') < 0) {
            return null;
        }
        ByteBuffer bytes = ByteBuffer.allocate(utf8Length(s));
        boolean decodedAny = false;
        for (int i = 0; i < s.length(); ) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2))) {
                bytes.put((byte) Integer.parseInt(s, i + 1, i + 3, 16));
                decodedAny = true;
                i += 3;
            } else {
                int codePoint = s.codePointAt(i);
                bytes.put(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(codePoint);
            }
        }
        if (!decodedAny) {
            return null;
        }
        bytes.flip();
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = decoder.decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new UnsafeKeyException(originalKey, "its percent-escapes do not decode to valid UTF-8 "
                    + "(overlong or broken sequences can hide '.' or '/')");
        }
    }

    private static boolean isHex(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    private static boolean isAsciiLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean isPairedSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    /** UTF-8 length without allocating; lone surrogates count as the 1 byte '?' the encoder would write. */
    private static int utf8Length(String s) {
        int length = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                length += 1;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                length += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                length += 1;
            } else {
                length += 3;
            }
        }
        return length;
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }
}
