package io.geocrop.submit;

import io.geocrop.registry.ModelRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Job de-duplication on the version an alias points at when the job is submitted ({@code name@alias=3}), read from
 * the registry the scoring reads; a name without the alias yet (the demo model not trained) or a registry that
 * cannot be read keys on {@code name@alias}, so a submission never fails for it. An answer is reused for
 * {@code ttl} (zero: every submission asks), so a burst of submissions is not a burst of registry requests; a
 * promotion is therefore seen by de-duplication at most {@code ttl} late.
 */
public final class RegistryModelVersionKey implements ModelVersionKey {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryModelVersionKey.class);
    private final ModelRegistry registry;
    private final Duration ttl;
    private final Map<String, Resolved> recent = new ConcurrentHashMap<>();

    private record Resolved(String key, long atNanos) {}

    /** Asks the registry on every call. */
    public RegistryModelVersionKey(ModelRegistry registry) {
        this(registry, Duration.ZERO);
    }

    /** Reuses each answer for {@code ttl}. */
    public RegistryModelVersionKey(ModelRegistry registry, Duration ttl) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
    }

    @Override
    public String of(String modelRef) {
        int at = modelRef.indexOf('@');
        if (at <= 0) {
            return modelRef;
        }
        long now = System.nanoTime();
        Resolved r = recent.get(modelRef);
        if (r != null && now - r.atNanos() < ttl.toNanos()) {
            return r.key();
        }
        String key;
        try {
            String version = registry.aliases(modelRef.substring(0, at)).get(modelRef.substring(at + 1));
            key = version == null ? modelRef : modelRef + "=" + version;
        } catch (RuntimeException e) {
            // Remembered for ttl too: a registry that is down is not asked again by every submission of a burst.
            LOG.warn("Cannot resolve {} for de-duplication, keying on the alias: {}", modelRef, e.getMessage());
            key = modelRef;
        }
        if (!ttl.isZero()) {
            recent.put(modelRef, new Resolved(key, now));
        }
        return key;
    }
}
