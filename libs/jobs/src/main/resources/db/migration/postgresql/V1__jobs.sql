-- GeoCrop job store, PostgreSQL + PostGIS.
-- PostGIS must be reachable on the search_path while this runs (Flyway puts the target schema first and keeps the
-- connection's own path after it). If the extension is missing it is created here, in the first schema of the
-- search_path; a database administrator may instead create it beforehand, e.g. in "public", which then needs to
-- stay on the search_path of the migrating connection. The store itself calls no PostGIS function at run time.
CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE jobs (
    id              uuid PRIMARY KEY,
    lon             double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
    lat             double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
    radius_m        double precision NOT NULL CHECK (radius_m > 0),
    -- "season_year", not "year": YEAR is a reserved word in H2, and both backends share the store's SQL.
    season_year     integer NOT NULL,
    model_ref       varchar(200) NOT NULL,
    state           varchar(16) NOT NULL
                    CHECK (state IN ('QUEUED', 'EXTRACTING', 'SCORING', 'ASSEMBLING', 'COMPLETED', 'FAILED')),
    tiles_total     integer NOT NULL DEFAULT 0,
    tiles_extracted integer NOT NULL DEFAULT 0,
    tiles_scored    integer NOT NULL DEFAULT 0,
    failure_reason  varchar(2000),
    -- Result links as a JSON object of strings (name -> object key or URL).
    results         text,
    -- Identical requests share a key; NULL once the job failed, so the same request can run again.
    dedup_key       varchar(200),
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    enqueued_at     timestamptz,
    version         bigint NOT NULL DEFAULT 1,
    -- Derived from lon/lat/radius_m by the database, so they can never disagree with them. 32 segments per
    -- quarter keep the polygon's area within 0.1 % of the true circle.
    centre          geography(Point, 4326)
                    GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography) STORED,
    aoi             geography(Polygon, 4326)
                    GENERATED ALWAYS AS (ST_Buffer(ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography,
                                                   radius_m, 'quad_segs=32')) STORED,
    CONSTRAINT jobs_dedup_key_unique UNIQUE (dedup_key),
    CONSTRAINT jobs_tile_counters CHECK (tiles_total >= 0
        AND tiles_extracted BETWEEN 0 AND tiles_total
        AND tiles_scored BETWEEN 0 AND tiles_total)
);

CREATE INDEX jobs_aoi_gist ON jobs USING gist (aoi);
-- GET /jobs: newest first.
CREATE INDEX jobs_created_at ON jobs (created_at);
-- The reconciler: non-terminal jobs not updated for a while.
CREATE INDEX jobs_state_updated_at ON jobs (state, updated_at);

CREATE TABLE job_tiles (
    job_id       uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    tile_id      varchar(100) NOT NULL,
    extracted_at timestamptz,
    scored_at    timestamptz,
    PRIMARY KEY (job_id, tile_id)
);
