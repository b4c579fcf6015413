package io.geocrop.registry;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.geocrop.models.ModelArtifact;
import io.geocrop.models.ModelCard;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.ObjectInfo;
import io.geocrop.storage.ObjectKeys;
import io.geocrop.storage.ObjectStore;
import io.geocrop.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The model registry without MLflow: the {@code geocrop-models} bucket ({@link Bucket#MODELS}) of any
 * {@link ObjectStore}. Layout, per registered model name:
 * <pre>
 * &lt;name&gt;/versions/&lt;n&gt;/model.onnx          the ONNX bytes
 * &lt;name&gt;/versions/&lt;n&gt;/model-card.json     the card, written last: a version is complete once it exists
 * &lt;name&gt;/versions/&lt;n&gt;/claims/&lt;id&gt;.json   who claimed number n (see below)
 * &lt;name&gt;/aliases/&lt;alias&gt;.json           {"name", "alias", "version", "updated_at"}
 * &lt;name&gt;/audit/&lt;instant&gt;-&lt;id&gt;.json       one promotion or rollback ({@link ModelAuditEntry}), append-only
 * </pre>
 *
 * <p>Version numbers: the object store has no conditional write, so a publisher claims number n by writing a claim
 * object with a random id under {@code versions/n/claims/} and then listing {@code versions/n/}: it owns n only if
 * its claim is the only object there; otherwise it deletes its claim, waits a few random milliseconds and tries n
 * again, moving to the next number once n holds files (someone won it). With a store whose writes and listings are
 * strongly consistent (S3, MinIO, the local store) two publishers cannot both own n: the later of two claims always
 * sees the earlier one. All contenders may lose a round, so attempts are bounded. A publisher that dies after claiming
 * leaves a claim that others give up on after a few rounds: a gap in the numbers, never a half-visible version, since
 * aliases are written after the card. Publishers in one process are also serialised per name.
 *
 * <p>Aliases: a publish does not move an alias backwards (it leaves it alone if it already points at a higher
 * version), but the read-then-write is not atomic: two publishers finishing within the same few milliseconds can
 * leave the alias on the lower of the two versions. {@link #promote} sets an alias unconditionally.
 */
public final class ObjectStoreModelRegistry implements ModelRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ObjectStoreModelRegistry.class);
    private static final String JSON_TYPE = "application/json";
    private static final String ONNX_TYPE = "application/octet-stream";
    private static final int CLAIM_ATTEMPTS = 32;
    private static final int ROUNDS_PER_NUMBER = 6;
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final ObjectStore store;
    private final Clock clock;
    private final ConcurrentHashMap<String, ReentrantLock> publishLocks = new ConcurrentHashMap<>();

    /**
     * @param store the object store holding {@link Bucket#MODELS}; the bucket must exist
     *              ({@link ObjectStore#ensureBuckets()})
     */
    public ObjectStoreModelRegistry(ObjectStore store) {
        this(store, Clock.systemUTC());
    }

    /** As {@link #ObjectStoreModelRegistry(ObjectStore)}, with the clock that stamps alias pointers. */
    public ObjectStoreModelRegistry(ObjectStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** {@code <name>/versions/<n>/<file>}: one file of a model version. */
    public static String versionKey(String name, String version, String file) {
        return ObjectKeys.requireSafe(RegistryNames.requireModelName(name) + "/versions/"
                + RegistryNames.requireVersion(version) + "/" + file);
    }

    /** {@code <name>/aliases/<alias>.json}: the pointer from an alias to a version. */
    public static String aliasKey(String name, String alias) {
        return ObjectKeys.requireSafe(RegistryNames.requireModelName(name) + "/aliases/"
                + RegistryNames.requireAlias(alias) + ".json");
    }

    @Override
    public ModelArtifact publish(ModelArtifact model, String alias) {
        String name = ModelRegistry.requirePublishable(model, alias);
        ReentrantLock lock = publishLocks.computeIfAbsent(name, n -> new ReentrantLock());
        lock.lock();
        try {
            String version = claimNextVersion(name);
            ModelCard card = model.card().withVersion(version);
            store.put(Bucket.MODELS, versionKey(name, version, ModelArtifact.ONNX_FILE), model.onnx(), ONNX_TYPE);
            store.put(Bucket.MODELS, versionKey(name, version, ModelArtifact.CARD_FILE), ModelCardJson.write(card),
                    JSON_TYPE);
            Optional<String> current = aliasVersion(name, alias);
            if (current.isPresent() && Long.parseLong(current.get()) > Long.parseLong(version)) {
                LOG.info("Published model {} version {}; alias {} stays on the newer version {}", name, version, alias,
                        current.get());
            } else {
                writeAlias(name, alias, version);
                LOG.info("Published model {} version {} to bucket {} as {}", name, version,
                        Bucket.MODELS.bucketName(), alias);
            }
            return new ModelArtifact(card, model.onnx());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<ModelArtifact> resolve(String name, String alias) {
        return aliasVersion(RegistryNames.requireModelName(name), RegistryNames.requireAlias(alias))
                .map(version -> new ModelArtifact(readCard(name, version, alias), readOnnx(name, version, alias)));
    }

    @Override
    public Optional<ModelCard> card(String name, String alias) {
        return aliasVersion(RegistryNames.requireModelName(name), RegistryNames.requireAlias(alias))
                .map(version -> readCard(name, version, alias));
    }

    @Override
    public ModelCard promote(String name, String version, String alias) {
        RegistryNames.requireModelName(name);
        RegistryNames.requireVersion(version);
        RegistryNames.requireAlias(alias);
        String cardKey = versionKey(name, version, ModelArtifact.CARD_FILE);
        byte[] cardBytes = read(cardKey).orElseThrow(() -> new UnknownModelVersionException(name, version));
        ModelCard card = ModelCardJson.read(cardBytes, describe(cardKey)).withVersion(version);
        writeAlias(name, alias, version);
        LOG.info("Alias {} of model {} now points at version {}", alias, name, version);
        return card;
    }

    @Override
    public Optional<ModelArtifact> version(String name, String version) {
        RegistryNames.requireModelName(name);
        RegistryNames.requireVersion(version);
        String cardKey = versionKey(name, version, ModelArtifact.CARD_FILE);
        Optional<byte[]> card = read(cardKey);
        if (card.isEmpty()) {
            return Optional.empty();
        }
        String onnxKey = versionKey(name, version, ModelArtifact.ONNX_FILE);
        byte[] onnx = read(onnxKey).orElseThrow(() -> new RegistryException("version " + version + " of model " + name
                + " has a card but " + describe(onnxKey) + " is missing"));
        return Optional.of(new ModelArtifact(ModelCardJson.read(card.get(), describe(cardKey)).withVersion(version), onnx));
    }

    @Override
    public Map<String, String> aliases(String name) {
        String prefix = RegistryNames.requireModelName(name) + "/aliases/";
        Map<String, String> out = new TreeMap<>();
        for (ObjectInfo info : store.list(Bucket.MODELS, prefix)) {
            String file = info.key().substring(prefix.length());
            if (!file.endsWith(".json") || file.contains("/")) {
                continue;
            }
            String alias = file.substring(0, file.length() - ".json".length());
            try {
                RegistryNames.requireAlias(alias);
            } catch (IllegalArgumentException e) {
                continue; // not an alias pointer GeoCrop wrote
            }
            aliasVersion(name, alias).ifPresent(v -> out.put(alias, v));
        }
        return out;
    }

    /** {@code <name>/audit/}: the folder of audit entries. */
    private static String auditPrefix(String name) {
        return RegistryNames.requireModelName(name) + "/audit/";
    }

    @Override
    public void recordAudit(String name, ModelAuditEntry entry) {
        Objects.requireNonNull(entry, "entry");
        // Instant first so that a listing sorts the entries by time; the random id keeps two entries of the same
        // millisecond apart (no conditional writes, so no counters).
        String key = ObjectKeys.requireSafe(auditPrefix(name) + entry.at().toString().replace(':', '-') + "-"
                + UUID.randomUUID() + ".json");
        store.put(Bucket.MODELS, key, entry.toJson(), JSON_TYPE);
    }

    @Override
    public List<ModelAuditEntry> audit(String name) {
        List<ModelAuditEntry> out = new ArrayList<>();
        for (ObjectInfo info : store.list(Bucket.MODELS, auditPrefix(name))) {
            if (info.key().endsWith(".json")) {
                read(info.key()).ifPresent(bytes -> out.add(ModelAuditEntry.fromJson(bytes, describe(info.key()))));
            }
        }
        out.sort(Comparator.comparing(ModelAuditEntry::at));
        return out;
    }

    /** The versions of {@code name} that are complete (card written), lowest first. */
    @Override
    public List<String> versions(String name) {
        String prefix = RegistryNames.requireModelName(name) + "/versions/";
        return store.list(Bucket.MODELS, prefix).stream()
                .map(ObjectInfo::key)
                .map(k -> k.substring(prefix.length()))
                .filter(rest -> rest.indexOf('/') > 0 && rest.substring(rest.indexOf('/')).equals("/" + ModelArtifact.CARD_FILE))
                .map(rest -> rest.substring(0, rest.indexOf('/')))
                .filter(v -> parseVersion(v) > 0)
                .sorted((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)))
                .toList();
    }

    private String claimNextVersion(String name) {
        String claimId = UUID.randomUUID().toString();
        long candidate = highestUsedVersion(name) + 1;
        int roundsOnCandidate = 0;
        for (int attempt = 1; attempt <= CLAIM_ATTEMPTS; attempt++) {
            String version = Long.toString(candidate);
            String claimKey = versionKey(name, version, "claims/" + claimId + ".json");
            String claim = "{\"claim\":\"" + claimId + "\",\"claimed_at\":\"" + clock.instant() + "\"}";
            List<ObjectInfo> inFolder;
            try {
                store.put(Bucket.MODELS, claimKey, claim.getBytes(StandardCharsets.UTF_8), JSON_TYPE);
                inFolder = store.list(Bucket.MODELS, name + "/versions/" + version + "/");
            } catch (StorageException e) {
                // Contenders create and remove the claims folder in quick succession, and the local store gives up
                // after a few folder re-creations; a lost round, not a failed publish (unless it keeps happening).
                deleteQuietly(claimKey, e);
                if (attempt == CLAIM_ATTEMPTS) {
                    throw e;
                }
                LOG.debug("Claiming version {} of {} failed, retrying: {}", version, name, e.getMessage());
                sleepJitter(attempt);
                continue;
            }
            if (inFolder.size() == 1 && inFolder.getFirst().key().equals(claimKey)) {
                return version;
            }
            // Someone else claimed or wrote this number at the same time: step back.
            store.delete(Bucket.MODELS, claimKey);
            boolean taken = inFolder.stream().anyMatch(o -> !o.key().contains("/claims/"));
            roundsOnCandidate++;
            // Retry the same number while nobody has written it (every contender may have lost the round), so that
            // contention leaves no gap; move on once it is taken, or after a few rounds against a claim that never
            // turns into files (a publisher that died after claiming).
            if (taken || roundsOnCandidate >= ROUNDS_PER_NUMBER) {
                candidate = Math.max(candidate + 1, highestUsedVersion(name) + 1);
                roundsOnCandidate = 0;
            }
            sleepJitter(attempt);
        }
        throw new RegistryException("could not claim a version number for model " + name + " after " + CLAIM_ATTEMPTS
                + " attempts: too many concurrent publishers");
    }

    /** The highest version number with any object (claim or files) under it, 0 when there is none. */
    private long highestUsedVersion(String name) {
        String prefix = name + "/versions/";
        long max = 0;
        for (ObjectInfo info : store.list(Bucket.MODELS, prefix)) {
            String rest = info.key().substring(prefix.length());
            int slash = rest.indexOf('/');
            if (slash > 0) {
                max = Math.max(max, parseVersion(rest.substring(0, slash)));
            }
        }
        return max;
    }

    private static long parseVersion(String s) {
        try {
            RegistryNames.requireVersion(s);
            return Long.parseLong(s);
        } catch (IllegalArgumentException e) {
            return -1; // not a version folder (written by hand?): ignore it rather than fail every publish
        }
    }

    private void deleteQuietly(String key, RuntimeException cause) {
        try {
            store.delete(Bucket.MODELS, key);
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private static void sleepJitter(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 5L * Math.min(attempt, 8) + 2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted while claiming a model version", e);
        }
    }

    private void writeAlias(String name, String alias, String version) {
        var pointer = new AliasPointer(name, alias, version, clock.instant().toString());
        try {
            store.put(Bucket.MODELS, aliasKey(name, alias), JSON.writeValueAsBytes(pointer), JSON_TYPE);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write alias pointer " + alias + " of " + name, e);
        }
    }

    private Optional<String> aliasVersion(String name, String alias) {
        String key = aliasKey(name, alias);
        return read(key).map(bytes -> {
            AliasPointer pointer;
            try {
                pointer = JSON.readValue(bytes, AliasPointer.class);
            } catch (IOException e) {
                throw new RegistryException("alias pointer " + describe(key) + " is not valid JSON", e);
            }
            if (pointer == null || pointer.version == null) {
                throw new RegistryException("alias pointer " + describe(key) + " names no version");
            }
            try {
                return RegistryNames.requireVersion(pointer.version);
            } catch (IllegalArgumentException e) {
                throw new RegistryException("alias pointer " + describe(key) + " names an invalid version: "
                        + e.getMessage(), e);
            }
        });
    }

    private ModelCard readCard(String name, String version, String alias) {
        String key = versionKey(name, version, ModelArtifact.CARD_FILE);
        byte[] bytes = read(key).orElseThrow(() -> new RegistryException("alias " + alias + " of model " + name
                + " points at version " + version + ", but " + describe(key) + " is missing"));
        return ModelCardJson.read(bytes, describe(key)).withVersion(version);
    }

    private byte[] readOnnx(String name, String version, String alias) {
        String key = versionKey(name, version, ModelArtifact.ONNX_FILE);
        return read(key).orElseThrow(() -> new RegistryException("alias " + alias + " of model " + name
                + " points at version " + version + ", but " + describe(key) + " is missing"));
    }

    private Optional<byte[]> read(String key) {
        Optional<InputStream> in = store.get(Bucket.MODELS, key);
        if (in.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream stream = in.get()) {
            return Optional.of(stream.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + describe(key) + ": " + e.getMessage(), e);
        }
    }

    private static String describe(String key) {
        return "s3://" + Bucket.MODELS.bucketName() + "/" + key;
    }

    @Override
    public String toString() {
        return "ObjectStoreModelRegistry[" + Bucket.MODELS.bucketName() + " on " + store + "]";
    }

    private record AliasPointer(
            @JsonProperty("name") String name,
            @JsonProperty("alias") String alias,
            @JsonProperty("version") String version,
            @JsonProperty("updated_at") String updatedAt) {}
}
