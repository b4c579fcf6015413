package io.geocrop.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class FeatureOrderTest {

    /** Pinned: changing the order, a name or the count changes this, and every trained model stops matching. */
    private static final String PINNED_HASH = "c7d31af5c5fa196ac20772793932ce0f2c6369265c9e1a5bdbb1acc6800edf9d";

    private static Path docs() {
        String root = System.getProperty("geocrop.root", "../..");
        return Path.of(root, "docs", "features.md");
    }

    @Test
    void orderHas51UniqueSnakeCaseNamesAndAPinnedHash() {
        List<String> names = FeatureOrder.FEATURE_ORDER_V1;
        assertEquals(51, names.size());
        assertEquals(51, FeatureOrder.COUNT);
        assertEquals(51, new HashSet<>(names).size(), "names must be unique");
        for (String n : names) {
            assertTrue(n.matches("[a-z][a-z0-9]*(_[a-z0-9]+)*"), n + " is not snake_case");
        }
        assertEquals("ndvi_mean", names.getFirst());
        assertEquals("ndvi_peak_day", names.get(9));
        assertEquals("b04_peak_median", names.get(36));
        assertEquals("b11_sep_nov_median", names.get(46));
        assertEquals("ndvi_dec_median", names.get(48));
        assertEquals("clear_fraction", names.getLast());
        assertEquals(PINNED_HASH, FeatureOrder.HASH_V1);
        assertEquals(PINNED_HASH, FeatureOrder.hashOf(List.copyOf(names)));
        assertThrows(UnsupportedOperationException.class, () -> names.set(0, "x"));
    }

    @Test
    void hashIsSha256OfNamesJoinedByNewline() {
        // Known SHA-256 test vector ("abc"), and the join must not add a trailing newline.
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", FeatureOrder.hashOf(List.of("abc")));
        assertEquals(FeatureOrder.hashOf(List.of("a\nb")), FeatureOrder.hashOf(List.of("a", "b")));
    }

    @Test
    void indexOfFindsEveryNameAndRejectsUnknownOnes() {
        for (Feature f : Feature.values()) {
            assertEquals(f.index(), FeatureOrder.indexOf(f.featureName()));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FeatureOrder.indexOf("ndvi_avg"));
        assertTrue(e.getMessage().contains("ndvi_avg"));
    }

    @Test
    void docsListExactlyTheNamesInCodeInOrderWithTheHash() throws IOException {
        String md = Files.readString(docs());
        Matcher row = Pattern.compile("(?m)^\\| (\\d+) \\| ([a-z0-9_]+) \\|").matcher(md);
        List<String> documented = new ArrayList<>();
        while (row.find()) {
            assertEquals(documented.size() + 1, Integer.parseInt(row.group(1)), "row numbers must run 1..51");
            documented.add(row.group(2));
        }
        assertEquals(FeatureOrder.FEATURE_ORDER_V1, documented);
        assertTrue(md.contains("FEATURE_ORDER_V1 sha256 = " + FeatureOrder.HASH_V1), "docs must state the hash");
    }
}
