package io.geocrop.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.geocrop.domain.JobState;
import io.geocrop.jobs.Job;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.ObjectKeys;
import io.geocrop.storage.ObjectStore;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds a completed job's drift to its view: {@code geocrop-results/results/<job>/drift.json}, written by score-tile's
 * assembly next to {@code summary.json} (the job store holds no drift: a job's results live in the results bucket).
 * A job completed before drift existed has no such object and gets no drift in its view.
 */
@Singleton
public final class JobDriftReader {
    private static final Logger LOG = LoggerFactory.getLogger(JobDriftReader.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    // Looked up at the first completed job's view, not when the controller is made: creating the object store
    // does storage work (buckets) that a status request or a cold start must not pay (ClusterEnvironmentIT).
    private final io.micronaut.context.BeanProvider<ObjectStore> store;

    JobDriftReader(io.micronaut.context.BeanProvider<ObjectStore> store) {
        this.store = store;
    }

    /** {@code view} with the job's drift when the job is completed and its drift was recorded. */
    public JobView attach(JobView view, Job job) {
        if (job.state() != JobState.COMPLETED) {
            return view;
        }
        String key = ObjectKeys.resultPrefix(job.id()) + "drift.json";
        Optional<InputStream> in;
        try {
            in = store.get().get(Bucket.RESULTS, key);
        } catch (RuntimeException e) {
            LOG.warn("Job {}: drift not read from {}: {}", job.id(), key, e.getMessage());
            return view; // the status answers without drift rather than failing
        }
        if (in.isEmpty()) {
            return view;
        }
        try (InputStream s = in.get()) {
            JsonNode o = JSON.readTree(s);
            List<String> shifted = new ArrayList<>();
            o.path("shifted_features").forEach(n -> shifted.add(n.asText()));
            return view.withDrift(new JobView.DriftView(o.path("level").asText(),
                    o.has("score") ? o.get("score").asDouble() : null, o.path("words").asText(), shifted));
        } catch (IOException e) {
            LOG.warn("Job {}: drift in {} unreadable: {}", job.id(), key, e.getMessage());
            return view;
        }
    }
}
