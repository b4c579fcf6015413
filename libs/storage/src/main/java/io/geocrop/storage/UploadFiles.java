package io.geocrop.storage;

import java.nio.file.Files;
import java.nio.file.Path;

/** Checks shared by both stores for uploads from a local file. */
final class UploadFiles {

    private UploadFiles() {}

    /**
     * Fails before anything is sent or created when the local file cannot be read, so a bad path leaves no
     * trace in the store and the message names the file rather than a vendor error.
     */
    static void requireReadable(Bucket bucket, String key, Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new StorageException(bucket.bucketName(), key, "the local file " + file
                    + " to upload does not exist, is not a regular file or is not readable", null);
        }
    }
}
