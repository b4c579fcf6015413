package io.geocrop.raster.codec;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.zip.Deflater;

/**
 * zlib-wrapped DEFLATE (TIFF Compression 8) for whole tiles. Uses the system's libdeflate through the Foreign
 * Function API when it is there (GDAL uses it too; it is two to three times faster than zlib for tile-sized
 * buffers) and {@link java.util.zip} otherwise. Both produce and accept standard zlib streams, so files are
 * interchangeable; only speed and the exact compressed bytes differ.
 *
 * <p>libdeflate is looked up as {@code libdeflate.so.0} (Debian's {@code libdeflate0}, a dependency of GDAL).
 * Set the system property {@code geocrop.raster.libdeflate=false} to use java.util.zip only. Without
 * {@code --enable-native-access=ALL-UNNAMED} the JVM prints a one-time warning but the library still works.
 */
public final class Zlib {
    /** System property that turns the libdeflate path off when set to {@code false}. */
    public static final String LIBDEFLATE_PROPERTY = "geocrop.raster.libdeflate";

    private static final Native NATIVE = Native.load();

    private Zlib() {}

    /** Whether libdeflate is in use (otherwise java.util.zip). */
    public static boolean nativeAvailable() {
        return NATIVE != null;
    }

    /** Compresses {@code raw} into a zlib stream at {@code level} (1..9, zlib's scale). */
    public static byte[] compress(byte[] raw, int level) {
        if (level < 1 || level > 9) {
            throw new IllegalArgumentException("DEFLATE level must be 1..9, got " + level);
        }
        if (NATIVE != null) {
            byte[] out = NATIVE.compress(raw, level);
            if (out != null) {
                return out;
            }
        }
        return javaCompress(raw, level);
    }

    /**
     * Decompresses a zlib stream that must fill {@code out} exactly, on the fast path only. Returns false when
     * libdeflate is unavailable or the stream is not exactly {@code out.length} bytes of valid data; the caller
     * then decodes with java.util.zip, which reports precisely what is wrong (and accepts streams that run on
     * past the expected size, as libtiff does).
     */
    static boolean tryDecompressExactly(byte[] in, byte[] out) {
        return NATIVE != null && NATIVE.decompress(in, out);
    }

    static byte[] javaCompress(byte[] raw, int level) {
        Deflater deflater = new Deflater(level);
        try {
            deflater.setInput(raw);
            deflater.finish();
            byte[] out = new byte[Math.max(64, raw.length / 4)];
            int n = 0;
            while (!deflater.finished()) {
                if (n == out.length) {
                    out = Arrays.copyOf(out, out.length * 2);
                }
                n += deflater.deflate(out, n, out.length - n);
            }
            return Arrays.copyOf(out, n);
        } finally {
            deflater.end();
        }
    }

    /** Bindings to libdeflate; handles are pooled because one handle must not be used by two threads at once. */
    private static final class Native {
        private static final int SUCCESS = 0;

        private final MethodHandle allocDecompressor;
        private final MethodHandle zlibDecompress;
        private final MethodHandle allocCompressor;
        private final MethodHandle zlibCompress;
        private final MethodHandle zlibCompressBound;
        private final ConcurrentLinkedQueue<MemorySegment> decompressors = new ConcurrentLinkedQueue<>();
        @SuppressWarnings("unchecked")
        private final ConcurrentLinkedQueue<MemorySegment>[] compressors = new ConcurrentLinkedQueue[10];

        private Native(SymbolLookup lib) {
            Linker linker = Linker.nativeLinker();
            // critical(true): the calls are short and never call back, so heap arrays can be passed without copies.
            Linker.Option heap = Linker.Option.critical(true);
            allocDecompressor = linker.downcallHandle(lib.findOrThrow("libdeflate_alloc_decompressor"),
                    FunctionDescriptor.of(ValueLayout.ADDRESS));
            zlibDecompress = linker.downcallHandle(lib.findOrThrow("libdeflate_zlib_decompress"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                            ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS), heap);
            allocCompressor = linker.downcallHandle(lib.findOrThrow("libdeflate_alloc_compressor"),
                    FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
            zlibCompress = linker.downcallHandle(lib.findOrThrow("libdeflate_zlib_compress"),
                    FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                            ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG), heap);
            zlibCompressBound = linker.downcallHandle(lib.findOrThrow("libdeflate_zlib_compress_bound"),
                    FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
            for (int i = 0; i < compressors.length; i++) {
                compressors[i] = new ConcurrentLinkedQueue<>();
            }
        }

        static Native load() {
            if ("false".equalsIgnoreCase(System.getProperty(LIBDEFLATE_PROPERTY, "true").trim())
                    || !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
                return null;
            }
            try {
                Native n = new Native(SymbolLookup.libraryLookup("libdeflate.so.0", Arena.global()));
                // One round trip proves the bindings before anything relies on them.
                byte[] probe = "geocrop".repeat(50).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                byte[] packed = n.compress(probe, 6);
                byte[] back = new byte[probe.length];
                if (packed == null || !n.decompress(packed, back) || !Arrays.equals(probe, back)) {
                    return null;
                }
                return n;
            } catch (Throwable e) {
                // No libdeflate here (or native access is denied): java.util.zip does the same work, slower.
                return null;
            }
        }

        boolean decompress(byte[] in, byte[] out) {
            MemorySegment d = decompressors.poll();
            try {
                if (d == null) {
                    d = (MemorySegment) allocDecompressor.invokeExact();
                    if (d.equals(MemorySegment.NULL)) {
                        return false;
                    }
                }
                long[] actual = new long[1];
                int result = (int) zlibDecompress.invokeExact(d, MemorySegment.ofArray(in), (long) in.length,
                        MemorySegment.ofArray(out), (long) out.length, MemorySegment.ofArray(actual));
                return result == SUCCESS && actual[0] == out.length;
            } catch (Throwable e) {
                return false;
            } finally {
                if (d != null && !d.equals(MemorySegment.NULL)) {
                    decompressors.offer(d);
                }
            }
        }

        /** The compressed stream, or null if libdeflate could not do it (the caller falls back). */
        byte[] compress(byte[] raw, int level) {
            ConcurrentLinkedQueue<MemorySegment> pool = compressors[level];
            MemorySegment c = pool.poll();
            try {
                if (c == null) {
                    c = (MemorySegment) allocCompressor.invokeExact(level);
                    if (c.equals(MemorySegment.NULL)) {
                        return null;
                    }
                }
                long bound = (long) zlibCompressBound.invokeExact(c, (long) raw.length);
                byte[] out = new byte[(int) Math.min(Integer.MAX_VALUE - 16, bound)];
                long n = (long) zlibCompress.invokeExact(c, MemorySegment.ofArray(raw), (long) raw.length,
                        MemorySegment.ofArray(out), (long) out.length);
                return n > 0 ? Arrays.copyOf(out, (int) n) : null;
            } catch (Throwable e) {
                return null;
            } finally {
                if (c != null && !c.equals(MemorySegment.NULL)) {
                    pool.offer(c);
                }
            }
        }
    }
}
