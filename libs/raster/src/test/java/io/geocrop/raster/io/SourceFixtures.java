package io.geocrop.raster.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import io.geocrop.raster.ByteRange;

/** Fixture files and random ranges for the byte-source tests. */
final class SourceFixtures {
    private SourceFixtures() {}

    /** /work/shared/data/geotiff, through the property surefire sets or the path relative to the module. */
    static Path geotiffDir() {
        String property = System.getProperty("geocrop.shared.data");
        Path base = property != null && !property.isBlank() ? Path.of(property) : Path.of("../../../shared/data");
        Path dir = base.resolve("geotiff");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("fixture folder not found: " + dir.toAbsolutePath());
        }
        return dir;
    }

    /** A fixture file by name. */
    static Path fixture(String name) {
        return geotiffDir().resolve(name);
    }

    /** All bytes of a fixture. */
    static byte[] bytes(String name) throws IOException {
        return Files.readAllBytes(fixture(name));
    }

    /** The bytes a correct source returns for a range: clipped at the end of the file. */
    static byte[] expected(byte[] file, ByteRange r) {
        return Arrays.copyOfRange(file, (int) r.offset(), (int) Math.min(r.end(), file.length));
    }

    /** Random ranges inside a file of {@code length} bytes, some running past its end. */
    static List<ByteRange> randomRanges(Random random, long length, int count, int maxLength) {
        List<ByteRange> ranges = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long offset = (long) (random.nextDouble() * length);
            int len = 1 + random.nextInt(maxLength);
            ranges.add(new ByteRange(offset, len));
        }
        return ranges;
    }
}
