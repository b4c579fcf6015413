package io.geocrop.imagery.stac;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a response body, but never more than {@code limit} bytes: a body that declares or turns out to be
 * larger cancels the exchange and completes with {@link TooLarge}, so a hostile server cannot exhaust memory.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
    private static final int INITIAL_BUFFER = 64 * 1024;

    private final long limit;
    private final long declaredLength;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private Flow.Subscription subscription;
    private byte[] buffer;
    private int size;

    BoundedBody(long limit, long declaredLength) {
        this.limit = limit;
        this.declaredLength = declaredLength;
    }

    /** A body handler that bounds every response to {@code limit} bytes. */
    static HttpResponse.BodyHandler<byte[]> handler(long limit) {
        return info -> new BoundedBody(limit, info.headers().firstValueAsLong("Content-Length").orElse(-1));
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (declaredLength > limit) {
            s.cancel();
            result.completeExceptionally(new TooLarge("Content-Length " + declaredLength + " exceeds the limit of "
                    + limit + " bytes"));
            return;
        }
        // Sized by the declared length only up to the initial buffer: a lying Content-Length costs nothing.
        buffer = new byte[(int) Math.min(declaredLength >= 0 ? declaredLength : INITIAL_BUFFER, INITIAL_BUFFER)];
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
                result.completeExceptionally(new TooLarge("more than " + limit + " bytes arrived"));
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
    static final class TooLarge extends IOException {
        TooLarge(String message) {
            super(message);
        }
    }
}
