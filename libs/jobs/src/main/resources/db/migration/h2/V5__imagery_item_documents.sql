-- Each manifest item keeps the item as the planner found it (hrefs, CRS, footprint, cloud cover, scale and
-- offset), so every tile reads the job's imagery without searching the catalogue again. Null for rows recorded
-- before this column existed, or by id only.
ALTER TABLE job_imagery ADD COLUMN item_document CHARACTER VARYING(1000000);
