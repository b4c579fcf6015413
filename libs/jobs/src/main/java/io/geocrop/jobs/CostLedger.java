package io.geocrop.jobs;

import io.geocrop.domain.cost.CostStage;
import io.geocrop.domain.cost.WorkCost;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;

/**
 * What a job's work cost ({@link JobStore#recordCost}, {@link JobStore#cost}), one row per unit and stage. No job row
 * lock: a cost row changes no job state, and two processes recording the same unit at once collide on the primary key,
 * which {@link JdbcJobStore} reads as "already recorded".
 */
@Singleton
@Transactional(propagation = TransactionDefinition.Propagation.REQUIRES_NEW)
class CostLedger {
    private final JobRepository jobs;
    private final JobCostRepository costs;

    CostLedger(JobRepository jobs, JobCostRepository costs) {
        this.jobs = jobs;
        this.costs = costs;
    }

    /** Inserts the unit's cost unless recorded; returns whether this call recorded it. */
    boolean record(UUID id, String unit, CostStage stage, WorkCost cost) {
        if (!jobs.existsById(id)) {
            throw new JobNotFoundException(id);
        }
        JobCostRow.Key key = new JobCostRow.Key(id, stage.label(), unit);
        if (costs.existsById(key)) {
            return false;
        }
        costs.save(new JobCostRow(key, cost.cpuNanos(), cost.catalogueRequests(), cost.catalogueBytes(),
                cost.bytesWritten()));
        return true;
    }

    JobCost read(UUID id) {
        if (!jobs.existsById(id)) {
            throw new JobNotFoundException(id);
        }
        Map<CostStage, JobCost.Stage> stages = new EnumMap<>(CostStage.class);
        for (JobCostRepository.StageSum s : costs.sums(id)) {
            stages.put(CostStage.ofLabel(s.stage()), new JobCost.Stage(Math.toIntExact(s.units()),
                    new WorkCost(s.cpuNanos(), s.catalogueRequests(), s.catalogueBytes(), s.bytesWritten())));
        }
        return new JobCost(stages);
    }
}
