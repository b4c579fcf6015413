-- GeoCrop job store, embedded H2. The same tables as the PostgreSQL migration without the PostGIS geography
-- columns (the embedded mode has no spatial queries).
CREATE TABLE jobs (
    id              UUID PRIMARY KEY,
    lon             DOUBLE PRECISION NOT NULL CHECK (lon BETWEEN -180 AND 180),
    lat             DOUBLE PRECISION NOT NULL CHECK (lat BETWEEN -90 AND 90),
    radius_m        DOUBLE PRECISION NOT NULL CHECK (radius_m > 0),
    -- "season_year", not "year": YEAR is a reserved word in H2.
    season_year     INTEGER NOT NULL,
    model_ref       VARCHAR(200) NOT NULL,
    state           VARCHAR(16) NOT NULL
                    CHECK (state IN ('QUEUED', 'EXTRACTING', 'SCORING', 'ASSEMBLING', 'COMPLETED', 'FAILED')),
    tiles_total     INTEGER DEFAULT 0 NOT NULL,
    tiles_extracted INTEGER DEFAULT 0 NOT NULL,
    tiles_scored    INTEGER DEFAULT 0 NOT NULL,
    failure_reason  VARCHAR(2000),
    -- Result links as a JSON object of strings (name -> object key or URL).
    results         VARCHAR(65535),
    -- Identical requests share a key; NULL once the job failed, so the same request can run again.
    dedup_key       VARCHAR(200),
    created_at      TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    enqueued_at     TIMESTAMP(6) WITH TIME ZONE,
    version         BIGINT DEFAULT 1 NOT NULL,
    CONSTRAINT jobs_dedup_key_unique UNIQUE (dedup_key),
    CONSTRAINT jobs_tile_counters CHECK (tiles_total >= 0
        AND tiles_extracted BETWEEN 0 AND tiles_total
        AND tiles_scored BETWEEN 0 AND tiles_total)
);

CREATE INDEX jobs_created_at ON jobs (created_at);
CREATE INDEX jobs_state_updated_at ON jobs (state, updated_at);

CREATE TABLE job_tiles (
    job_id       UUID NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    tile_id      VARCHAR(100) NOT NULL,
    extracted_at TIMESTAMP(6) WITH TIME ZONE,
    scored_at    TIMESTAMP(6) WITH TIME ZONE,
    PRIMARY KEY (job_id, tile_id)
);
