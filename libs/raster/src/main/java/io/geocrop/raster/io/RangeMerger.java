package io.geocrop.raster.io;

import io.geocrop.domain.cost.WorkMeter;
import io.geocrop.raster.ByteRange;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Plans and performs merged range reads: sorts the wanted ranges, joins those that touch, overlap or lie within a
 * small gap of each other into spans (per {@link MergePolicy}), fetches each span with one request (spans
 * optionally in parallel, bounded), and slices the answers back into the ranges in the order asked.
 */
public final class RangeMerger {

    private RangeMerger() {}

    /** Reads one span: {@code length} bytes at {@code offset}, fewer only at the end of the file. */
    @FunctionalInterface
    public interface SpanReader {
        /** Fetches the span; throws {@link EOFException} if {@code offset} is at or past the end. */
        byte[] read(long offset, int length) throws IOException;
    }

    /**
     * One request covering several wanted ranges.
     *
     * @param offset  first byte of the request
     * @param length  bytes requested
     * @param members indexes (into the caller's list) of the ranges it covers
     */
    public record Span(long offset, int length, List<Integer> members) {
        /** One past the last byte of the request. */
        public long end() {
            return offset + length;
        }
    }

    /**
     * Groups {@code ranges} into spans. Zero-length ranges belong to no span (they read as empty arrays).
     *
     * @return spans sorted by offset
     */
    public static List<Span> plan(List<ByteRange> ranges, MergePolicy policy) {
        Integer[] order = new Integer[ranges.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingLong((Integer i) -> ranges.get(i).offset())
                .thenComparingLong(i -> ranges.get(i).end()));
        List<Span> spans = new ArrayList<>();
        long start = -1;
        long end = -1;
        List<Integer> members = null;
        for (Integer index : order) {
            ByteRange r = ranges.get(index);
            if (r.length() == 0) {
                continue;
            }
            boolean joins = members != null
                    && r.offset() <= end + policy.maxGapBytes()
                    && Math.max(end, r.end()) - start <= policy.maxSpanBytes();
            if (joins) {
                end = Math.max(end, r.end());
                members.add(index);
            } else {
                if (members != null) {
                    spans.add(new Span(start, Math.toIntExact(end - start), List.copyOf(members)));
                }
                start = r.offset();
                end = r.end();
                members = new ArrayList<>();
                members.add(index);
            }
        }
        if (members != null) {
            spans.add(new Span(start, Math.toIntExact(end - start), List.copyOf(members)));
        }
        return spans;
    }

    /**
     * Reads {@code ranges} with as few requests as {@code policy} allows.
     *
     * @param maxConcurrent how many spans may be in flight at once (1 = one after the other, in this thread)
     * @param reader        fetches one span
     * @param description   the source, for error messages
     * @return the bytes of each range, in the order of {@code ranges}; a range running past the end of the file
     *         is cut short there
     * @throws EOFException if a non-empty range starts at or past the end of the file
     */
    public static List<byte[]> read(List<ByteRange> ranges, MergePolicy policy, int maxConcurrent, SpanReader reader,
                                    String description) throws IOException {
        List<Span> spans = plan(ranges, policy);
        byte[][] spanData = fetchAll(spans, maxConcurrent, reader);
        byte[][] out = new byte[ranges.size()][];
        for (int s = 0; s < spans.size(); s++) {
            Span span = spans.get(s);
            byte[] data = spanData[s];
            for (int index : span.members()) {
                ByteRange r = ranges.get(index);
                long start = r.offset() - span.offset();
                if (start >= data.length) {
                    throw new EOFException(description + ": range at byte " + r.offset() + " starts past the end ("
                            + (span.offset() + data.length) + " bytes)");
                }
                int from = (int) start;
                int to = (int) Math.min(start + r.length(), data.length);
                out[index] = from == 0 && to == data.length ? data : Arrays.copyOfRange(data, from, to);
            }
        }
        for (int i = 0; i < out.length; i++) {
            if (out[i] == null) {
                out[i] = new byte[0];
            }
        }
        return Arrays.asList(out);
    }

    private static byte[][] fetchAll(List<Span> spans, int maxConcurrent, SpanReader reader) throws IOException {
        byte[][] data = new byte[spans.size()][];
        if (spans.size() <= 1 || maxConcurrent <= 1) {
            for (int s = 0; s < spans.size(); s++) {
                data[s] = reader.read(spans.get(s).offset(), spans.get(s).length());
            }
            return data;
        }
        // Virtual threads: each span mostly waits on the network, so a platform thread each would be waste.
        Semaphore permits = new Semaphore(maxConcurrent);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<byte[]>> futures = new ArrayList<>(spans.size());
            for (Span span : spans) {
                futures.add(executor.submit(WorkMeter.<byte[]>wrap(() -> {
                    permits.acquire();
                    try {
                        return reader.read(span.offset(), span.length());
                    } finally {
                        permits.release();
                    }
                })));
            }
            for (int s = 0; s < futures.size(); s++) {
                try {
                    data[s] = futures.get(s).get();
                } catch (ExecutionException e) {
                    futures.forEach(f -> f.cancel(true));
                    throw rethrow(e.getCause());
                } catch (InterruptedException e) {
                    futures.forEach(f -> f.cancel(true));
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for range reads");
                }
            }
        }
        return data;
    }

    private static IOException rethrow(Throwable cause) {
        if (cause instanceof IOException io) {
            return io;
        }
        if (cause instanceof RuntimeException re) {
            throw re;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new IOException(cause);
    }
}
