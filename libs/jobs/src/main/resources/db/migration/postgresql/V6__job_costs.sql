-- What each piece of a job's work cost (issue 19, "cost of every map"): one row per tile and stage (the planning
-- and the assembly are one row each, unit '-'), written by the process that did the work, first write wins (a
-- redelivery that did the work again keeps the first figures). CPU time in nanoseconds summed over the threads that
-- worked; catalogue requests and bytes read (STAC searches and COG range reads); bytes written to object storage.
CREATE TABLE job_costs (
    job_id             uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    stage              varchar(16) NOT NULL CHECK (stage IN ('planning', 'extraction', 'scoring', 'assembly')),
    unit               varchar(100) NOT NULL,
    cpu_nanos          bigint NOT NULL CHECK (cpu_nanos >= 0),
    catalogue_requests bigint NOT NULL CHECK (catalogue_requests >= 0),
    catalogue_bytes    bigint NOT NULL CHECK (catalogue_bytes >= 0),
    bytes_written      bigint NOT NULL CHECK (bytes_written >= 0),
    PRIMARY KEY (job_id, stage, unit)
);
