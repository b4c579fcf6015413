-- The imagery manifest of a job: the STAC items of the season its features were computed from, in acquisition
-- order. Written once by the planner (first write wins), so a redelivered job event and every tile of the job
-- use the same acquisitions even if the catalogue changed in between.
CREATE TABLE job_imagery (
    job_id    uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    position  integer NOT NULL CHECK (position >= 0),
    item_id   varchar(200) NOT NULL,
    PRIMARY KEY (job_id, position),
    CONSTRAINT job_imagery_item_once UNIQUE (job_id, item_id)
);
