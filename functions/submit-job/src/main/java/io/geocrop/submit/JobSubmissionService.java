package io.geocrop.submit;

import io.geocrop.domain.JobRequest;
import io.geocrop.events.EventPublisher;
import io.geocrop.events.EventType;
import io.geocrop.events.GeoCropEvents;
import io.geocrop.events.JobSubmittedV1;
import io.geocrop.events.TraceScope;
import io.geocrop.jobs.Job;
import io.geocrop.jobs.JobStore;
import io.geocrop.jobs.NewJob;
import io.geocrop.jobs.Submission;
import io.cloudevents.CloudEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Locale;
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
    private final ModelVersionKey versionKey;

    public JobSubmissionService(JobStore store, EventPublisher publisher, String modelRef, Clock clock) {
        this(store, publisher, modelRef, clock, ModelVersionKey.ALIAS);
    }

    /** As above, de-duplicating on {@code versionKey.of(modelRef)} (the alias resolved to its version). */
    public JobSubmissionService(JobStore store, EventPublisher publisher, String modelRef, Clock clock,
                                ModelVersionKey versionKey) {
        this.store = store;
        this.publisher = publisher;
        this.modelRef = modelRef;
        this.clock = clock;
        this.versionKey = versionKey;
    }

    /** Records the job (or finds the identical one) and, when new, queues it. */
    public Submission submit(JobRequest request) {
        NewJob job = new NewJob(UUID.randomUUID(), request, modelRef, dedupKey(request, versionKey.of(modelRef)));
        Submission submission = store.submit(job);
        if (submission.created()) {
            return new Submission(enqueue(submission.job()), true);
        }
        return submission;
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
