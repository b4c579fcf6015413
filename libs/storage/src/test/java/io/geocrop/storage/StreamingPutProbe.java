package io.geocrop.storage;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Runs one {@link ObjectStore#put(Bucket, String, Path, String)} in a JVM started by
 * {@link ObjectStoreContract} with a heap smaller than the file, which only a streaming upload survives.
 *
 * <p>Arguments: {@code local <root>} or {@code s3 <endpoint> <accessKey> <secretKey>}, then
 * {@code <file> <bucket name> <key> <content type>}.
 */
public final class StreamingPutProbe {

    private StreamingPutProbe() {}

    /** Exit code 0 when the upload succeeded; 2 for bad arguments; 3 when the heap is too large to prove anything. */
    public static void main(String[] args) throws Exception {
        int storeArgs = switch (args.length > 0 ? args[0] : "") {
            case "local" -> 2;
            case "s3" -> 4;
            default -> -1;
        };
        if (storeArgs < 0 || args.length != storeArgs + 4) {
            System.err.println("usage: local <root> | s3 <endpoint> <accessKey> <secretKey>, then "
                    + "<file> <bucket> <key> <contentType>; got " + Arrays.toString(args));
            System.exit(2);
        }
        Path file = Path.of(args[storeArgs]);
        Bucket bucket = Bucket.ofName(args[storeArgs + 1])
                .orElseThrow(() -> new IllegalArgumentException("unknown bucket " + args[storeArgs + 1]));
        long heap = Runtime.getRuntime().maxMemory();
        if (heap > Files.size(file)) {
            System.err.println("heap of " + heap + " bytes could hold the " + Files.size(file) + "-byte file");
            System.exit(3);
        }
        try (ObjectStore store = args[0].equals("local")
                ? new LocalObjectStore(Path.of(args[1]), ObjectCreatedListener.NONE)
                : S3ObjectStore.create(S3StoreSettings.minio(URI.create(args[1]), args[2], args[3]))) {
            store.put(bucket, args[storeArgs + 2], file, args[storeArgs + 3]);
        }
        System.out.println("stored " + Files.size(file) + " bytes with a heap of " + heap + " bytes");
    }
}
