package io.geocrop.submit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.geocrop.domain.Season;
import io.geocrop.jobs.Job;
import io.geocrop.jobs.QueueStanding;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A job as the API shows it. Field names are snake_case, as in requests. */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobView(
        String id,
        String state,
        double progress,
        Tiles tiles,
        AoiView aoi,
        int year,
        SeasonView season,
        @JsonProperty("model_ref") String modelRef,
        @JsonProperty("failure_reason") String failureReason,
        Map<String, String> results,
        Map<String, String> links,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("updated_at") Instant updatedAt,
        long version,
        QueueView queue,
        DriftView drift,
        CostView cost) {

    /** A view without drift (drift is added to a completed job's view by {@link JobDriftReader}). */
    public JobView(String id, String state, double progress, Tiles tiles, AoiView aoi, int year, SeasonView season,
                   String modelRef, String failureReason, Map<String, String> results, Map<String, String> links,
                   Instant createdAt, Instant updatedAt, long version, QueueView queue) {
        this(id, state, progress, tiles, aoi, year, season, modelRef, failureReason, results, links, createdAt,
                updatedAt, version, queue, null, null);
    }

    /** The same view with {@code drift}. */
    public JobView withDrift(DriftView d) {
        return new JobView(id, state, progress, tiles, aoi, year, season, modelRef, failureReason, results, links,
                createdAt, updatedAt, version, queue, d, cost);
    }

    /**
     * A completed job's drift from the model's training data (issue 19), as its {@code results/<job>/drift.json} says.
     *
     * @param level           {@code none}, {@code moderate}, {@code major} or {@code unavailable}
     * @param score           mean population stability index over the features; absent when unavailable
     * @param words           the finding in a sentence
     * @param shiftedFeatures the features at or above PSI 0.25, largest first
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DriftView(String level, Double score, String words,
                            @JsonProperty("shifted_features") java.util.List<String> shiftedFeatures) {}

    @Serdeable
    public record Tiles(int total, int extracted, int scored) {}

    @Serdeable
    public record AoiView(double lon, double lat, @JsonProperty("radius_m") double radiusM) {}

    @Serdeable
    public record SeasonView(String start, String end) {}

    /**
     * Where a job waiting for or in extraction stands, from the job store ({@link QueueStanding}); absent otherwise.
     *
     * @param position       1 + the unfinished jobs created before this one
     * @param tilesLeft      this job's tiles still to extract
     * @param tilesAhead     other jobs' tiles extracted before this job's last one (slots taken in turns)
     * @param estimatedWaitS seconds, at the extraction rate of the last 10 minutes; absent while it is unknown
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record QueueView(int position, @JsonProperty("tiles_left") int tilesLeft,
                            @JsonProperty("tiles_ahead") int tilesAhead,
                            @JsonProperty("estimated_wait_s") Long estimatedWaitS) {
        static QueueView of(QueueStanding standing) {
            return standing == null ? null : new QueueView(standing.position(), standing.tilesLeft(),
                    standing.tilesAhead(), standing.estimatedWait() == null ? null : standing.estimatedWait().toSeconds());
        }
    }

    /** Builds the view; links are relative to the API root so they work behind any ingress. */
    public static JobView of(Job job) {
        Season season = new Season(job.year());
        Map<String, String> links = new LinkedHashMap<>();
        links.put("self", "/jobs/" + job.id());
        links.put("events", "/jobs/" + job.id() + "/events");
        if (job.results() != null) {
            // Downloads through submit-job (the only public ingress): the COG, its summary and preview.
            job.results().keySet().stream().sorted()
                    .forEach(name -> links.put(name, "/jobs/" + job.id() + "/results/" + name));
        }
        return new JobView(job.id().toString(), job.state().name().toLowerCase(), job.progress(),
                new Tiles(job.tilesTotal(), job.tilesExtracted(), job.tilesScored()),
                new AoiView(job.aoi().lon(), job.aoi().lat(), job.aoi().radiusM()), job.year(),
                new SeasonView(season.start().toString(), season.end().toString()), job.modelRef(),
                job.failureReason(), job.results() == null || job.results().isEmpty() ? null : job.results(), links,
                job.createdAt(), job.updatedAt(), job.version(), QueueView.of(job.queue()), null, null);
    }

    /** This view with the job's cost ({@link CostView}); an empty cost (nothing recorded yet) leaves it absent. */
    public JobView withCost(io.geocrop.jobs.JobCost recorded, double aoiKm2) {
        CostView view = CostView.of(recorded, aoiKm2);
        return new JobView(id, state, progress, tiles, aoi, year, season, modelRef, failureReason, results, links,
                createdAt, updatedAt, version, queue, drift, view);
    }
}
