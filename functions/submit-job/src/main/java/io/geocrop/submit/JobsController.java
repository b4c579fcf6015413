package io.geocrop.submit;

import io.geocrop.events.TraceScope;
import io.geocrop.jobs.Job;
import io.geocrop.jobs.JobNotFoundException;
import io.geocrop.jobs.JobStore;
import io.geocrop.jobs.Submission;
import io.geocrop.platform.problem.ProblemException;
import io.geocrop.platform.security.ClientAddress;
import io.geocrop.platform.security.IngressSettings;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.sse.Event;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.reactivestreams.Publisher;

/** The jobs API: submit, look up, list and follow jobs. Logic lives in {@link JobSubmissionService} and the job store. */
@Controller("/jobs")
@Tag(name = "jobs")
// The job store is blocking JDBC: never on the event loop, which must keep answering (health, streams) in a burst.
@ExecuteOn(TaskExecutors.BLOCKING)
public final class JobsController {
    static final int MAX_LIST = 100;

    private final JobRequestParser parser;
    private final JobSubmissionService submissions;
    private final JobStore store;
    private final JobProgressStream progress;
    private final IngressSettings ingress;
    private final JobDriftReader drift;

    JobsController(JobRequestParser parser, JobSubmissionService submissions, JobStore store, JobProgressStream progress,
                   IngressSettings ingress, JobDriftReader drift) {
        this.ingress = ingress;
        this.drift = drift;
        this.parser = parser;
        this.submissions = submissions;
        this.store = store;
        this.progress = progress;
    }

    @Operation(summary = "Submit a crop-mapping job",
            description = "Body: {\"lon\": 31.05, \"lat\": -17.83, \"radius_m\": 2000, \"year\": 2024}. "
                    + "202 with the new job; 200 with the existing job when an identical request (same AOI, season and model) exists.")
    @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<JobView> submit(@Body @Nullable byte[] body, @Header("traceparent") @Nullable String traceparent,
                                        @Header("tracestate") @Nullable String tracestate) {
        Submission submission;
        // A caller's W3C trace continues into the job-submitted event (and every event of the job after it).
        try (TraceScope trace = TraceScope.forRequest(traceparent, tracestate)) {
            submission = submissions.submit(parser.parse(body));
        }
        JobView view = JobView.of(submission.job());
        URI location = URI.create("/jobs/" + submission.job().id());
        return submission.created()
                ? HttpResponse.accepted(location).body(view)
                : HttpResponse.ok(view).header("Location", location.toString());
    }

    @Operation(summary = "A job's state, progress and result links")
    @Get(value = "/{id}", produces = MediaType.APPLICATION_JSON)
    public JobView get(@PathVariable String id) {
        Job job = find(id);
        // Two small reads, for a single job's view only: its cost rows, and a completed job's drift.
        return drift.attach(JobView.of(job).withCost(store.cost(job.id()), io.geocrop.jobs.JobCosts.aoiKm2(job.aoi())), job);
    }

    @Operation(summary = "Recent jobs, newest first")
    @Get(produces = MediaType.APPLICATION_JSON)
    public List<JobView> list(@QueryValue @Nullable String limit) {
        int n = 20;
        if (limit != null) {
            try {
                n = Integer.parseInt(limit);
            } catch (NumberFormatException e) {
                throw ProblemException.badField("limit", "must be a whole number from 1 to " + MAX_LIST);
            }
            if (n < 1 || n > MAX_LIST) {
                throw ProblemException.badField("limit", "must be from 1 to " + MAX_LIST + ", got " + n);
            }
        }
        return store.recent(n).stream().map(JobView::of).toList();
    }

    @Operation(summary = "Live progress as Server-Sent Events",
            description = "Events named progress, completed or failed carry the job; the stream ends when the job does.")
    @Get(value = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM)
    public Publisher<Event<JobView>> events(@PathVariable String id, io.micronaut.http.HttpRequest<?> request) {
        return progress.follow(find(id), ClientAddress.of(request, ingress.trustedProxyHops()));
    }

    private Job find(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badField("id", "must be a job id (a UUID), got '" + abbreviate(id) + "'");
        }
        return store.status(uuid).orElseThrow(() -> new JobNotFoundException(uuid));
    }

    private static String abbreviate(String s) {
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 60 ? clean.substring(0, 60) + "..." : clean;
    }
}
