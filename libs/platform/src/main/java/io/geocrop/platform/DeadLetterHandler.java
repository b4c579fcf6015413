package io.geocrop.platform;

import io.cloudevents.CloudEvent;
import io.geocrop.events.DeadLetter;
import io.geocrop.events.JobReferences;
import io.geocrop.events.TraceScope;
import io.geocrop.jobs.Job;
import io.geocrop.jobs.JobStore;
import io.geocrop.jobs.TileFailure;
import io.geocrop.platform.metrics.GeoCropMetrics;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Inject;
import io.micronaut.function.FunctionBean;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dead-letter sink. Failures stay local: an event of one tile (a tile request, a feature file's notification)
 * that could not be delivered after every retry marks that tile failed ({@link JobStore#markTileFailed}) and the
 * reconciler re-emits it; the job fails only when one tile has failed {@code tileAttempts} times, with the tile and
 * the last reason. An event of the job as a whole (its submission) fails the job at once, with a reason that says
 * what could not be delivered where, so no job hangs. Serves both the Broker's
 * {@code deadLetterSink} (submit-job's {@code /internal/dead-letter}) and the embedded router, which hands over
 * the same Knative-shaped event ({@link DeadLetter#toKnativeDeadLetterEvent()}).
 */
@FunctionBean("dead-letter")
public class DeadLetterHandler implements Consumer<DeadLetter> {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandler.class);

    /** Dead letters of one tile before its job fails, unless configured ({@code geocrop.reconciler.tile-attempts}). */
    public static final int DEFAULT_TILE_ATTEMPTS = 3;

    private final JobStore jobs;
    private final GeoCropMetrics metrics;
    private final int tileAttempts;

    public DeadLetterHandler(JobStore jobs) {
        this(jobs, null, DEFAULT_TILE_ATTEMPTS);
    }

    /**
     * Counts every dead letter in {@code metrics} ({@code geocrop_events_dead_lettered_total}); a job fails when one
     * of its tiles was dead-lettered {@code tileAttempts} times.
     */
    public DeadLetterHandler(JobStore jobs, @Nullable GeoCropMetrics metrics, int tileAttempts) {
        if (tileAttempts < 1) {
            throw new IllegalArgumentException("tileAttempts must be >= 1, got " + tileAttempts);
        }
        this.jobs = jobs;
        this.metrics = metrics;
        this.tileAttempts = tileAttempts;
    }

    @Inject
    DeadLetterHandler(JobStore jobs, @Nullable GeoCropMetrics metrics, ReconcilerSettings settings) {
        this(jobs, metrics, settings.tileAttempts());
    }

    /** Embedded router callback. */
    @Override
    public void accept(DeadLetter letter) {
        handle(letter.toKnativeDeadLetterEvent());
    }

    /**
     * Marks the event's tile failed, or fails the event's job (a job-level event, or a tile that failed its last
     * allowed time), if it names one and the job is not finished. Returns the job as it is now, or empty when the
     * event belongs to no job (it is only logged then).
     */
    public Optional<Job> handle(CloudEvent deadLetter) {
        if (metrics != null) {
            metrics.eventDeadLettered();
        }
        try (TraceScope scope = TraceScope.forEvent(deadLetter)) {
            return failJob(deadLetter);
        }
    }

    private Optional<Job> failJob(CloudEvent deadLetter) {
        String reason = reason(deadLetter);
        Optional<UUID> jobId = JobReferences.jobIdOf(deadLetter);
        if (jobId.isEmpty()) {
            LOG.error("Dead-lettered event {} ({}) belongs to no job: {}", deadLetter.getId(), deadLetter.getType(), reason);
            return Optional.empty();
        }
        if (jobs.find(jobId.get()).isEmpty()) {
            LOG.error("Dead-lettered event {} names unknown job {}: {}", deadLetter.getId(), jobId.get(), reason);
            return Optional.empty();
        }
        Optional<String> tileId = JobReferences.tileIdOf(deadLetter);
        if (tileId.isPresent()) {
            TileFailure failure;
            try {
                failure = jobs.markTileFailed(jobId.get(), tileId.get(), reason);
            } catch (IllegalArgumentException e) {
                // Not a planned tile of the job (a stray key): nothing to re-emit, so the job carries the failure.
                LOG.error("Failing job {}: {} (tile '{}' is not one of its tiles)", jobId.get(), reason, tileId.get());
                return Optional.of(jobs.fail(jobId.get(), reason));
            }
            if (!failure.recorded()) {
                return Optional.of(failure.job());
            }
            int failures = failure.tile().failures();
            if (failures >= tileAttempts) {
                String final_ = "tile " + tileId.get() + " failed " + failures + " times (every attempt retried by the "
                        + "broker, then re-emitted by the reconciler); last: " + reason;
                LOG.error("Failing job {}: {}", jobId.get(), final_);
                return Optional.of(jobs.fail(jobId.get(), final_));
            }
            LOG.warn("Job {} tile {} failed ({} of {} allowed): {}; the reconciler re-emits it", jobId.get(),
                    tileId.get(), failures, tileAttempts, reason);
            return Optional.of(failure.job());
        }
        LOG.error("Failing job {}: {}", jobId.get(), reason);
        return Optional.of(jobs.fail(jobId.get(), reason));
    }

    static String reason(CloudEvent event) {
        String destination = extension(event, DeadLetter.ERROR_DEST).orElse("its subscriber");
        String code = extension(event, DeadLetter.ERROR_CODE).map(c -> " (HTTP " + c + ")").orElse("");
        String detail = extension(event, DeadLetter.ERROR_DATA).map(DeadLetterHandler::decode)
                .filter(s -> !s.isBlank()).map(s -> ": " + s).orElse("");
        return "internal error: event " + event.getType() + " could not be delivered to " + destination + code
                + " after every retry" + detail;
    }

    private static Optional<String> extension(CloudEvent event, String name) {
        Object value = event.getExtension(name);
        return value == null ? Optional.empty() : Optional.of(value.toString());
    }

    private static String decode(String base64) {
        try {
            String text = new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
            return text.length() > 300 ? text.substring(0, 300) + "..." : text;
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
