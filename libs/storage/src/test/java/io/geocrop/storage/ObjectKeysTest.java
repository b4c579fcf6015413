package io.geocrop.storage;

import io.geocrop.domain.JobTile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The key layout and the guard every key passes. */
class ObjectKeysTest {

    private static final UUID JOB = UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e");
    private static final String TILE = new JobTile(32736, 63, 1567).id();

    // ---------------------------------------------------------------- layout

    @Test
    void layoutOfEveryBucket() {
        assertEquals("jobs/0f8fad5b-d9cb-469f-a165-70867728950e/32736-63-1567.tif", ObjectKeys.featureTile(JOB, TILE));
        assertEquals("jobs/0f8fad5b-d9cb-469f-a165-70867728950e/", ObjectKeys.featurePrefix(JOB));
        assertEquals("uploads/", ObjectKeys.UPLOADS_PREFIX);
        assertEquals("results/0f8fad5b-d9cb-469f-a165-70867728950e/tiles/32736-63-1567.tif",
                ObjectKeys.resultTile(JOB, TILE));
        assertEquals("results/0f8fad5b-d9cb-469f-a165-70867728950e/crop-map.tif", ObjectKeys.resultCog(JOB));
        assertEquals("results/0f8fad5b-d9cb-469f-a165-70867728950e/", ObjectKeys.resultPrefix(JOB));
        assertEquals("results/0f8fad5b-d9cb-469f-a165-70867728950e/imagery-manifest.json",
                ObjectKeys.imageryManifest(JOB));
        assertEquals("dw/zim/summer/2023/dw-2023.tif", ObjectKeys.baseline(2023, "dw-2023.tif"));
        assertEquals("dw/zim/summer/2023/", ObjectKeys.baselinePrefix(2023));
        assertEquals("models/crop-gbt/7/model.onnx", ObjectKeys.model("crop-gbt", "7", "model.onnx"));
    }

    @Test
    void layoutIsDeterministicAndNested() {
        assertEquals(ObjectKeys.featureTile(JOB, TILE), ObjectKeys.featureTile(UUID.fromString(JOB.toString()), TILE));
        assertTrue(ObjectKeys.resultTile(JOB, TILE).startsWith(ObjectKeys.resultPrefix(JOB)));
        assertTrue(ObjectKeys.resultCog(JOB).startsWith(ObjectKeys.resultPrefix(JOB)));
        assertTrue(ObjectKeys.imageryManifest(JOB).startsWith(ObjectKeys.resultPrefix(JOB)));
        assertTrue(ObjectKeys.featureTile(JOB, TILE).startsWith(ObjectKeys.featurePrefix(JOB)));
        assertFalse(ObjectKeys.featureTile(JOB, TILE).startsWith(ObjectKeys.UPLOADS_PREFIX));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/b", "..", ".", "x\u0000", "C:\\t"})
    void layoutRefusesPartsThatWouldChangeTheShapeOfTheKey(String bad) {
        assertThrows(IllegalArgumentException.class, () -> ObjectKeys.featureTile(JOB, bad));
        assertThrows(IllegalArgumentException.class, () -> ObjectKeys.resultTile(JOB, bad));
        assertThrows(IllegalArgumentException.class, () -> ObjectKeys.baseline(2023, bad));
        assertThrows(IllegalArgumentException.class, () -> ObjectKeys.model(bad, "1", "model.onnx"));
        assertThrows(IllegalArgumentException.class, () -> ObjectKeys.model("m", bad, "model.onnx"));
        assertThrows(IllegalArgumentException.class, () -> ObjectKeys.model("m", "1", bad));
    }

    @Test
    void layoutRefusesMissingIdsAndOddYears() {
        assertThrows(NullPointerException.class, () -> ObjectKeys.featureTile(null, TILE));
        assertThrows(IllegalArgumentException.class, () -> ObjectKeys.featureTile(JOB, null));
        assertThrows(IllegalArgumentException.class, () -> ObjectKeys.baseline(999, "dw.tif"));
        assertThrows(IllegalArgumentException.class, () -> ObjectKeys.baseline(10000, "dw.tif"));
    }

    @Test
    void featureTileKeysParseBack() {
        String key = ObjectKeys.featureTile(JOB, TILE);

        Optional<FeatureGeoTiffKey> parsed = ObjectKeys.parseFeatureTile(key);

        assertEquals(Optional.of(new FeatureGeoTiffKey(JOB, TILE)), parsed);
        assertEquals(key, parsed.orElseThrow().key());
        assertEquals(new JobTile(32736, 63, 1567), JobTile.parse(parsed.orElseThrow().tileId()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "uploads/32736-63-1567.tif",
            "results/0f8fad5b-d9cb-469f-a165-70867728950e/tiles/32736-63-1567.tif",
            "jobs/0f8fad5b-d9cb-469f-a165-70867728950e/32736-63-1567.tiff",
            "jobs/0f8fad5b-d9cb-469f-a165-70867728950e/.tif",
            "jobs/0f8fad5b-d9cb-469f-a165-70867728950e/sub/32736-63-1567.tif",
            "jobs/not-a-uuid/32736-63-1567.tif",
            "jobs/1-1-1-1-1/32736-63-1567.tif",
            "jobs/0F8FAD5B-D9CB-469F-A165-70867728950E/32736-63-1567.tif",
            "jobs/0f8fad5b-d9cb-469f-a165-70867728950e/a\u0000b.tif",
            "jobs/32736-63-1567.tif",
            ""})
    void otherKeysAreNotFeatureTiles(String key) {
        assertEquals(Optional.empty(), ObjectKeys.parseFeatureTile(key));
    }

    @Test
    void nullIsNotAFeatureTile() {
        assertEquals(Optional.empty(), ObjectKeys.parseFeatureTile(null));
    }

    // ---------------------------------------------------------------- the guard

    static Stream<Arguments> unsafeKeys() {
        List<Arguments> keys = new ArrayList<>(ObjectStoreContract.unsafeKeys().toList());
        keys.addAll(List.of(
                Arguments.of("dot", "."),
                Arguments.of("leading backslash only", "\\"),
                Arguments.of("slash only", "/"),
                Arguments.of("double slash", "//x"),
                Arguments.of("tab", "a\tb"),
                Arguments.of("carriage return", "a\rb"),
                Arguments.of("escape character", "a\u001Bb"),
                Arguments.of("C1 control", "a\u0085b"),
                Arguments.of("percent-encoded backslash", "a%5cb"),
                Arguments.of("percent-encoded leading slash", "%2fetc/passwd"),
                Arguments.of("percent-encoded dot segment", "a/%2e/b"),
                Arguments.of("mixed encoded dot-dot", ".%2e/x"),
                Arguments.of("triple percent-encoded", "%25252e%25252e/x"),
                Arguments.of("broken UTF-8 escape", "a%ffb"),
                Arguments.of("fullwidth solidus", "a\uFF0F..\uFF0Fb"),
                Arguments.of("fullwidth reverse solidus", "a\uFF3Cb"),
                Arguments.of("fullwidth percent escape", "\uFF05\uFF12\uFF45\uFF05\uFF12\uFF45/x"),
                Arguments.of("two-dot leader", "a/\u2025/b"),
                Arguments.of("three dots", "a/.../b"),
                Arguments.of("space only segment", "a/ /b"),
                Arguments.of("drive letter lower case", "c:x"),
                Arguments.of("lone low surrogate", "a\uDC00"),
                Arguments.of("513 two-byte characters", "é".repeat(513))));
        return keys.stream();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("unsafeKeys")
    void unsafeKeysAreRefusedWithAReason(String label, String key) {
        UnsafeKeyException e = assertThrows(UnsafeKeyException.class, () -> ObjectKeys.requireSafe(key), label);

        assertEquals(key, e.key());
        assertFalse(e.reason().isBlank());
        assertTrue(e.getMessage().startsWith("Unsafe object key " + ObjectKeys.quote(key) + ": "), e.getMessage());
        assertFalse(e.getMessage().chars().anyMatch(Character::isISOControl),
                "the message must not carry the key's control characters: " + e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "a", "a/b", "a.b", "a..b", "..a", "a..", ".a", "a/.b/c", "a/b.c/d", "a b/c d",
            "50% off.tif", "%41", "100%", "%zz", "a+b=c", "ñandú/日本語", "\uD83C\uDF3D", "ab:c", "1:x",
            "uploads/tile (1).tif", "results/x/crop-map.tif", "caf\u00E9", "cafe\u0301"})
    void legalKeysPassUnchanged(String key) {
        assertEquals(key, ObjectKeys.requireSafe(key));
    }

    @Test
    void lengthIsCountedInUtf8Bytes() {
        assertEquals("k".repeat(1024), ObjectKeys.requireSafe("k".repeat(1024)));
        assertEquals("é".repeat(512), ObjectKeys.requireSafe("é".repeat(512)));
        String emoji = "\uD83C\uDF3D".repeat(256); // 4 bytes each
        assertEquals(1024, emoji.getBytes(StandardCharsets.UTF_8).length);
        assertEquals(emoji, ObjectKeys.requireSafe(emoji));

        UnsafeKeyException e = assertThrows(UnsafeKeyException.class, () -> ObjectKeys.requireSafe("k".repeat(1025)));
        assertTrue(e.getMessage().contains("1025 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("(1025 chars)"), "long keys are shortened in messages: " + e.getMessage());
        assertThrows(UnsafeKeyException.class, () -> ObjectKeys.requireSafe(emoji + "k"));
    }

    @Test
    void messagesQuoteTheKeyEscapedAndSayWhy() {
        assertEquals("Unsafe object key \"a\\u0000b\": it contains the control character U+0000 at index 1",
                assertThrows(UnsafeKeyException.class, () -> ObjectKeys.requireSafe("a\u0000b")).getMessage());
        assertEquals("Unsafe object key \"a/../b\": it has a '..' path segment, which climbs out of its folder",
                assertThrows(UnsafeKeyException.class, () -> ObjectKeys.requireSafe("a/../b")).getMessage());
        assertEquals("Unsafe object key \"C:\\\\x\": it contains a backslash, a path separator on Windows",
                assertThrows(UnsafeKeyException.class, () -> ObjectKeys.requireSafe("C:\\x")).getMessage());
        String encoded = assertThrows(UnsafeKeyException.class, () -> ObjectKeys.requireSafe("%2e%2e/x")).getMessage();
        assertTrue(encoded.contains("decodes to \"../x\""), encoded);
        assertTrue(assertThrows(UnsafeKeyException.class, () -> ObjectKeys.requireSafe(null)).getMessage()
                .contains("<null>"));
    }

    @Test
    void prefixesMayBeEmptyOrEndWithOneSlash() {
        assertEquals("", ObjectKeys.requireSafePrefix(""));
        assertEquals("results/", ObjectKeys.requireSafePrefix("results/"));
        assertEquals("results/ab", ObjectKeys.requireSafePrefix("results/ab"));
        for (String bad : new String[] {null, "/", "a//", "../", "a/../", "%2e%2e/", " "}) {
            UnsafeKeyException e = assertThrows(UnsafeKeyException.class, () -> ObjectKeys.requireSafePrefix(bad));
            assertEquals(bad, e.key());
        }
    }

    @Test
    void utf8OrderIsCodePointOrderLikeS3Listings() {
        List<String> keys = new ArrayList<>(List.of("b", "a/z", "a", "\uFFFD", "\uD83C\uDF3D", "a/b", "A"));

        keys.sort(ObjectKeys.UTF8_ORDER);

        // U+FFFD sorts before U+1F33D in UTF-8 (and code points) but after it in UTF-16.
        assertEquals(List.of("A", "a", "a/b", "a/z", "b", "\uFFFD", "\uD83C\uDF3D"), keys);
        List<String> byBytes = new ArrayList<>(keys);
        byBytes.sort((x, y) -> java.util.Arrays.compareUnsigned(x.getBytes(StandardCharsets.UTF_8),
                y.getBytes(StandardCharsets.UTF_8)));
        assertEquals(byBytes, keys);
    }
}
