package io.geocrop.submit;

import io.geocrop.domain.JobState;
import io.geocrop.jobs.Job;
import io.geocrop.jobs.JobNotFoundException;
import io.geocrop.jobs.JobStore;
import io.geocrop.platform.problem.ProblemException;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.ObjectInfo;
import io.geocrop.storage.ObjectKeys;
import io.geocrop.storage.ObjectStore;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.server.types.files.StreamedFile;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Downloads of a completed job's results from {@code geocrop-results}: {@code cog} (the crop map GeoTIFF, as an
 * attachment {@code geocrop-<job>.tif}), {@code summary} (hectares per class, JSON) and {@code preview} (PNG). Streamed
 * from the object store, never held in memory; the ETag is the object's, so a client revalidates with
 * {@code If-None-Match}. 404 for an unknown job or result name, 409 while the job is not completed.
 */
@Controller("/jobs")
@Tag(name = "jobs")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class ResultsController {
    /** Result name to content type; the names are those score-tile records when it completes a job. */
    static final Map<String, MediaType> RESULTS = Map.of(
            "cog", MediaType.of("image/tiff"),
            "summary", MediaType.APPLICATION_JSON_TYPE,
            "preview", MediaType.IMAGE_PNG_TYPE);
    // Results never change once the job completed (deterministic keys and bytes): let caches keep them.
    static final String CACHE_CONTROL = "public, max-age=31536000, immutable";

    private final JobStore jobs;
    private final ObjectStore store;

    ResultsController(JobStore jobs, ObjectStore store) {
        this.jobs = jobs;
        this.store = store;
    }

    @Operation(summary = "Download a completed job's result: cog, summary or preview")
    @Get(value = "/{id}/results/{name}", produces = {"image/tiff", MediaType.APPLICATION_JSON, MediaType.IMAGE_PNG})
    public HttpResponse<?> result(@PathVariable String id, @PathVariable String name,
                                  @Header(HttpHeaders.IF_NONE_MATCH) @Nullable String ifNoneMatch) {
        UUID jobId = parseId(id);
        MediaType type = RESULTS.get(name);
        if (type == null) {
            throw notFound("name", "no result named '" + abbreviate(name) + "'; results are "
                    + String.join(", ", List.of("cog", "summary", "preview")));
        }
        Job job = jobs.find(jobId).orElseThrow(() -> new JobNotFoundException(jobId));
        if (job.state() != JobState.COMPLETED) {
            String why = job.state() == JobState.FAILED
                    ? "job " + jobId + " failed and has no results: " + job.failureReason()
                    : "job " + jobId + " is " + job.state().name().toLowerCase() + "; its results exist once it is completed";
            throw ProblemException.ofField(409, "id", "job not completed", why);
        }
        String key = job.results() == null ? null : job.results().get(name);
        // Only keys inside the job's own results folder are served, whatever the job record says.
        if (key == null || !key.startsWith(ObjectKeys.resultPrefix(jobId))) {
            throw notFound("name", "job " + jobId + " has no " + name + " result");
        }
        ObjectInfo info = store.head(Bucket.RESULTS, key)
                .orElseThrow(() -> notFound("name", "the " + name + " of job " + jobId + " (" + key + ") is missing"));
        String eTag = info.eTag() == null ? null : "\"" + info.eTag() + "\"";
        if (eTag != null && matches(ifNoneMatch, eTag)) {
            return HttpResponse.notModified().header(HttpHeaders.ETAG, eTag).header(HttpHeaders.CACHE_CONTROL, CACHE_CONTROL);
        }
        InputStream in = store.get(Bucket.RESULTS, key)
                .orElseThrow(() -> notFound("name", "the " + name + " of job " + jobId + " (" + key + ") is missing"));
        long modified = info.lastModified() == null ? -1 : info.lastModified().toEpochMilli();
        var response = HttpResponse.ok(new StreamedFile(in, type, modified, info.size()))
                .header(HttpHeaders.CACHE_CONTROL, CACHE_CONTROL);
        if (eTag != null) {
            response.header(HttpHeaders.ETAG, eTag);
        }
        if ("cog".equals(name)) {
            response.header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"geocrop-" + jobId + ".tif\"");
        }
        return response;
    }

    private static boolean matches(@Nullable String ifNoneMatch, String eTag) {
        if (ifNoneMatch == null) {
            return false;
        }
        return Arrays.stream(ifNoneMatch.split(",")).map(String::strip)
                .anyMatch(t -> t.equals("*") || t.equals(eTag) || t.equals("W/" + eTag));
    }

    private static UUID parseId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badField("id", "must be a job id (a UUID), got '" + abbreviate(id) + "'");
        }
    }

    private static ProblemException notFound(String field, String detail) {
        return ProblemException.ofField(404, field, detail, detail);
    }

    private static String abbreviate(String s) {
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 60 ? clean.substring(0, 60) + "..." : clean;
    }
}
