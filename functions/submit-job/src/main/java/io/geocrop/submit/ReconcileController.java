package io.geocrop.submit;

import io.geocrop.platform.Reconciler;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.inject.Provider;
import java.util.List;

/**
 * What the PingSource calls on its schedule ({@code dev.knative.sources.ping}, any body; the development broker's
 * ping does the same): one reconciler pass over the stuck jobs, re-emitting their work or failing them after
 * bounded attempts. Internal, like {@code /internal/dead-letter}: the cluster ingress must not route
 * {@code /internal/**} from outside. Running it twice at once is safe: each job is claimed by version.
 */
@Hidden
@Controller("/internal/reconcile")
public final class ReconcileController {
    private final Provider<Reconciler> reconciler;

    ReconcileController(Provider<Reconciler> reconciler) {
        this.reconciler = reconciler;
    }

    /** One job's outcome. */
    @Serdeable
    public record JobAction(String job, String state, int attempt, String action, int events, String detail) {}

    /** The pass's outcome. */
    @Serdeable
    public record ReconcileReport(int stuck, List<JobAction> jobs) {}

    @Post(consumes = {"application/json", "application/cloudevents+json", "application/octet-stream", "text/plain"})
    @ExecuteOn(TaskExecutors.BLOCKING)
    public ReconcileReport reconcile(@Body @Nullable byte[] ignoredPing) {
        List<JobAction> actions = reconciler.get().reconcile().stream()
                .map(a -> new JobAction(a.jobId().toString(), a.state().name().toLowerCase(), a.attempt(),
                        a.kind().name().toLowerCase(), a.eventsEmitted(), a.detail()))
                .toList();
        return new ReconcileReport(actions.size(), actions);
    }
}
