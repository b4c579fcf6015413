package io.geocrop.platform.admission;

import io.geocrop.platform.problem.ProblemException;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admission budget (issue 17): refuses new work with 503 and {@code Retry-After} while the job store holds
 * {@code max-queued-jobs} queued jobs or {@code max-outstanding-tiles} unscored tiles, instead of accepting work
 * the deployment cannot hold.
 *
 * <p>The counts come from the job store (so every instance sees the deployment's load) and one reading is reused
 * for {@code count-ttl}: a burst of a thousand requests costs the database one query per interval. Only one
 * caller refreshes; the others use the last reading meanwhile. Jobs this instance admits between two readings
 * are added to the reading, so a burst overshoots the budget by at most the submissions in flight when a reading is
 * taken and those other instances accept within one interval.
 *
 * <p>Besides the budget of work, at most {@code max-in-flight} submissions are worked on at once ({@link #enter()}):
 * the others wait briefly and are then answered 503 at once, rather than queueing for database connections until
 * the clients time out.
 *
 * <p>Admission is checked in the submit route, not in the route guard, because an identical submission of a job
 * that exists adds no work and is still answered with that job (200): that needs the parsed request.
 */
public final class AdmissionControl {
    private static final Logger LOG = LoggerFactory.getLogger(AdmissionControl.class);

    private final AdmissionSettings settings;
    private final JobLoad load;
    private final LongSupplier nanoTime;
    private final ReentrantLock refreshing = new ReentrantLock();
    private final AtomicLong admittedSinceReading = new AtomicLong();
    private final Semaphore inFlight;
    private volatile Reading last;

    private record Reading(JobLoad.Load load, long atNanos) {}

    /** A reservation for one new job, or a refusal with its reason. */
    public sealed interface Ticket permits Admitted, Refused {}

    /** Room for one new job; {@link #release(Ticket)} it if no job was created after all (an identical one existed). */
    public record Admitted() implements Ticket {}

    /** No room: {@code reason} in words, for the problem body. */
    public record Refused(String reason) implements Ticket {}

    public AdmissionControl(AdmissionSettings settings, JobLoad load) {
        this(settings, load, System::nanoTime);
    }

    /** With the clock that decides when a reading is stale (tests move it). */
    public AdmissionControl(AdmissionSettings settings, JobLoad load, LongSupplier nanoTime) {
        this.settings = settings;
        this.load = load;
        this.nanoTime = nanoTime;
        this.inFlight = new Semaphore(settings.maxInFlight());
    }

    /**
     * Takes one of the {@code max-in-flight} places for a submission, waiting at most {@code in-flight-wait}. Every
     * {@code true} must be followed by {@link #leave()}.
     */
    public boolean enter() throws InterruptedException {
        return !settings.enabled() || inFlight.tryAcquire(settings.inFlightWait().toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Gives back the place {@link #enter()} took. */
    public void leave() {
        if (settings.enabled()) {
            inFlight.release();
        }
    }

    /** The 503 for a submission that found no place in flight: the burst passes in moments, so a short wait. */
    public ProblemException busy() {
        return ProblemException.unavailable(
                "the server is busy with other submissions (" + settings.maxInFlight() + " at once); try again in 2 s", 2);
    }

    /** How long an answer about an identical job may be reused: as long as one reading of the counts. */
    public java.time.Duration reuse() {
        return settings.countTtl();
    }

    /**
     * Reserves room for one new job, or says why there is none. A reserved place counts against the budget until
     * the next reading of the job store (which then holds the job) or {@link #release(Ticket)}.
     */
    public Ticket reserve() {
        if (!settings.enabled()) {
            return new Admitted();
        }
        JobLoad.Load now = current();
        if (now == null) {
            // The job store could not be read: the submission itself will find out whether it is up.
            return new Admitted();
        }
        if (now.outstandingTiles() >= settings.maxOutstandingTiles()) {
            return new Refused("the server is busy: " + now.outstandingTiles() + " tiles are waiting to be processed (at most "
                    + settings.maxOutstandingTiles() + "); try again in " + settings.retryAfter().toSeconds() + " s");
        }
        while (true) {
            long admitted = admittedSinceReading.get();
            long queued = now.queuedJobs() + admitted;
            if (queued >= settings.maxQueuedJobs()) {
                return new Refused("the server is busy: " + queued + " jobs are queued (at most " + settings.maxQueuedJobs()
                        + "); try again in " + settings.retryAfter().toSeconds() + " s");
            }
            if (admittedSinceReading.compareAndSet(admitted, admitted + 1)) {
                return new Admitted();
            }
        }
    }

    /** Gives back a reserved place that did not become a new job. */
    public void release(Ticket ticket) {
        if (settings.enabled() && ticket instanceof Admitted) {
            admittedSinceReading.updateAndGet(n -> Math.max(0, n - 1));
        }
    }

    /** The existing job of an identical request, which a full server still answers with (it adds no work). */
    public Optional<UUID> existing(String dedupKey) {
        return load.jobWithKey(dedupKey);
    }

    /** The 503 answer for a refusal: an RFC 9457 problem with {@code Retry-After}. */
    public ProblemException problem(Refused refused) {
        return ProblemException.unavailable(refused.reason(), settings.retryAfter().toSeconds());
    }

    /** The last reading, refreshed by one caller when older than the TTL; null if the store was never readable. */
    private JobLoad.Load current() {
        Reading reading = last;
        long now = nanoTime.getAsLong();
        boolean stale = reading == null || now - reading.atNanos() >= settings.countTtl().toNanos();
        if (stale && (reading == null ? lockWaiting() : refreshing.tryLock())) {
            try {
                reading = last;
                if (reading == null || nanoTime.getAsLong() - reading.atNanos() >= settings.countTtl().toNanos()) {
                    long admittedBefore = admittedSinceReading.get();
                    JobLoad.Load fresh = load.read();
                    // The reading includes the jobs admitted before it was taken (they are committed rows by now).
                    admittedSinceReading.addAndGet(-admittedBefore);
                    reading = new Reading(fresh, nanoTime.getAsLong());
                    last = reading;
                }
            } catch (RuntimeException e) {
                LOG.warn("Admission could not read the job store's load ({}); using the last reading", e.getMessage());
            } finally {
                refreshing.unlock();
            }
        }
        return reading == null ? null : reading.load();
    }

    private boolean lockWaiting() {
        refreshing.lock();
        return true;
    }
}
