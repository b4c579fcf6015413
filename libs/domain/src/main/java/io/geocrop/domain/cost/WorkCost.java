package io.geocrop.domain.cost;

/**
 * What a piece of work cost: CPU time of the threads that did it, requests and bytes read from the imagery
 * catalogue (STAC searches and COG range reads), and bytes written to object storage.
 *
 * @param cpuNanos          CPU time summed over every thread that worked for it, in nanoseconds
 * @param catalogueRequests HTTP requests sent to the catalogue (searches, pages, range reads; retries included)
 * @param catalogueBytes    bytes the catalogue returned
 * @param bytesWritten      bytes written to object storage
 */
public record WorkCost(long cpuNanos, long catalogueRequests, long catalogueBytes, long bytesWritten) {
    /** Nothing spent. */
    public static final WorkCost ZERO = new WorkCost(0, 0, 0, 0);

    public WorkCost {
        if (cpuNanos < 0 || catalogueRequests < 0 || catalogueBytes < 0 || bytesWritten < 0) {
            throw new IllegalArgumentException("a work cost cannot be negative: " + cpuNanos + " ns, "
                    + catalogueRequests + " requests, " + catalogueBytes + " bytes read, " + bytesWritten
                    + " bytes written");
        }
    }

    /** The sum of both costs. */
    public WorkCost plus(WorkCost other) {
        return new WorkCost(cpuNanos + other.cpuNanos, catalogueRequests + other.catalogueRequests,
                catalogueBytes + other.catalogueBytes, bytesWritten + other.bytesWritten);
    }

    /** CPU time in seconds. */
    public double cpuSeconds() {
        return cpuNanos / 1e9;
    }
}
