package io.geocrop.raster.io;

import io.geocrop.raster.ByteRange;
import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RangeMergerTest {

    private static final byte[] FILE = new byte[10_000];

    static {
        for (int i = 0; i < FILE.length; i++) {
            FILE[i] = (byte) (i * 31 + 7);
        }
    }

    /** A span reader over FILE with HTTP semantics (short tail, EOF past the end) that records its calls. */
    private static RangeMerger.SpanReader recording(List<String> calls) {
        return (offset, length) -> {
            synchronized (calls) {
                calls.add(offset + "+" + length);
            }
            if (offset >= FILE.length) {
                throw new EOFException("past end");
            }
            return Arrays.copyOfRange(FILE, (int) offset, (int) Math.min(offset + length, FILE.length));
        };
    }

    @Test
    void touchingOverlappingAndNearRangesMergeFarOnesDoNot() {
        List<ByteRange> ranges = List.of(
                new ByteRange(500, 100), new ByteRange(0, 100), new ByteRange(100, 50), new ByteRange(120, 10),
                new ByteRange(160, 40), new ByteRange(5000, 10));
        List<RangeMerger.Span> spans = RangeMerger.plan(ranges, new MergePolicy(10, 1 << 20));
        assertEquals(3, spans.size(), spans.toString());
        assertEquals(new RangeMerger.Span(0, 200, List.of(1, 2, 3, 4)), spans.get(0));
        assertEquals(new RangeMerger.Span(500, 100, List.of(0)), spans.get(1));
        assertEquals(new RangeMerger.Span(5000, 10, List.of(5)), spans.get(2));
    }

    @Test
    void maxSpanLimitsMergingButNeverSplitsARange() {
        List<ByteRange> ranges = List.of(new ByteRange(0, 600), new ByteRange(600, 600), new ByteRange(1200, 2000));
        List<RangeMerger.Span> spans = RangeMerger.plan(ranges, new MergePolicy(0, 1000));
        assertEquals(List.of(new RangeMerger.Span(0, 600, List.of(0)), new RangeMerger.Span(600, 600, List.of(1)),
                new RangeMerger.Span(1200, 2000, List.of(2))), spans);
    }

    @Test
    void readSlicesAnswersBackInTheAskedOrder() throws IOException {
        List<String> calls = new ArrayList<>();
        List<ByteRange> ranges = List.of(new ByteRange(300, 20), new ByteRange(0, 10), new ByteRange(5, 10),
                new ByteRange(9_990, 100), new ByteRange(50, 0), new ByteRange(0, 10));
        List<byte[]> out = RangeMerger.read(ranges, new MergePolicy(500, 1 << 20), 1, recording(calls), "test");
        assertEquals(List.of("0+320", "9990+100"), calls);
        for (int i = 0; i < ranges.size(); i++) {
            ByteRange r = ranges.get(i);
            assertArrayEquals(Arrays.copyOfRange(FILE, (int) r.offset(), (int) Math.min(r.end(), FILE.length)), out.get(i));
        }
    }

    @Test
    void parallelReadGivesTheSameBytes() throws IOException {
        List<String> calls = new ArrayList<>();
        List<ByteRange> ranges = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ranges.add(new ByteRange(i * 450L, 100));
        }
        List<byte[]> out = RangeMerger.read(ranges, new MergePolicy(0, 1 << 20), 4, recording(calls), "test");
        assertEquals(20, calls.size());
        for (int i = 0; i < ranges.size(); i++) {
            assertArrayEquals(Arrays.copyOfRange(FILE, i * 450, i * 450 + 100), out.get(i));
        }
    }

    @Test
    void rangeStartingPastTheEndIsEofEvenInsideAMergedSpan() {
        List<String> calls = new ArrayList<>();
        List<ByteRange> ranges = List.of(new ByteRange(9_995, 5), new ByteRange(10_002, 5));
        EOFException e = assertThrows(EOFException.class,
                () -> RangeMerger.read(ranges, MergePolicy.DEFAULT, 1, recording(calls), "the-file"));
        assertTrue(e.getMessage().contains("the-file") && e.getMessage().contains("10002"), e.getMessage());
    }

    @Test
    void failureOfOneParallelSpanFailsTheRead() {
        AtomicInteger calls = new AtomicInteger();
        RangeMerger.SpanReader failing = (offset, length) -> {
            calls.incrementAndGet();
            if (offset == 900) {
                throw new IOException("boom at 900");
            }
            return new byte[length];
        };
        List<ByteRange> ranges = List.of(new ByteRange(0, 10), new ByteRange(900, 10), new ByteRange(5000, 10));
        IOException e = assertThrows(IOException.class,
                () -> RangeMerger.read(ranges, new MergePolicy(0, 100), 3, failing, "x"));
        assertEquals("boom at 900", e.getMessage());
    }
}
