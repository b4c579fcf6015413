package io.geocrop.raster.io;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a response body into a byte array, but never more than {@code limit} bytes: a body that declares or
 * turns out to be larger cancels the exchange (closing the connection) instead of being downloaded, and completes
 * with {@link TooLarge}. The buffer is sized by the declared length, which is at most the limit, so a hostile
 * Content-Length cannot make it allocate more.
 */
public final class BoundedBodySubscriber implements HttpResponse.BodySubscriber<byte[]> {
    private static final int INITIAL_UNKNOWN_LENGTH_BUFFER = 64 * 1024;

    private final long limit;
    private final long declaredLength;
    private final String tooLargeMessage;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private Flow.Subscription subscription;
    private byte[] buffer;
    private int size;

    /**
     * @param limit           most bytes accepted
     * @param declaredLength  the Content-Length, or -1 when absent
     * @param tooLargeMessage the message of the {@link TooLarge} failure
     */
    BoundedBodySubscriber(long limit, long declaredLength, String tooLargeMessage) {
        this.limit = limit;
        this.declaredLength = declaredLength;
        this.tooLargeMessage = tooLargeMessage;
    }

    /**
     * A body handler that bounds every response to {@code limit} bytes (the STAC client uses it for API answers).
     * A larger body fails with {@link TooLarge}.
     */
    public static HttpResponse.BodyHandler<byte[]> handler(long limit) {
        return info -> new BoundedBodySubscriber(limit, info.headers().firstValueAsLong("Content-Length").orElse(-1),
                "the body is larger than the limit of " + limit + " bytes");
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (declaredLength > limit) {
            s.cancel();
            result.completeExceptionally(new TooLarge(tooLargeMessage + " (Content-Length " + declaredLength + ")"));
            return;
        }
        buffer = new byte[(int) (declaredLength >= 0 ? declaredLength : Math.min(limit, INITIAL_UNKNOWN_LENGTH_BUFFER))];
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer item : items) {
            int n = item.remaining();
            if ((long) size + n > limit) {
                subscription.cancel();
                result.completeExceptionally(new TooLarge(tooLargeMessage + " (more than " + limit + " bytes arrived)"));
                return;
            }
            if (size + n > buffer.length) {
                buffer = Arrays.copyOf(buffer, (int) Math.min(limit, Math.max((long) size + n, 2L * buffer.length)));
            }
            item.get(buffer, size, n);
            size += n;
        }
    }

    @Override
    public void onError(Throwable throwable) {
        result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
        result.complete(size == buffer.length ? buffer : Arrays.copyOf(buffer, size));
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    /** The body exceeded the limit; the exchange was abandoned. Not worth retrying. */
    public static final class TooLarge extends IOException {
        TooLarge(String message) {
            super(message);
        }
    }
}
