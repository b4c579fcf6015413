import { useEffect, useRef, useState } from "react";
import { errorMessage, type ApiClient } from "../api/client";
import type { Legend, UploadStatus } from "../api/types";
import { areaRows } from "../lib/areas";
import type { ErrorMessage } from "../lib/problem";
import { formatBytes, looksLikeTiff, uploadName } from "../lib/uploads";
import { AreaTable } from "./AreaTable";
import { ErrorBox } from "./ErrorBox";
import { LegendList } from "./LegendList";

const POLL_MS = 1000;

type Phase =
  | { kind: "idle" }
  | { kind: "uploading"; file: string; size: number }
  | { kind: "scoring"; file: string; name: string }
  | { kind: "scored"; file: string; status: UploadStatus }
  | { kind: "failed"; file: string; status: UploadStatus };

/**
 * Scoring on upload in the browser: drop (or choose) a 51-band feature GeoTIFF, it is sent to `PUT /uploads/{name}`
 * and scored by score-tile like any upload to geocrop-features/uploads/; this follows `GET /uploads/{name}` until it
 * is scored (legend, area table, download; the map shows it through `onResult`) or failed (the reason from
 * score-tile's `.error.json`).
 */
export function UploadPanel({ api, onResult }: { api: ApiClient; onResult: (status: UploadStatus | undefined) => void }) {
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const [error, setError] = useState<ErrorMessage>();
  const [dragging, setDragging] = useState(false);
  const [legend, setLegend] = useState<Legend>();
  const input = useRef<HTMLInputElement>(null);
  const report = useRef(onResult);
  useEffect(() => {
    report.current = onResult;
  }, [onResult]);

  // Follow an upload being scored.
  const scoringName = phase.kind === "scoring" ? phase.name : undefined;
  const scoringFile = phase.kind === "scoring" ? phase.file : "";
  useEffect(() => {
    if (!scoringName) return undefined;
    let live = true;
    let timer = 0;
    const poll = async () => {
      try {
        const status = await api.uploadStatus(scoringName);
        if (!live) return;
        if (status.state === "scored") {
          setPhase({ kind: "scored", file: scoringFile, status });
          report.current(status);
          return;
        }
        if (status.state === "failed") {
          setPhase({ kind: "failed", file: scoringFile, status });
          return;
        }
      } catch (e) {
        if (!live) return;
        setError(errorMessage(e));
      }
      timer = window.setTimeout(poll, POLL_MS);
    };
    timer = window.setTimeout(poll, POLL_MS);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [api, scoringName, scoringFile]);

  // The scored upload's legend. Its own effect: the polling effect above ends (live = false) as soon as the phase
  // leaves "scoring", which would drop an answer that arrives after that.
  const scoredLayer = phase.kind === "scored" ? phase.status.layers?.class : undefined;
  useEffect(() => {
    if (!scoredLayer) return undefined;
    let live = true;
    api.legend(scoredLayer).then((l) => live && setLegend(l), () => undefined);
    return () => {
      live = false;
    };
  }, [api, scoredLayer]);

  async function send(file: File) {
    setError(undefined);
    setLegend(undefined);
    report.current(undefined);
    if (!looksLikeTiff(file.name)) {
      setError({ headline: `${file.name} is not a GeoTIFF (.tif): drop a 51-band feature GeoTIFF, e.g. from ./geocrop features.`, lines: [] });
      return;
    }
    const name = uploadName(file.name);
    setPhase({ kind: "uploading", file: file.name, size: file.size });
    try {
      await api.upload(name, file);
      setPhase({ kind: "scoring", file: file.name, name });
    } catch (e) {
      setPhase({ kind: "idle" });
      setError(errorMessage(e));
    }
  }

  function onFiles(files: FileList | null) {
    const file = files?.[0];
    if (file) void send(file);
  }

  const busy = phase.kind === "uploading" || phase.kind === "scoring";
  return (
    <section className="upload" data-testid="upload" data-state={phase.kind}>
      <h2>Score a feature GeoTIFF</h2>
      <label
        className={`dropzone${dragging ? " dragging" : ""}${busy ? " busy" : ""}`}
        data-testid="upload-dropzone"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          if (!busy) onFiles(e.dataTransfer.files);
        }}
      >
        <input
          ref={input}
          type="file"
          accept=".tif,.tiff,image/tiff"
          disabled={busy}
          onChange={(e) => {
            onFiles(e.target.files);
            e.target.value = "";
          }}
          data-testid="upload-input"
        />
        <span>
          <strong>Drop a feature GeoTIFF here</strong> or tap to choose one
        </span>
        <span className="muted small">51 float32 bands in FEATURE_ORDER_V1, e.g. a tile from <code>./geocrop features</code></span>
      </label>
      {phase.kind === "uploading" && (
        <p className="small" data-testid="upload-progress">
          Uploading {phase.file} ({formatBytes(phase.size)})…
        </p>
      )}
      {phase.kind === "scoring" && (
        <p className="small" data-testid="upload-progress">
          Scoring {phase.file}…
        </p>
      )}
      {error && <ErrorBox error={error} onDismiss={() => setError(undefined)} />}
      {phase.kind === "failed" && phase.status.error && (
        <div className="error" role="alert" data-testid="upload-error">
          <strong>
            {phase.file} cannot be scored: {phase.status.error.error}.
          </strong>
          <p className="small">{phase.status.error.detail}</p>
        </div>
      )}
      {phase.kind === "scored" && phase.status.summary && (
        <div className="upload-result" data-testid="upload-result">
          <p className="ok">
            {phase.file} scored with {phase.status.summary.model.name} v{String(phase.status.summary.model.version)}
            {phase.status.summary.model.synthetic ? " (demo model, synthetic)" : ""}.
          </p>
          {legend && <LegendList title={legend.title} type={legend.type} entries={legend.entries} testId="upload-legend" />}
          <AreaTable rows={areaRows({ ...phase.status.summary, job_id: phase.status.name }, legend?.entries)} totalHectares={phase.status.summary.total_hectares} />
          {phase.status.links?.cog && (
            <p className="downloads small">
              <a href={api.uploadResultUrl(phase.status.name)} data-testid="upload-download">
                Download the result (GeoTIFF: crop class, confidence)
              </a>
            </p>
          )}
        </div>
      )}
    </section>
  );
}
