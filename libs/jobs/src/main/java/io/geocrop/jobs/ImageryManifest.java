package io.geocrop.jobs;

import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A job's imagery manifest: written once under the job row lock, so the first planner's manifest wins. */
@Singleton
@Transactional(propagation = TransactionDefinition.Propagation.REQUIRES_NEW)
class ImageryManifest {
    private final JobRepository jobs;
    private final JobImageryRepository imagery;

    ImageryManifest(JobRepository jobs, JobImageryRepository imagery) {
        this.jobs = jobs;
        this.imagery = imagery;
    }

    /** Records {@code items} (distinct ids, checked) unless a manifest exists; returns the job's manifest. */
    List<ImageryItem> record(UUID id, List<ImageryItem> items) {
        JobRecords.locked(jobs, id); // serialises concurrent planners of the job
        List<ImageryItem> existing = imagery.items(id);
        if (!existing.isEmpty() || items.isEmpty()) {
            return List.copyOf(existing);
        }
        List<JobImageryRow> rows = new ArrayList<>();
        for (ImageryItem item : items) {
            rows.add(new JobImageryRow(new JobImageryRow.Key(id, rows.size()), item.id(), item.document()));
        }
        imagery.saveAll(rows);
        return List.copyOf(items);
    }

    List<ImageryItem> read(UUID id) {
        if (!jobs.existsById(id)) {
            throw new JobNotFoundException(id);
        }
        return List.copyOf(imagery.items(id));
    }
}
