package io.geocrop.raster;

import io.geocrop.raster.tiff.TiffTags;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.Deflater;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Malformed, truncated and hostile files fail with a {@link RasterFormatException} that names the source and
 * the problem - never an unchecked exception, an OutOfMemoryError or a hang - and a randomized mutation test
 * over the fixtures proves it for thousands of corruptions.
 */
class HostileFilesTest {
    private static final String NAME = "hostile.tif";

    static byte[] deflate(byte[] data) {
        Deflater d = new Deflater();
        d.setInput(data);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }

    static byte[] tile(int size, int seed) {
        byte[] t = new byte[size * size];
        for (int i = 0; i < t.length; i++) {
            t[i] = (byte) (i * 31 + seed);
        }
        return t;
    }

    /** A valid 64x64 uint8 image of four 32x32 DEFLATE tiles. */
    static TiffBuilder valid() {
        List<byte[]> tiles = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            tiles.add(deflate(tile(32, i)));
        }
        return TiffBuilder.simpleTiled(64, 64, 32, 8, 1, TiffTags.COMPRESSION_DEFLATE, tiles);
    }

    /** Opens the bytes and reads every level in full. */
    static void openAndReadAll(byte[] file, String name, ReadLimits limits) throws IOException {
        try (GeoTiff tiff = GeoTiffReader.open(new ReaderTestSupport.BytesSource(file, name), limits)) {
            for (Overview level : tiff.overviews()) {
                tiff.read(level.level(), new RasterWindow(0, 0, level.width(), level.height()));
            }
            tiff.layout();
        }
    }

    static RasterFormatException expectError(byte[] file, String... fragments) {
        RasterFormatException e = assertThrows(RasterFormatException.class,
                () -> openAndReadAll(file, NAME, ReadLimits.defaults()));
        assertTrue(e.getMessage().contains(NAME), "message names the source: " + e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().toLowerCase().contains(f.toLowerCase()),
                    "message should mention '" + f + "': " + e.getMessage());
        }
        assertNoUncheckedCause(e);
        return e;
    }

    /** The reader's safety net must not be what caught the problem: that would mean a missing check. */
    static void assertNoUncheckedCause(Throwable e) {
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c instanceof IndexOutOfBoundsException || c instanceof NegativeArraySizeException
                    || c instanceof ArithmeticException || c instanceof NullPointerException
                    || c instanceof ClassCastException || c instanceof IllegalStateException) {
                throw new AssertionError("unchecked " + c + " reached the safety net", e);
            }
        }
    }

    @Test
    void theHandMadeBaseFileIsValid() throws IOException {
        byte[] file = valid().build();
        try (GeoTiff tiff = GeoTiffReader.open(new ReaderTestSupport.BytesSource(file, NAME))) {
            Raster r = tiff.read(new RasterWindow(0, 0, 64, 64));
            for (int i = 0; i < 4; i++) {
                byte[] expected = tile(32, i);
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        int gx = (i % 2) * 32 + x, gy = (i / 2) * 32 + y;
                        assertEquals(expected[y * 32 + x], r.bytes(0)[gy * 64 + gx]);
                    }
                }
            }
            assertEquals(0, tiff.metadata().epsg());
            assertEquals(null, tiff.metadata().transform());
        }
        for (boolean little : new boolean[] {true, false}) {
            for (boolean big : new boolean[] {true, false}) {
                TiffBuilder b = new TiffBuilder(little, big);
                List<byte[]> tiles = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    tiles.add(deflate(tile(32, i)));
                }
                b.ifd().longs(TiffTags.IMAGE_WIDTH, 64).longs(TiffTags.IMAGE_LENGTH, 64).shorts(TiffTags.BITS_PER_SAMPLE, 8)
                        .shorts(TiffTags.COMPRESSION, 8).longs(TiffTags.TILE_WIDTH, 32).longs(TiffTags.TILE_LENGTH, 32)
                        .chunks(TiffTags.TILE_OFFSETS, TiffTags.TILE_BYTE_COUNTS, tiles);
                try (GeoTiff tiff = GeoTiffReader.open(new ReaderTestSupport.BytesSource(b.build(), NAME))) {
                    assertEquals(big, tiff.isBigTiff());
                    assertArrayEquals(tile(32, 3), tiff.read(new RasterWindow(32, 32, 32, 32)).bytes(0));
                }
            }
        }
    }

    @Test
    void notATiff() {
        expectError("GIF89a-not-a-tiff".getBytes(), "not a TIFF", "byte-order");
        expectError(new byte[] {'I', 'I', 42}, "not a TIFF");
        byte[] wrongVersion = valid().build();
        wrongVersion[2] = 41;
        expectError(wrongVersion, "version 41");
        byte[] badBigTiff = new TiffBuilder(true, true).firstIfd(16).build();
        expectError(badBigTiff, "IFD");
        expectError(new byte[0], "not a TIFF");
    }

    @Test
    void ifdOffsetsOutsideTheFileOrLooping() {
        expectError(valid().firstIfd(1L << 30).build(), "outside the file");
        expectError(valid().firstIfd(4).build(), "header");
        expectError(valid().firstIfd(0).build(), "no image");
        TiffBuilder selfLoop = valid();
        selfLoop.ifd();
        byte[] once = selfLoop.build();
        long firstIfd = selfLoop.ifdOffsets.get(0);
        TiffBuilder loop = valid();
        loop.ifds().get(0).next(firstIfd);
        expectError(loop.build(), "loops");
        assertTrue(once.length > 0);
        TiffBuilder nextPastEnd = valid();
        nextPastEnd.ifds().get(0).next(10_000_000L);
        expectError(nextPastEnd.build(), "outside the file");
    }

    @Test
    void tooManyIfdsOrEntries() {
        TiffBuilder many = valid();
        for (int i = 0; i < 70; i++) {
            many.ifd().longs(TiffTags.IMAGE_WIDTH, 1);
        }
        expectError(many.build(), "more than 64 IFDs");
        TiffBuilder tags = valid();
        for (int t = 40000; t < 41100; t++) {
            tags.ifds().get(0).shorts(t, 1);
        }
        expectError(tags.build(), "entries");
        byte[] zeroEntries = valid().build();
        int ifd = (int) (long) lastIfdOffset(valid());
        zeroEntries[ifd] = 0;
        zeroEntries[ifd + 1] = 0;
        expectError(zeroEntries, "0 entries");
    }

    private static long lastIfdOffset(TiffBuilder b) {
        b.build();
        return b.ifdOffsets.get(b.ifdOffsets.size() - 1);
    }

    @Test
    void hugeOrZeroDimensions() {
        TiffBuilder huge = valid();
        huge.ifds().get(0).longs(TiffTags.IMAGE_WIDTH, 2_000_000_000L).longs(TiffTags.IMAGE_LENGTH, 2_000_000_000L);
        expectError(huge.build(), "exceeds the limit");
        TiffBuilder zero = valid();
        zero.ifds().get(0).longs(TiffTags.IMAGE_WIDTH, 0);
        expectError(zero.build(), "ImageWidth");
        TiffBuilder negative = valid();
        negative.ifds().get(0).longs(TiffTags.IMAGE_LENGTH, 0xFFFFFFFFL);
        expectError(negative.build(), "ImageLength");
        TiffBuilder missing = valid();
        missing.ifds().get(0).remove(TiffTags.IMAGE_WIDTH);
        expectError(missing.build(), "missing");
        TiffBuilder hugeTile = valid();
        hugeTile.ifds().get(0).longs(TiffTags.TILE_WIDTH, 1 << 20).longs(TiffTags.TILE_LENGTH, 1 << 20);
        expectError(hugeTile.build(), "limit");
        // Within the limits, but a full read would need more samples than one read may return.
        TiffBuilder wide = valid();
        wide.ifds().get(0).longs(TiffTags.IMAGE_WIDTH, 900_000).longs(TiffTags.IMAGE_LENGTH, 900_000)
                .longs(TiffTags.TILE_WIDTH, 16).longs(TiffTags.TILE_LENGTH, 16);
        expectError(wide.build(), "too many");
        TiffBuilder manySamples = valid();
        manySamples.ifds().get(0).shorts(TiffTags.SAMPLES_PER_PIXEL, 60000);
        expectError(manySamples.build(), "SamplesPerPixel");
    }

    @Test
    void tileByteCountsAndOffsetsThatCannotBeRight() {
        TiffBuilder terabyte = new TiffBuilder(true, true);
        List<byte[]> tiles = List.of(deflate(tile(32, 0)));
        terabyte.ifd().longs(TiffTags.IMAGE_WIDTH, 32).longs(TiffTags.IMAGE_LENGTH, 32).shorts(TiffTags.BITS_PER_SAMPLE, 8)
                .shorts(TiffTags.COMPRESSION, 8).longs(TiffTags.TILE_WIDTH, 32).longs(TiffTags.TILE_LENGTH, 32)
                .chunks(TiffTags.TILE_OFFSETS, TiffTags.TILE_BYTE_COUNTS, tiles).byteCounts(1L << 40);
        expectError(terabyte.build(), "byte count", "limit");
        TiffBuilder pastEnd = valid();
        pastEnd.ifds().get(0).byteCounts(100, 100, 100, 5_000_000);
        expectError(pastEnd.build(), "outside the file");
        TiffBuilder negativeCount = new TiffBuilder(true, true);
        negativeCount.ifd().longs(TiffTags.IMAGE_WIDTH, 32).longs(TiffTags.IMAGE_LENGTH, 32).shorts(TiffTags.BITS_PER_SAMPLE, 8)
                .shorts(TiffTags.COMPRESSION, 8).longs(TiffTags.TILE_WIDTH, 32).longs(TiffTags.TILE_LENGTH, 32)
                .chunks(TiffTags.TILE_OFFSETS, TiffTags.TILE_BYTE_COUNTS, tiles).byteCounts(-5);
        expectError(negativeCount.build(), "byte count");
        TiffBuilder fewerOffsets = valid();
        fewerOffsets.ifds().get(0).longs(TiffTags.IMAGE_WIDTH, 65);
        expectError(fewerOffsets.build(), "4 entries", "6 tiles");
        TiffBuilder arrayPastEnd = valid();
        arrayPastEnd.ifds().get(0).rawOffset(TiffTags.TILE_OFFSETS, TiffTags.TYPE_LONG, 4, 1L << 31);
        expectError(arrayPastEnd.build(), "TileOffsets", "outside the file");
        TiffBuilder overflowingCount = valid();
        // A count of 2^32-1 entries pointing into the tile data: only the 4 entries needed are read (as libtiff
        // does), and they are garbage.
        overflowingCount.ifds().get(0).rawOffset(TiffTags.TILE_BYTE_COUNTS, TiffTags.TYPE_LONG, 0xFFFFFFFFL, 16);
        expectError(overflowingCount.build(), "byte count");
        TiffBuilder bigTiffCount = new TiffBuilder(true, true);
        bigTiffCount.ifd().longs(TiffTags.IMAGE_WIDTH, 32).longs(TiffTags.IMAGE_LENGTH, 32)
                .rawOffset(TiffTags.BITS_PER_SAMPLE, TiffTags.TYPE_SHORT, Long.MIN_VALUE + 3, 16);
        expectError(bigTiffCount.build(), "count");
        TiffBuilder zeroOffset = valid();
        byte[] file = zeroOffset.build();
        TiffBuilder z = valid();
        z.ifds().get(0).longs(TiffTags.TILE_OFFSETS, 0, 0, 0, 0);
        expectError(z.build(), "offset 0");
        assertTrue(file.length > 0);
    }

    @Test
    void wrongTagTypes() {
        TiffBuilder asciiWidth = valid();
        asciiWidth.ifds().get(0).ascii(TiffTags.IMAGE_WIDTH, "sixty-four");
        expectError(asciiWidth.build(), "ImageWidth", "ASCII");
        TiffBuilder doubleOffsets = valid();
        doubleOffsets.ifds().get(0).doubles(TiffTags.TILE_OFFSETS, 1, 2, 3, 4);
        expectError(doubleOffsets.build(), "TileOffsets", "DOUBLE");
        TiffBuilder asciiScale = valid();
        asciiScale.ifds().get(0).ascii(TiffTags.MODEL_PIXEL_SCALE, "10 10 0");
        expectError(asciiScale.build(), "ModelPixelScale", "ASCII");
        TiffBuilder rationalNodata = valid();
        rationalNodata.ifds().get(0).doubles(TiffTags.GDAL_NODATA, 0);
        expectError(rationalNodata.build(), "GDAL_NODATA", "expected ASCII");
    }

    @Test
    void unsupportedStructuresAreNamed() {
        TiffBuilder twelveBits = valid();
        twelveBits.ifds().get(0).shorts(TiffTags.BITS_PER_SAMPLE, 12);
        expectError(twelveBits.build(), "12 bits");
        TiffBuilder jpeg = valid();
        jpeg.ifds().get(0).shorts(TiffTags.COMPRESSION, 7);
        expectError(jpeg.build(), "JPEG (7)");
        TiffBuilder fpPredictorOnBytes = valid();
        fpPredictorOnBytes.ifds().get(0).shorts(TiffTags.PREDICTOR, 3);
        expectError(fpPredictorOnBytes.build(), "Predictor 3");
        TiffBuilder badPredictor = valid();
        badPredictor.ifds().get(0).shorts(TiffTags.PREDICTOR, 9);
        expectError(badPredictor.build(), "Predictor 9");
        TiffBuilder halfTiled = valid();
        halfTiled.ifds().get(0).remove(TiffTags.TILE_LENGTH);
        expectError(halfTiled.build(), "TileLength");
        TiffBuilder mixed = valid();
        mixed.ifds().get(0).shorts(TiffTags.SAMPLES_PER_PIXEL, 2).shorts(TiffTags.BITS_PER_SAMPLE, 8, 16);
        expectError(mixed.build(), "differs between samples");
        TiffBuilder noOffsets = valid();
        noOffsets.ifds().get(0).remove(TiffTags.TILE_OFFSETS);
        expectError(noOffsets.build(), "TileOffsets");
    }

    @Test
    void corruptOrTruncatedTileData() {
        List<byte[]> tiles = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            byte[] d = deflate(tile(32, i));
            tiles.add(i == 2 ? Arrays.copyOf(d, d.length / 2) : d);
        }
        expectError(TiffBuilder.simpleTiled(64, 64, 32, 8, 1, 8, tiles).build(), "tile 2", "DEFLATE", "ends after");
        List<byte[]> garbage = List.of(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, new byte[] {9}, new byte[] {(byte) 0x78, 0}, new byte[40]);
        expectError(TiffBuilder.simpleTiled(64, 64, 32, 8, 1, 8, garbage).build(), "DEFLATE");
        expectError(TiffBuilder.simpleTiled(64, 64, 32, 8, 1, TiffTags.COMPRESSION_LZW, garbage).build(), "LZW");
        List<byte[]> shortRaw = List.of(new byte[1024], new byte[1024], new byte[1000], new byte[1024]);
        expectError(TiffBuilder.simpleTiled(64, 64, 32, 8, 1, 1, shortRaw).build(), "tile 2", "1000");
        List<byte[]> lzwBeyondTable = List.of(lzwCodes(256, 300), lzwCodes(256, 1), lzwCodes(256, 1), lzwCodes(256, 1));
        expectError(TiffBuilder.simpleTiled(64, 64, 32, 8, 1, TiffTags.COMPRESSION_LZW, lzwBeyondTable).build(), "LZW code 300");
        List<byte[]> zstdGarbage = List.of(new byte[] {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD, 0, 0, 0, 0, 0, 0}, new byte[3],
                new byte[] {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD}, new byte[100]);
        expectError(TiffBuilder.simpleTiled(64, 64, 32, 8, 1, TiffTags.COMPRESSION_ZSTD, zstdGarbage).build(), "ZSTD");
    }

    /**
     * A straightforward TIFF LZW encoder (MSB-first codes, 9..12 bits with early change, Clear and EOI), so
     * LZW files can be made without GDAL.
     */
    static byte[] lzwEncode(byte[] data) {
        java.util.Map<String, Integer> table = new java.util.HashMap<>();
        BitWriter out = new BitWriter();
        int bits = 9;
        int next = 258;
        out.write(256, bits);
        String w = "";
        for (byte b : data) {
            String wc = w + (char) (b & 0xFF);
            if (wc.length() == 1 || table.containsKey(wc)) {
                w = wc;
                continue;
            }
            out.write(w.length() == 1 ? w.charAt(0) : table.get(w), bits);
            table.put(wc, next++);
            // As libtiff's encoder: widen once the next code no longer fits; reset just before the table is full.
            if (next == 4094) {
                out.write(256, bits);
                table.clear();
                next = 258;
                bits = 9;
            } else if (next >= (1 << bits) && bits < 12) {
                bits++;
            }
            w = String.valueOf((char) (b & 0xFF));
        }
        if (!w.isEmpty()) {
            out.write(w.length() == 1 ? w.charAt(0) : table.get(w), bits);
        }
        next++;
        if (next >= (1 << bits) && bits < 12) {
            bits++;
        }
        out.write(257, bits);
        return out.toByteArray();
    }

    private static final class BitWriter {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private long buffer;
        private int count;

        void write(int code, int bits) {
            buffer = (buffer << bits) | code;
            count += bits;
            while (count >= 8) {
                out.write((int) (buffer >>> (count - 8)) & 0xFF);
                count -= 8;
            }
        }

        byte[] toByteArray() {
            if (count > 0) {
                out.write((int) (buffer << (8 - count)) & 0xFF);
                count = 0;
            }
            return out.toByteArray();
        }
    }

    @Test
    void lzwRoundTripsThroughAnIndependentEncoder() throws IOException {
        Random random = new Random(5);
        byte[][] inputs = {new byte[100_000], tile(64, 3), new byte[70_000]};
        random.nextBytes(inputs[2]);
        for (byte[] input : inputs) {
            byte[] out = new byte[input.length];
            io.geocrop.raster.codec.LzwDecompressor.INSTANCE.decompress(lzwEncode(input), out);
            assertArrayEquals(input, out);
        }
    }

    /** 9-bit LZW codes packed MSB first. */
    static byte[] lzwCodes(int... codes) {
        long bits = 0;
        int n = 0;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int c : codes) {
            bits = (bits << 9) | c;
            n += 9;
            while (n >= 8) {
                out.write((int) (bits >>> (n - 8)) & 0xFF);
                n -= 8;
            }
        }
        if (n > 0) {
            out.write((int) (bits << (8 - n)) & 0xFF);
        }
        return out.toByteArray();
    }

    @Test
    void zipBombTilesStopAtTheExpectedSize() {
        // 64 MiB of zeros deflates to ~64 KiB; each tile only ever inflates to its 1 KiB.
        byte[] bomb = deflate(new byte[64 << 20]);
        assertTrue(bomb.length < 100_000);
        List<byte[]> tiles = List.of(bomb, bomb, bomb, bomb);
        byte[] file = TiffBuilder.simpleTiled(64, 64, 32, 8, 1, 8, tiles).build();
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            try (GeoTiff tiff = GeoTiffReader.open(new ReaderTestSupport.BytesSource(file, NAME))) {
                assertArrayEquals(new byte[64 * 64], tiff.read(new RasterWindow(0, 0, 64, 64)).bytes(0));
            }
        });
        // A tile that claims to decompress to more than the limit is refused before any inflating.
        ReadLimits small = new ReadLimits(1_000_000, 1_000_000, 16, 8, 64, 1 << 16, 1 << 20, 1 << 9, 1 << 20, 1 << 24);
        RasterFormatException e = assertThrows(RasterFormatException.class, () -> openAndReadAll(file, NAME, small));
        assertTrue(e.getMessage().contains("limit"), e.getMessage());
        ReadLimits fewPixels = new ReadLimits(1_000_000, 1_000_000, 16, 8, 64, 1 << 16, 1 << 20, 1 << 20, 100, 1 << 24);
        e = assertThrows(RasterFormatException.class, () -> openAndReadAll(file, NAME, fewPixels));
        assertTrue(e.getMessage().contains("exceeds the limit of 100 samples"), e.getMessage());
        ReadLimits fewBytes = new ReadLimits(1_000_000, 1_000_000, 16, 8, 64, 1 << 16, 1 << 20, 1 << 20, 1 << 20, 200_000);
        e = assertThrows(RasterFormatException.class, () -> openAndReadAll(file, NAME, fewBytes));
        assertTrue(e.getMessage().contains("maxBytesPerRead"), e.getMessage());
    }

    @Test
    void truncationAtEveryLengthOfASmallFile() throws IOException {
        byte[] file = valid().build();
        for (int len = 0; len < file.length; len++) {
            byte[] cut = Arrays.copyOf(file, len);
            try {
                openAndReadAll(cut, NAME, ReadLimits.defaults());
                fail("a file cut to " + len + " of " + file.length + " bytes read without error");
            } catch (RasterFormatException e) {
                assertTrue(e.getMessage().contains(NAME), e.getMessage());
                assertNoUncheckedCause(e);
            }
        }
    }

    /**
     * Seeded mutations (bit flips, overwrites with extreme values, truncations) of every fixture and of a few
     * generated files in other layouts: each is opened and fully read under a timeout, and may only succeed or
     * fail with a RasterFormatException.
     */
    @Test
    void randomizedMutationsOnlySucceedOrFailCleanly() throws Exception {
        List<Path> files = new ArrayList<>(ReaderTestSupport.fixtures());
        ReadLimits limits = new ReadLimits(100_000, 100_000, 64, 64, 512, 1 << 20, 8L << 20, 16L << 20, 8_000_000L, 64L << 20);
        int[] outcomes = new int[2];
        for (Path file : files) {
            byte[] original = Files.readAllBytes(file);
            openAndReadAll(original, file.getFileName().toString(), limits); // the unmutated file must read
            // Full reads of the 2658x2667 fixtures cost ~50 ms each: fewer cases there keep the test near 15 s.
            int cases = original.length > 300_000 ? 100 : 300;
            Random random = new Random(file.getFileName().toString().hashCode());
            for (int i = 0; i < cases; i++) {
                byte[] mutated = mutate(original, random);
                String name = file.getFileName() + "#mutation" + i;
                assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                    try {
                        openAndReadAll(mutated, name, limits);
                        outcomes[0]++;
                    } catch (RasterFormatException e) {
                        assertTrue(e.getMessage().contains(name), "message names the source: " + e.getMessage());
                        assertNoUncheckedCause(e);
                        outcomes[1]++;
                    }
                }, name);
            }
        }
        for (byte[] generated : generatedLayouts()) {
            Random random = new Random(generated.length);
            openAndReadAll(generated, "generated", limits);
            for (int i = 0; i < 300; i++) {
                byte[] mutated = mutate(generated, random);
                String name = "generated#mutation" + i;
                assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                    try {
                        openAndReadAll(mutated, name, limits);
                        outcomes[0]++;
                    } catch (RasterFormatException e) {
                        assertNoUncheckedCause(e);
                        outcomes[1]++;
                    }
                }, name);
            }
        }
        assertTrue(outcomes[0] > 0 && outcomes[1] > 0, "mutations should both survive and fail: " + Arrays.toString(outcomes));
    }

    /** LZW, ZSTD, striped planar and BigTIFF big-endian files, made by hand so no GDAL is needed. */
    private static List<byte[]> generatedLayouts() {
        List<byte[]> out = new ArrayList<>();
        List<byte[]> lzw = new ArrayList<>();
        List<byte[]> zstd = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            lzw.add(lzwEncode(tile(32, i)));
            byte[] raw = tile(32, i);
            byte[] compressed = new byte[raw.length + 128];
            int n = new io.airlift.compress.zstd.ZstdCompressor().compress(raw, 0, raw.length, compressed, 0, compressed.length);
            zstd.add(Arrays.copyOf(compressed, n));
        }
        out.add(TiffBuilder.simpleTiled(64, 64, 32, 8, 1, TiffTags.COMPRESSION_ZSTD, zstd).build());
        TiffBuilder lzwFile = TiffBuilder.simpleTiled(64, 64, 32, 8, 1, TiffTags.COMPRESSION_LZW, lzw);
        lzwFile.ifds().get(0).shorts(TiffTags.PREDICTOR, 2);
        out.add(lzwFile.build());
        TiffBuilder planar = new TiffBuilder(false, true);
        List<byte[]> strips = new ArrayList<>();
        for (int band = 0; band < 2; band++) {
            for (int s = 0; s < 5; s++) {
                strips.add(deflate(Arrays.copyOf(tile(8, band * 5 + s), 40 * 8 * 2)));
            }
        }
        planar.ifd().longs(TiffTags.IMAGE_WIDTH, 40).longs(TiffTags.IMAGE_LENGTH, 37).shorts(TiffTags.SAMPLES_PER_PIXEL, 2)
                .shorts(TiffTags.BITS_PER_SAMPLE, 16, 16).shorts(TiffTags.SAMPLE_FORMAT, 2, 2).shorts(TiffTags.COMPRESSION, 8)
                .shorts(TiffTags.PLANAR_CONFIGURATION, 2).longs(TiffTags.ROWS_PER_STRIP, 8).shorts(TiffTags.PREDICTOR, 2)
                .doubles(TiffTags.MODEL_PIXEL_SCALE, 10, 10, 0).doubles(TiffTags.MODEL_TIEPOINT, 0, 0, 0, 500000, 8000000, 0)
                .shorts(TiffTags.GEO_KEY_DIRECTORY, 1, 1, 0, 3, 1024, 0, 1, 1, 1025, 0, 1, 2, 3072, 0, 1, 32736)
                .ascii(TiffTags.GDAL_NODATA, "-9999")
                .ascii(TiffTags.GDAL_METADATA, "<GDALMetadata><Item name=\"A\">b</Item><Item name=\"DESCRIPTION\" sample=\"1\" role=\"description\">x</Item></GDALMetadata>")
                .chunks(TiffTags.STRIP_OFFSETS, TiffTags.STRIP_BYTE_COUNTS, strips);
        out.add(planar.build());
        return out;
    }

    /** One random corruption: mostly in the header and IFD area, where parsing happens. */
    static byte[] mutate(byte[] original, Random r) {
        byte[] m = original.clone();
        int headerZone = Math.min(m.length, 16 * 1024);
        switch (r.nextInt(6)) {
            case 0, 1 -> { // bit flips in the header zone
                int flips = 1 + r.nextInt(4);
                for (int i = 0; i < flips; i++) {
                    int p = r.nextInt(headerZone);
                    m[p] ^= (byte) (1 << r.nextInt(8));
                }
            }
            case 2 -> { // overwrite with an extreme value, header zone
                int p = r.nextInt(headerZone);
                byte[] extreme = extremeValue(r);
                System.arraycopy(extreme, 0, m, p, Math.min(extreme.length, m.length - p));
            }
            case 3 -> { // overwrite anywhere (tile data included)
                int p = r.nextInt(m.length);
                byte[] extreme = extremeValue(r);
                System.arraycopy(extreme, 0, m, p, Math.min(extreme.length, m.length - p));
            }
            case 4 -> { // bit flips anywhere
                for (int i = 0; i < 1 + r.nextInt(16); i++) {
                    int p = r.nextInt(m.length);
                    m[p] ^= (byte) (1 << r.nextInt(8));
                }
            }
            default -> { // truncation
                return Arrays.copyOf(m, r.nextInt(m.length));
            }
        }
        return m;
    }

    private static byte[] extremeValue(Random r) {
        byte[][] values = {
                {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF},
                {0, 0, 0, 0},
                {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0x7F},
                {0, 0, 0, (byte) 0x80},
                {(byte) 0xFF, (byte) 0xFF},
                {0, 0},
                {1, 0, 0, 0},
                {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF},
                {0, 0, 0, 0, 0, 0, 0, (byte) 0x80}};
        return values[r.nextInt(values.length)];
    }
}
