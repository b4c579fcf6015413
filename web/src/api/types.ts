/** The API's JSON shapes (functions/submit-job `JobView`, tile-render `Legend`, result summary, model card). */

export type JobState = "queued" | "extracting" | "scoring" | "assembling" | "completed" | "failed";

export const TERMINAL_STATES: readonly JobState[] = ["completed", "failed"];

export function isTerminal(state: JobState): boolean {
  return TERMINAL_STATES.includes(state);
}

export interface Aoi {
  lon: number;
  lat: number;
  radius_m: number;
}

export interface JobRequest extends Aoi {
  year: number;
}

/**
 * Where a job waiting for (or in) extraction stands (`JobView.QueueView`): slots go round-robin between jobs, so
 * `tiles_ahead` counts the other jobs' tiles that run before this job's last one, not whole jobs.
 */
export interface JobQueue {
  /** 1 + the unfinished jobs created before this one. */
  position: number;
  tiles_left: number;
  tiles_ahead: number;
  /** Seconds, at the extraction rate of the last 10 minutes; absent while the rate is unknown. */
  estimated_wait_s?: number;
}

export interface Job {
  id: string;
  state: JobState;
  progress: number;
  tiles: { total: number; extracted: number; scored: number };
  aoi: Aoi;
  year: number;
  season: { start: string; end: string };
  model_ref?: string;
  failure_reason?: string;
  results?: Record<string, string>;
  links?: Record<string, string>;
  created_at?: string;
  updated_at?: string;
  version: number;
  queue?: JobQueue;
  /** A completed job's drift from the model's training data (issue 19; absent for older jobs). */
  drift?: Drift;
  /** What the job's work has cost so far (GET /jobs/{id} and a finished job's last progress event). */
  cost?: JobCost;
}

/** One set of cost figures (CPU seconds over every thread; catalogue = STAC searches and COG range reads). */
export interface CostFigures {
  cpu_seconds: number;
  catalogue_requests: number;
  catalogue_bytes: number;
  bytes_written: number;
}

/** One stage of `cost`: its figures summed over `units` (tiles; 1 for planning and assembly). */
export interface CostStage extends CostFigures {
  stage: "planning" | "extraction" | "scoring" | "assembly";
  units: number;
}

/** A job's cost, in the job API and in summary.json. */
export interface JobCost {
  aoi_km2: number;
  total: CostFigures;
  per_km2?: CostFigures;
  stages: CostStage[];
}

/** Drift as the job view and `summary.json`'s `drift` block give it (the summary adds `psi` per feature). */
export interface Drift {
  level: "none" | "moderate" | "major" | "unavailable" | string;
  score?: number;
  words: string;
  shifted_features?: string[];
  psi?: Record<string, number>;
}

export interface LegendEntry {
  value: number;
  name: string;
  color: string;
}

export interface Legend {
  layer: string;
  title: string;
  type: "categorical" | "ramp";
  entries: LegendEntry[];
}

export interface SummaryClass {
  code: number;
  id: string;
  label: string;
  pixels: number;
  hectares: number;
}

export interface ResultSummary {
  job_id: string;
  model: { name: string; version: string | number; synthetic?: boolean };
  pixel_area_m2: number;
  classes: SummaryClass[];
  total_hectares: number;
  feature_order_hash?: string;
  season?: { start: string; end: string };
  aoi?: unknown;
  /** Error-adjusted areas from the model's held-out confusion matrix (absent in older summaries). */
  area_estimate?: AreaEstimate;
  /** Drift of the job's pixels from the model's training distribution (absent in older summaries). */
  drift?: Drift;
  /** What the job cost (absent in older summaries; the assembly as measured when the summary was written). */
  cost?: JobCost;
}

/** One class of `area_estimate`: mapped and error-adjusted hectares with the 95 % interval's half-width. */
export interface AdjustedClass {
  code: number;
  id: string;
  label: string;
  mapped_hectares: number;
  adjusted_hectares: number;
  ci95_hectares: number;
  low_hectares?: number;
  high_hectares?: number;
  users_accuracy?: number;
}

export interface AreaEstimate {
  available: boolean;
  method?: string;
  /** "assumes the model's held-out error rates hold in this area" */
  assumption?: string;
  confidence_level?: number;
  held_out_rows?: number;
  classes?: AdjustedClass[];
  unverified_classes?: string[];
  /** Why there are no adjusted areas, when `available` is false. */
  reason?: string;
}

export interface ModelCard {
  name: string;
  version: string | number;
  feature_order_hash?: string;
  feature_names?: string[];
  class_codes?: unknown;
  training_data?: unknown;
  metrics?: unknown;
  params?: unknown;
  seed?: number;
  synthetic?: boolean;
  created_at?: string;
  [key: string]: unknown;
}

export interface HealthNode {
  name?: string;
  status: string;
  details?: Record<string, unknown>;
}

/** The deployment facts the app shows honestly (served as `config.json` next to index.html). */
export interface RuntimeConfig {
  /** Base URL of the API; empty means the same origin as the page. */
  api_base: string;
  /** "embedded" (one JVM) or "cluster". */
  mode?: string;
  /** "simulated" (generated Sentinel-2-like imagery) or "stac" (real Digital Earth Africa). */
  imagery_source?: string;
  /** Whether to offer the online OpenStreetMap basemap (off by default: the demo runs offline). */
  osm_basemap?: boolean;
  version?: string;
}

/** TileJSON 3.0.0 as tile-render serves it. */
export interface TileJson {
  tilejson: string;
  name?: string;
  description?: string;
  attribution?: string;
  tiles: string[];
  minzoom: number;
  maxzoom: number;
  /** west, south, east, north */
  bounds: [number, number, number, number];
  center?: [number, number, number];
  legend?: string;
}

/** What `GET /uploads/{name}` says about a feature GeoTIFF uploaded to be scored. */
export interface UploadStatus {
  name: string;
  /** Where the upload is stored, e.g. `geocrop-features/uploads/<name>.tif`. */
  upload: string;
  state: "scoring" | "scored" | "failed";
  /** Hectares per class of the result (scored only). */
  summary?: {
    object: string;
    model: { name: string; version: string | number; synthetic?: boolean };
    pixel_area_m2: number;
    classes: SummaryClass[];
    total_hectares: number;
  };
  /** The reason score-tile wrote in `<name>.error.json` (failed only). */
  error?: { object: string; error: string; detail: string };
  layers?: { class: string; confidence: string };
  links?: { self: string; cog?: string };
}
