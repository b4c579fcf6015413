package io.geocrop.raster.io;

/**
 * How {@link RangeMerger} turns many small reads into few requests: ranges closer than {@code maxGapBytes} are
 * fetched as one, as long as the merged request stays within {@code maxSpanBytes} (a single range larger than
 * that is still fetched alone, whole). The gap bytes are downloaded and thrown away, which is cheaper than a
 * round trip for gaps up to some tens of KiB on any real network.
 *
 * @param maxGapBytes  largest hole between two ranges that is still read through; 0 merges only touching or
 *                     overlapping ranges
 * @param maxSpanBytes largest merged request, in bytes
 */
public record MergePolicy(int maxGapBytes, int maxSpanBytes) {

    /** 16 KiB gaps, 16 MiB requests. */
    public static final MergePolicy DEFAULT = new MergePolicy(16 * 1024, 16 * 1024 * 1024);

    /** Merges only ranges that touch or overlap. */
    public static final MergePolicy ADJACENT_ONLY = new MergePolicy(0, 16 * 1024 * 1024);

    /** Validates the limits. */
    public MergePolicy {
        if (maxGapBytes < 0) {
            throw new IllegalArgumentException("maxGapBytes must be >= 0, got " + maxGapBytes);
        }
        if (maxSpanBytes < 1) {
            throw new IllegalArgumentException("maxSpanBytes must be >= 1, got " + maxSpanBytes);
        }
    }
}
