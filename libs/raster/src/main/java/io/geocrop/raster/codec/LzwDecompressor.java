package io.geocrop.raster.codec;

import io.geocrop.raster.RasterFormatException;

/**
 * TIFF LZW (Compression 5) as libtiff writes it: codes packed most-significant-bit first, 9 to 12 bits wide,
 * the width growing one code early ("early change"), Clear = 256, EndOfInformation = 257. Every code is
 * checked against the table before it is used, and output stops at the expected size.
 */
public final class LzwDecompressor implements Decompressor {
    /** The shared instance; all decoding state is local to a call. */
    public static final LzwDecompressor INSTANCE = new LzwDecompressor();

    private static final int CLEAR = 256;
    private static final int END_OF_INFORMATION = 257;
    private static final int FIRST_FREE = 258;
    private static final int TABLE_SIZE = 4096;
    private static final int MAX_BITS = 12;

    private LzwDecompressor() {}

    @Override
    public void decompress(byte[] input, byte[] output) throws RasterFormatException {
        if (input.length >= 2 && input[0] == 0 && (input[1] & 1) != 0) {
            // libtiff's pre-5.0 "old-style" LZW (bits packed LSB first); GDAL never writes it.
            throw new RasterFormatException("old-style (LSB-first) LZW data is not supported");
        }
        int[] prefix = new int[TABLE_SIZE];
        byte[] suffix = new byte[TABLE_SIZE];
        byte[] first = new byte[TABLE_SIZE];
        int[] length = new int[TABLE_SIZE];
        for (int i = 0; i < 256; i++) {
            suffix[i] = (byte) i;
            first[i] = (byte) i;
            length[i] = 1;
        }
        long totalBits = (long) input.length * 8;
        long bitPos = 0;
        int out = 0;
        int next = FIRST_FREE;
        int bits = 9;
        int previous = -1;
        while (out < output.length) {
            if (bitPos + bits > totalBits) {
                break;
            }
            int code = readCode(input, bitPos, bits);
            bitPos += bits;
            if (code == END_OF_INFORMATION) {
                break;
            }
            if (code == CLEAR) {
                next = FIRST_FREE;
                bits = 9;
                previous = -1;
                continue;
            }
            if (previous == -1) {
                if (code > 255) {
                    throw new RasterFormatException("LZW code " + code + " follows a table reset; expected a literal");
                }
                output[out++] = (byte) code;
                previous = code;
                continue;
            }
            byte firstOfEntry;
            if (code < next) {
                out = writeString(code, prefix, suffix, length, output, out);
                firstOfEntry = first[code];
            } else if (code == next) {
                // The KwKwK case: the code being defined right now is the previous string plus its own first byte.
                out = writeString(previous, prefix, suffix, length, output, out);
                firstOfEntry = first[previous];
                if (out < output.length) {
                    output[out++] = firstOfEntry;
                }
            } else {
                throw new RasterFormatException("LZW code " + code + " is beyond the " + next + " table entries defined so far");
            }
            if (next < TABLE_SIZE) {
                prefix[next] = previous;
                suffix[next] = firstOfEntry;
                first[next] = first[previous];
                length[next] = length[previous] + 1;
                next++;
                if (next + 1 >= (1 << bits) && bits < MAX_BITS) {
                    bits++;
                }
            }
            previous = code;
        }
        if (out < output.length) {
            throw new RasterFormatException("LZW data ends after " + out + " of " + output.length
                    + " expected bytes (truncated or corrupt)");
        }
    }

    private static int readCode(byte[] input, long bitPos, int bits) {
        int byteIndex = (int) (bitPos >>> 3);
        int bitOffset = (int) (bitPos & 7);
        // Three bytes always hold a code of at most 12 bits that starts anywhere in the first byte.
        int window = (input[byteIndex] & 0xFF) << 16;
        if (byteIndex + 1 < input.length) {
            window |= (input[byteIndex + 1] & 0xFF) << 8;
        }
        if (byteIndex + 2 < input.length) {
            window |= input[byteIndex + 2] & 0xFF;
        }
        return (window >>> (24 - bitOffset - bits)) & ((1 << bits) - 1);
    }

    /** Writes the string of {@code code} at {@code out}, clipped to the buffer; returns the new position. */
    private static int writeString(int code, int[] prefix, byte[] suffix, int[] length, byte[] output, int out) {
        int end = out + length[code];
        int c = code;
        for (int pos = end - 1; pos >= out; pos--) {
            if (pos < output.length) {
                output[pos] = suffix[c];
            }
            c = prefix[c];
        }
        return Math.min(end, output.length);
    }
}
