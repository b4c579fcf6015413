/**
 * GeoCrop's object storage.
 *
 * <ul>
 *   <li>{@link io.geocrop.storage.Bucket}: the five buckets; {@link io.geocrop.storage.ObjectKeys}: the key layout
 *       of each bucket and the guard ({@code requireSafe}) every key passes.</li>
 *   <li>{@link io.geocrop.storage.ObjectStore}: the one API the functions use, with two implementations that pass
 *       the same contract tests ({@code ObjectStoreContract} in the test-jar):
 *       {@link io.geocrop.storage.LocalObjectStore} (embedded mode: files under a root directory, notifies an
 *       {@link io.geocrop.storage.ObjectCreatedListener} like a MinIO webhook) and
 *       {@link io.geocrop.storage.S3ObjectStore} (cluster mode: MinIO through the AWS SDK v2).</li>
 *   <li>Both also expose Micronaut Object Storage's {@code ObjectStorageOperations} per bucket:
 *       {@link io.geocrop.storage.LocalObjectStorageOperations} and
 *       {@link io.geocrop.storage.S3BucketOperations} (an {@code AwsS3Operations}).</li>
 *   <li>Failures: {@link io.geocrop.storage.UnsafeKeyException} (a refused key, nothing touched),
 *       {@link io.geocrop.storage.StorageException} and its subclasses
 *       {@link io.geocrop.storage.ObjectNotFoundException} and {@link io.geocrop.storage.InvalidRangeException},
 *       whose messages name bucket and key.</li>
 * </ul>
 */
package io.geocrop.storage;
