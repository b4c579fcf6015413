package io.geocrop.imagery.sim;

import io.geocrop.storage.Bucket;
import io.geocrop.storage.ObjectStore;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Simulated Dynamic World baselines on demand, in object storage: {@link #ensure} stores the baseline COG of every
 * 10 km cell a box touches ({@link SimulatedDynamicWorld#cellsCovering}) under
 * {@code dw/zim/summer/<year>/<cell>.tif} in {@code geocrop-baselines}, unless it is there already.
 *
 * <p>Each cell is generated at most once: a concurrent call that needs a cell being generated waits for that
 * generation instead of starting its own, and an object already in the store (from an earlier run, or uploaded)
 * is never overwritten. At most {@code parallelism} cells are generated at once across all callers, and one call
 * may need at most {@code maxCellsPerCall} cells. Thread-safe.
 */
public final class SimulatedBaselines {
    private static final Logger LOG = LoggerFactory.getLogger(SimulatedBaselines.class);

    private final SimulatedDynamicWorld generator;
    private final ObjectStore store;
    private final Path workDir;
    private final int maxCellsPerCall;
    private final Semaphore permits;
    /** Keys known to be stored: no need to ask the store again. */
    private final Set<String> stored = ConcurrentHashMap.newKeySet();
    private final Map<String, CompletableFuture<Boolean>> running = new ConcurrentHashMap<>();
    private final AtomicLong generated = new AtomicLong();
    private final AtomicLong generationNanos = new AtomicLong();
    private final Consumer<String> onStored;

    /** Without a callback: see {@link #SimulatedBaselines(SimulatedDynamicWorld, ObjectStore, Path, int, int, Consumer)}. */
    public SimulatedBaselines(SimulatedDynamicWorld generator, ObjectStore store, Path workDir, int maxCellsPerCall,
                              int parallelism) {
        this(generator, store, workDir, maxCellsPerCall, parallelism, key -> { });
    }

    /**
     * @param workDir         where COGs are written before upload (created if missing)
     * @param maxCellsPerCall most cells one {@link #ensure} call may touch
     * @param parallelism     most cells generated at the same time
     * @param onStored        called with the key of each generated cell once it is stored, before any caller
     *                        waiting for it returns (e.g. to refresh an index of the stored baselines)
     */
    public SimulatedBaselines(SimulatedDynamicWorld generator, ObjectStore store, Path workDir, int maxCellsPerCall,
                              int parallelism, Consumer<String> onStored) {
        if (maxCellsPerCall < 1 || parallelism < 1) {
            throw new IllegalArgumentException("maxCellsPerCall and parallelism must be at least 1, got "
                    + maxCellsPerCall + " and " + parallelism);
        }
        this.generator = generator;
        this.store = store;
        this.workDir = workDir;
        this.maxCellsPerCall = maxCellsPerCall;
        this.permits = new Semaphore(parallelism, true);
        this.onStored = onStored;
    }

    /**
     * What {@link #ensure} did.
     *
     * @param keys      the keys of every cell the box touches, in key order
     * @param generated how many cells this call generated
     */
    public record GeneratedBaselines(List<String> keys, int generated) {}

    /**
     * Makes sure the baseline of every cell the WGS84 box touches is stored for season {@code year}.
     *
     * @throws IllegalArgumentException if the box is invalid or touches more than {@code maxCellsPerCall} cells
     * @throws IOException              if writing or storing a cell fails
     */
    public GeneratedBaselines ensure(int year, double minLon, double minLat, double maxLon, double maxLat) throws IOException {
        List<Scene> cells = SimulatedDynamicWorld.cellsCovering(minLon, minLat, maxLon, maxLat);
        if (cells.size() > maxCellsPerCall) {
            throw new IllegalArgumentException("the box [" + minLon + ", " + minLat + ", " + maxLon + ", " + maxLat
                    + "] touches " + cells.size() + " baseline cells of 10 km; at most " + maxCellsPerCall
                    + " are generated at once");
        }
        List<String> keys = new ArrayList<>(cells.size());
        int made = 0;
        for (Scene cell : cells) {
            String key = SimulatedDynamicWorld.key(year, cell);
            keys.add(key);
            made += ensureCell(year, cell, key) ? 1 : 0;
        }
        return new GeneratedBaselines(keys, made);
    }

    /** Cells generated by this instance so far. */
    public long generatedCells() {
        return generated.get();
    }

    /** Total time spent generating and storing cells, in nanoseconds. */
    public long generationNanos() {
        return generationNanos.get();
    }

    /** Whether this call generated the cell. */
    private boolean ensureCell(int year, Scene cell, String key) throws IOException {
        if (stored.contains(key)) {
            return false;
        }
        CompletableFuture<Boolean> mine = new CompletableFuture<>();
        CompletableFuture<Boolean> other = running.putIfAbsent(key, mine);
        if (other != null) {
            try {
                other.join();
                return false;
            } catch (CompletionException e) {
                throw new IOException("generating the baseline " + key + " failed: " + e.getCause().getMessage(), e.getCause());
            }
        }
        try {
            boolean made = false;
            if (store.head(Bucket.BASELINES, key).isEmpty()) {
                generate(year, cell, key);
                made = true;
            }
            stored.add(key);
            mine.complete(made);
            return made;
        } catch (IOException | RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            running.remove(key, mine); // later callers find the key in `stored`, or retry after a failure
        }
    }

    private void generate(int year, Scene cell, String key) throws IOException {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to generate " + key);
        }
        Path file = null;
        try {
            long t0 = System.nanoTime();
            Files.createDirectories(workDir);
            file = Files.createTempFile(workDir, "dw-" + cell.id() + "-", ".tif");
            generator.write(year, cell, file);
            store.put(Bucket.BASELINES, key, file, "image/tiff");
            onStored.accept(key);
            long nanos = System.nanoTime() - t0;
            generated.incrementAndGet();
            generationNanos.addAndGet(nanos);
            LOG.debug("generated baseline {} in {} ms", key, nanos / 1_000_000);
        } finally {
            permits.release();
            if (file != null) {
                Files.deleteIfExists(file);
            }
        }
    }
}
