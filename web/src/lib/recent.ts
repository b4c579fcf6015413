import type { Job, JobRequest } from "../api/types";
import { distanceM } from "./geo";

/**
 * The server treats two requests as the same when AOI (to about 1 cm), season and model match
 * (`JobSubmissionService.dedupKey`). The app uses the same tolerance to open an existing job at once.
 */
const SAME_DEGREES = 1e-7;
const SAME_METRES = 0.01;

export function sameRequest(job: Job, req: JobRequest): boolean {
  return (
    job.year === req.year &&
    Math.abs(job.aoi.lon - req.lon) <= SAME_DEGREES &&
    Math.abs(job.aoi.lat - req.lat) <= SAME_DEGREES &&
    Math.abs(job.aoi.radius_m - req.radius_m) <= SAME_METRES
  );
}

/**
 * The job to show at once for a request: the newest recent job with the same AOI and season that has not
 * failed (a failed one is retried by submitting again, as the server does).
 */
export function findExisting(recent: readonly Job[], req: JobRequest): Job | undefined {
  return newestFirst(recent).find((j) => j.state !== "failed" && sameRequest(j, req));
}

/**
 * A completed job of the same season whose circle holds the whole requested circle: its map already shows
 * the area, so the app offers it while a new job runs. The closest centre wins.
 */
export function findCovering(recent: readonly Job[], req: JobRequest): Job | undefined {
  let best: { job: Job; d: number } | undefined;
  for (const j of recent) {
    if (j.state !== "completed" || j.year !== req.year || sameRequest(j, req)) {
      continue;
    }
    const d = distanceM(j.aoi.lon, j.aoi.lat, req.lon, req.lat);
    if (d + req.radius_m <= j.aoi.radius_m && (best === undefined || d < best.d)) {
      best = { job: j, d };
    }
  }
  return best?.job;
}

/** Merges a fresh job into the recent list: replaces the same id, keeps newest first, at most `max`. */
export function upsertRecent(recent: readonly Job[], job: Job, max = 20): Job[] {
  const others = recent.filter((j) => j.id !== job.id);
  return newestFirst([job, ...others]).slice(0, max);
}

function newestFirst(jobs: readonly Job[]): Job[] {
  return [...jobs].sort((a, b) => (b.created_at ?? "").localeCompare(a.created_at ?? ""));
}

/** "2 min ago", for the recent-jobs list. */
export function ago(iso: string | undefined, now: Date): string {
  if (!iso) return "";
  const s = Math.max(0, Math.round((now.getTime() - Date.parse(iso)) / 1000));
  if (Number.isNaN(s)) return "";
  if (s < 60) return "just now";
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}
