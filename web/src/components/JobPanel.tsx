import type { Job, Legend, ResultSummary } from "../api/types";
import type { ApiClient } from "../api/client";
import type { FollowState } from "../lib/progress";
import { progressText, queueText } from "../lib/progress";
import { areaRows } from "../lib/areas";
import { driftNote } from "../lib/drift";
import { seasonRangeText } from "../lib/season";
import type { ErrorMessage } from "../lib/problem";
import { AreaTable } from "./AreaTable";
import { CostTable } from "./CostTable";
import { LegendList } from "./LegendList";
import { ErrorBox } from "./ErrorBox";
import { formatRadius } from "./RecentJobs";

export interface ResultView {
  summary?: ResultSummary;
  summaryError?: ErrorMessage;
  classLegend?: Legend;
  confidenceLegend?: Legend;
  overlayError?: ErrorMessage;
}

interface Props {
  api: ApiClient;
  job: Job;
  follow?: FollowState;
  note?: string;
  result: ResultView;
  opacity: number;
  onOpacity: (v: number) => void;
  showConfidence: boolean;
  onShowConfidence: (v: boolean) => void;
  overlayTiles: { loaded: number; failed: number };
}

const MODES: Record<string, string> = {
  connecting: "connecting to live updates…",
  streaming: "live",
  polling: "checking every few seconds",
  done: "",
};

/** The open job: live progress while it runs, then the crop layer's controls, legend, areas and downloads. */
export function JobPanel(p: Props) {
  const { job, follow } = p;
  const pct = Math.round(Math.max(0, Math.min(1, job.progress)) * 100);
  return (
    <section className="job" data-testid="job" data-state={job.state} aria-live="polite">
      <h2>
        Job <code title={job.id}>{job.id.slice(0, 8)}</code>
      </h2>
      <p className="muted small">
        {job.aoi.lat.toFixed(5)}, {job.aoi.lon.toFixed(5)} · radius {formatRadius(job.aoi.radius_m)} · season{" "}
        {seasonRangeText(job.season.start, job.season.end)}
      </p>
      {p.note && <p className="note" data-testid="job-note">{p.note}</p>}

      {job.state !== "completed" && job.state !== "failed" && (
        <div className="progress-block">
          <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} data-testid="progress">
            <div className="bar" style={{ width: `${Math.max(pct, 2)}%` }} />
          </div>
          <p data-testid="progress-text">
            {progressText(job)} · {pct} %
            {follow && MODES[follow.mode] && <span className="muted small"> ({MODES[follow.mode]})</span>}
          </p>
          {queueText(job) && <p className="muted small" data-testid="queue-text">{queueText(job)}</p>}
          {follow?.warning && <p className="warning" role="status">{follow.warning}</p>}
        </div>
      )}
      {follow?.error && <ErrorBox error={{ headline: follow.error, lines: [] }} />}

      {job.state === "failed" && (
        <ErrorBox error={{ headline: "This job failed.", lines: [job.failure_reason ?? "The server gave no reason."] }} />
      )}

      {job.state === "completed" && <CompletedJob {...p} />}
    </section>
  );
}

function CompletedJob(p: Props) {
  const { job, result } = p;
  const legend = p.showConfidence ? result.confidenceLegend : result.classLegend;
  const summary = result.summary;
  const drift = driftNote(job.drift ?? summary?.drift);
  const cost = job.cost ?? summary?.cost;
  return (
    <div className="completed" data-testid="completed">
      <p className="ok">Crop map ready{summary?.model ? ` — model ${summary.model.name} v${summary.model.version}` : ""}.</p>
      {summary?.model?.synthetic && (
        <p className="honest" data-testid="synthetic-model">
          Made with a synthetic model trained on simulated data: a demonstration, not a survey of real fields.
        </p>
      )}
      {result.overlayError && <ErrorBox error={result.overlayError} />}
      <div className="controls">
        <label>
          Opacity {Math.round(p.opacity * 100)} %
          <input type="range" min={0} max={1} step={0.05} value={p.opacity} onChange={(e) => p.onOpacity(Number(e.target.value))} data-testid="opacity" />
        </label>
        <label className="check">
          <input type="checkbox" checked={p.showConfidence} onChange={(e) => p.onShowConfidence(e.target.checked)} data-testid="confidence-toggle" />
          Show confidence instead of crop type
        </label>
        <span className="muted small" data-testid="overlay-status">
          {p.overlayTiles.loaded} map tiles loaded{p.overlayTiles.failed > 0 ? `, ${p.overlayTiles.failed} empty` : ""}
        </span>
      </div>
      {legend && <LegendList title={legend.title} type={legend.type} entries={legend.entries} testId="crop-legend" />}
      {drift && (
        <p className={`drift drift-${drift.level}`} data-testid="drift">
          {drift.text}
        </p>
      )}
      {summary && <AreaTable rows={areaRows(summary, result.classLegend?.entries)} totalHectares={summary.total_hectares} />}
      {cost && <CostTable cost={cost} />}
      {result.summaryError && <ErrorBox error={{ ...result.summaryError, headline: `Area summary unavailable: ${result.summaryError.headline}` }} />}
      <p className="downloads">
        <a href={p.api.resultUrl(job.id, "cog")} download data-testid="download-cog">
          Download the crop map (Cloud-Optimized GeoTIFF)
        </a>
        {job.results?.summary && (
          <>
            {" · "}
            <a href={p.api.resultUrl(job.id, "summary")} download>
              summary.json
            </a>
          </>
        )}
      </p>
    </div>
  );
}
