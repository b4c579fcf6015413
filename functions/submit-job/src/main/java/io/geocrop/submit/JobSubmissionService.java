package io.geocrop.submit;

import io.geocrop.domain.JobRequest;
import io.geocrop.domain.JobState;
import io.geocrop.events.EventPublisher;
import io.geocrop.events.EventType;
import io.geocrop.events.GeoCropEvents;
import io.geocrop.events.JobSubmittedV1;
import io.geocrop.events.TraceScope;
import io.geocrop.jobs.Job;
import io.geocrop.jobs.JobStore;
import io.geocrop.jobs.NewJob;
import io.geocrop.jobs.Submission;
import io.geocrop.platform.admission.AdmissionControl;
import io.cloudevents.CloudEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a validated job and hands it to the event transport. The job row is written first and is the
 * source of truth: if the hand-over fails the job stays {@code QUEUED} with no {@code enqueued_at}, and the
 * reconciler re-emits it, so a submission is never lost.
 */
public final class JobSubmissionService {
    private static final Logger LOG = LoggerFactory.getLogger(JobSubmissionService.class);

    private final JobStore store;
    private final EventPublisher publisher;
    private final String modelRef;
    private final Clock clock;
    private final AdmissionControl admission;
    private final Map<String, Recent> recentAnswers = new ConcurrentHashMap<>();

    private final Map<String, CompletableFuture<Job>> pendingByKey = new ConcurrentHashMap<>();

    private static final int MAX_RECENT = 10_000;
    private static final int IDENTICAL_WAIT_SECONDS = 5;

    private record Recent(Job job, long atNanos) {}

    public JobSubmissionService(JobStore store, EventPublisher publisher, String modelRef, Clock clock,
                                AdmissionControl admission) {
        this.store = store;
        this.admission = admission;
        this.publisher = publisher;
        this.modelRef = modelRef;
        this.clock = clock;
    }

    /**
     * Records the job (or finds the identical one) and, when new, queues it. A new job needs room in the admission
     * budget; an identical request of a job that exists adds no work and gets that job even when the server is full.
     * An identical request within {@code geocrop.admission.count-ttl} of the last answer about that job is answered
     * from memory (the job as it was then), so a burst of identical submissions costs the database one submission.
     *
     * @throws io.geocrop.platform.problem.ProblemException 503 with {@code Retry-After} when the budget is spent, or
     *     when the instance is already working on its most submissions
     */
    public Submission submit(JobRequest request) {
        String key = dedupKey(request, modelRef);
        Optional<Job> known = recent(key);
        if (known.isPresent()) {
            return new Submission(known.get(), false);
        }
        // Identical requests in flight at once wait for the first one's answer instead of each taking a place.
        CompletableFuture<Job> mine = new CompletableFuture<>();
        CompletableFuture<Job> first = pendingByKey.putIfAbsent(key, mine);
        if (first != null) {
            return new Submission(awaitIdentical(first), false);
        }
        try {
            Submission submission = enterAndSubmit(request, key);
            mine.complete(submission.job());
            return submission;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            pendingByKey.remove(key, mine);
        }
    }

    private Job awaitIdentical(CompletableFuture<Job> first) {
        try {
            return first.get(IDENTICAL_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw admission.busy();
        } catch (TimeoutException e) {
            throw admission.busy();
        } catch (ExecutionException e) {
            // The first request's answer (a 503, say) is this one's too.
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private Submission enterAndSubmit(JobRequest request, String key) {
        Optional<Job> known;
        boolean entered;
        try {
            entered = admission.enter();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw admission.busy();
        }
        if (!entered) {
            // The identical job may have been recorded while this request waited.
            return recent(key).map(job -> new Submission(job, false)).orElseThrow(admission::busy);
        }
        try {
            known = recent(key);
            if (known.isPresent()) {
                return new Submission(known.get(), false);
            }
            Submission submission = admitAndRecord(request, key);
            remember(key, submission.job());
            return submission;
        } finally {
            admission.leave();
        }
    }

    private Submission admitAndRecord(JobRequest request, String key) {
        AdmissionControl.Ticket ticket = admission.reserve();
        if (ticket instanceof AdmissionControl.Refused refused) {
            Optional<Job> existing = admission.existing(key).flatMap(store::find);
            if (existing.isPresent()) {
                return new Submission(existing.get(), false);
            }
            LOG.info("Submission refused: {}", refused.reason());
            throw admission.problem(refused);
        }
        Submission submission;
        try {
            submission = store.submit(new NewJob(UUID.randomUUID(), request, modelRef, key));
        } catch (RuntimeException e) {
            admission.release(ticket);
            throw e;
        }
        if (submission.created()) {
            return new Submission(enqueue(submission.job()), true);
        }
        admission.release(ticket);
        return submission;
    }

    /** The job last answered for {@code key}, if that was within the reuse window and it had not failed. */
    private Optional<Job> recent(String key) {
        Recent r = recentAnswers.get(key);
        if (r == null || System.nanoTime() - r.atNanos() > admission.reuse().toNanos()) {
            return Optional.empty();
        }
        return Optional.of(r.job());
    }

    private void remember(String key, Job job) {
        if (job.state() == JobState.FAILED) {
            return;
        }
        if (recentAnswers.size() >= MAX_RECENT) {
            // Bounded: a burst of distinct requests must not grow it; entries live for a second anyway.
            long now = System.nanoTime();
            recentAnswers.values().removeIf(r -> now - r.atNanos() > admission.reuse().toNanos());
            if (recentAnswers.size() >= MAX_RECENT) {
                recentAnswers.clear();
            }
        }
        recentAnswers.put(key, new Recent(job, System.nanoTime()));
    }

    /**
     * Publishes the job-submitted event for a recorded job and notes it enqueued. The event id is derived
     * from the job id, so re-emitting a job gives the same id and consumers can drop the duplicate.
     */
    public Job enqueue(Job job) {
        try (TraceScope scope = TraceScope.forJob(job.id())) {
            publisher.publish(submittedEvent(job));
            Job queued = store.markEnqueued(job.id());
            LOG.info("Job {} queued: {} in {}", job.id(), job.aoi(), job.year());
            return queued;
        } catch (RuntimeException e) {
            LOG.warn("Job {} is recorded but could not be queued yet ({}); the reconciler will retry", job.id(), e.getMessage());
            return job;
        }
    }

    CloudEvent submittedEvent(Job job) {
        JobSubmittedV1 data = new JobSubmittedV1(job.id(), job.aoi().lon(), job.aoi().lat(), job.aoi().radiusM(),
                job.year(), job.modelRef(), job.createdAt() != null ? job.createdAt() : clock.instant());
        return GeoCropEvents.create(EventType.JOB_SUBMITTED, "job-submitted-" + job.id(), "jobs/" + job.id(), data);
    }

    /**
     * Identical requests share this key: the same centre to about 1 cm, the same radius to 1 cm, the same
     * season and the same model.
     */
    public static String dedupKey(JobRequest request, String modelRef) {
        String canonical = String.format(Locale.ROOT, "v1|%.7f|%.7f|%.2f|%d|%s", request.aoi().lon(), request.aoi().lat(),
                request.aoi().radiusM(), request.season().year(), modelRef);
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
