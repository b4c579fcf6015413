-- Failures stay local: a dead-lettered event marks its tile (how many times it failed, the last reason, and
-- failed_at while a re-emission is pending), not the job; the reconciler re-emits it and the job fails only when
-- one tile has failed geocrop.reconciler.tile-attempts times.
ALTER TABLE job_tiles ADD COLUMN failures INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE job_tiles ADD COLUMN last_failure VARCHAR(1000);
ALTER TABLE job_tiles ADD COLUMN failed_at TIMESTAMP(6) WITH TIME ZONE;
CREATE INDEX job_tiles_failed_at ON job_tiles (failed_at);
-- The queue standing of a job: recent extraction throughput, and unfinished jobs in creation order.
CREATE INDEX job_tiles_extracted_at ON job_tiles (extracted_at);
CREATE INDEX jobs_state_created_at ON jobs (state, created_at);
