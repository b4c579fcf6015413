import type { Job } from "../api/types";
import { ago } from "../lib/recent";
import { seasonLabel } from "../lib/season";

/** Recent jobs, newest first; each one opens again on the map. */
export function RecentJobs({ jobs, currentId, onOpen, now }: { jobs: Job[]; currentId?: string; onOpen: (job: Job) => void; now: Date }) {
  if (jobs.length === 0) {
    return <p className="muted">No jobs yet on this server.</p>;
  }
  return (
    <ul className="recent" data-testid="recent-jobs">
      {jobs.map((j) => (
        <li key={j.id} className={j.id === currentId ? "current" : undefined}>
          <button type="button" className="recent-item" onClick={() => onOpen(j)} title={`Open job ${j.id}`}>
            <span className={`state state-${j.state}`}>{j.state}</span>
            <span className="recent-where">
              {j.aoi.lat.toFixed(4)}, {j.aoi.lon.toFixed(4)} · {formatRadius(j.aoi.radius_m)}
            </span>
            <span className="recent-when">
              {seasonLabel(j.year)} · {ago(j.created_at, now)}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}

export function formatRadius(m: number): string {
  return m >= 1000 ? `${(m / 1000).toLocaleString("en-GB", { maximumFractionDigits: 2 })} km` : `${Math.round(m)} m`;
}
