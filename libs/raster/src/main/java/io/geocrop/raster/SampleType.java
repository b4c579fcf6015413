package io.geocrop.raster;

/** Pixel sample types GeoCrop reads and writes, with their TIFF encoding (BitsPerSample, SampleFormat). */
public enum SampleType {
    UINT8(8, 1), INT8(8, 2), UINT16(16, 1), INT16(16, 2), UINT32(32, 1), INT32(32, 2), FLOAT32(32, 3), FLOAT64(64, 3);

    private final int bits;
    private final int tiffSampleFormat;

    SampleType(int bits, int tiffSampleFormat) {
        this.bits = bits;
        this.tiffSampleFormat = tiffSampleFormat;
    }

    public int bits() {
        return bits;
    }

    public int bytes() {
        return bits / 8;
    }

    /** TIFF SampleFormat: 1 unsigned integer, 2 signed integer, 3 IEEE float. */
    public int tiffSampleFormat() {
        return tiffSampleFormat;
    }

    public boolean isFloat() {
        return tiffSampleFormat == 3;
    }

    /** The type for a TIFF (BitsPerSample, SampleFormat) pair; SampleFormat 0 means the default, unsigned. */
    public static SampleType of(int bitsPerSample, int sampleFormat) {
        int format = sampleFormat == 0 ? 1 : sampleFormat;
        for (SampleType t : values()) {
            if (t.bits == bitsPerSample && t.tiffSampleFormat == format) {
                return t;
            }
        }
        throw new IllegalArgumentException("unsupported sample type: " + bitsPerSample + " bits, SampleFormat " + sampleFormat);
    }
}
