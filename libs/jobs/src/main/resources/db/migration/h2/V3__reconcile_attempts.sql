-- The reconciler's bookkeeping: how many times in a row it re-emitted a stuck job's work without the job
-- changing in between, and the job version its last attempt left behind (if the job's version has moved on since,
-- the job made progress and the count starts again). Bounded attempts let it give up with a clear reason.
ALTER TABLE jobs ADD COLUMN reconcile_attempts integer DEFAULT 0 NOT NULL;
ALTER TABLE jobs ADD COLUMN reconcile_version bigint;
