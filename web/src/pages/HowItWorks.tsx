import { useEffect, useState } from "react";
import { ApiError, errorMessage, type ApiClient } from "../api/client";
import type { HealthNode, ModelCard, RuntimeConfig } from "../api/types";
import { ArchitectureDiagram } from "../components/ArchitectureDiagram";
import { ErrorBox } from "../components/ErrorBox";
import { FUNCTIONS, functionStatuses, healthComponents, type FunctionName, type ProbeResult } from "../lib/health";
import type { ErrorMessage } from "../lib/problem";

const REFRESH_MS = 10_000;

async function probe(run: () => Promise<unknown>): Promise<ProbeResult> {
  try {
    await run();
    return "answered";
  } catch (e) {
    // A problem body from the function is an answer: it is alive. No answer or a 5xx is not.
    return e instanceof ApiError && e.status > 0 && e.status < 500 ? "answered" : "failed";
  }
}

/** How it works: the architecture, the live health of each function, and the card of the model in use. */
export function HowItWorks({ api, config, model, modelError }: { api: ApiClient; config: RuntimeConfig; model?: ModelCard | null; modelError?: ErrorMessage }) {
  const [health, setHealth] = useState<HealthNode>();
  const [healthError, setHealthError] = useState<ErrorMessage>();
  const [probes, setProbes] = useState<Partial<Record<FunctionName, ProbeResult>>>({});
  const [checkedAt, setCheckedAt] = useState<Date>();

  useEffect(() => {
    let live = true;
    async function check() {
      const [h, submit, tiles] = await Promise.all([
        api.health().then(
          (v) => ({ ok: v }),
          (e) => ({ err: errorMessage(e) }),
        ),
        probe(() => api.recentJobs(1)),
        probe(() => api.legend("dw-2017")),
      ]);
      if (!live) return;
      if ("ok" in h) {
        setHealth(h.ok);
        setHealthError(undefined);
      } else {
        setHealth(undefined);
        setHealthError(h.err);
      }
      setProbes({ "submit-job": submit, "tile-render": tiles });
      setCheckedAt(new Date());
    }
    void check();
    const t = setInterval(() => void check(), REFRESH_MS);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [api]);

  const statuses = functionStatuses(config.mode, health, probes);
  const components = healthComponents(health);

  return (
    <div className="page how">
      <h1>How it works</h1>
      <p>
        You pick a circle in Zimbabwe and a growing season. GeoCrop reads that season's Sentinel-2 images of the
        area, computes 51 spectral and seasonal features for every 10 m pixel, classifies each pixel with a
        gradient-boosted tree model run by ONNX Runtime, and writes the crop map as a Cloud-Optimized GeoTIFF. The
        map shows a Dynamic World land-cover baseline at once and overlays the crop map when it is ready.
      </p>
      <Honesty config={config} model={model ?? undefined} />
      <ArchitectureDiagram status={statuses} />

      <h2>Live health</h2>
      {healthError && <ErrorBox error={healthError} />}
      <table className="health" data-testid="health">
        <thead>
          <tr>
            <th scope="col">Function</th>
            <th scope="col">Status</th>
            <th scope="col">How it is checked</th>
          </tr>
        </thead>
        <tbody>
          {FUNCTIONS.map((f) => (
            <tr key={f} data-function={f}>
              <td>
                <code>{f}</code>
              </td>
              <td>
                <span className={`status status-${statuses[f]}`}>{statuses[f]}</span>
              </td>
              <td className="muted small">{howChecked(f, config.mode)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {components.length > 0 && (
        <p className="muted small" data-testid="health-components">
          Server health ({health?.status}): {components.map((c) => `${c.name} ${c.status}`).join(" · ")}
          {checkedAt && <> · checked {checkedAt.toLocaleTimeString("en-GB")}</>}
        </p>
      )}

      <h2>The model in use</h2>
      {modelError && <ErrorBox error={modelError} />}
      {model === null && (
        <p data-testid="no-model">
          No model is registered on this server yet, so jobs cannot be classified: they stop after the features
          are computed. Train one with <code>./geocrop train</code>.
        </p>
      )}
      {model && <ModelCardView model={model} />}
    </div>
  );
}

function howChecked(f: FunctionName, mode: string | undefined): string {
  if (mode === "embedded") {
    return "runs inside this server's process (embedded mode): its /health";
  }
  if (f === "submit-job") return "GET /jobs answered";
  if (f === "tile-render") return "GET /legend answered";
  return "event-driven, not reachable from the browser; scales to zero when idle";
}

/** Says plainly what is simulated or synthetic in this deployment. */
function Honesty({ config, model }: { config: RuntimeConfig; model?: ModelCard }) {
  const notes: string[] = [];
  if (config.imagery_source === "simulated") {
    notes.push("The satellite imagery is simulated: a generated, Sentinel-2-like landscape, not real images of Zimbabwe.");
  }
  if (model?.synthetic) {
    notes.push("The model is synthetic: trained on simulated pixels, so its map is a demonstration, not a survey.");
  }
  if (notes.length === 0) {
    if (config.imagery_source === "stac") notes.push("Imagery: Sentinel-2 Level-2A from Digital Earth Africa.");
    else return null;
  }
  return (
    <div className="honest" data-testid="honesty">
      {notes.map((n) => (
        <p key={n}>{n}</p>
      ))}
    </div>
  );
}

function ModelCardView({ model }: { model: ModelCard }) {
  const { name, version, synthetic, created_at, feature_names, feature_order_hash, ...rest } = model;
  return (
    <div className="model-card" data-testid="model-card">
      <p>
        <strong>{name}</strong> version {String(version)}
        {synthetic && <span className="badge">synthetic</span>}
        {created_at && <span className="muted small"> · created {created_at}</span>}
      </p>
      {feature_names && (
        <p className="small">
          {feature_names.length} features{feature_order_hash && <> (order hash <code>{String(feature_order_hash).slice(0, 16)}…</code>)</>}
        </p>
      )}
      <dl>
        {Object.entries(rest).map(([k, v]) => (
          <div key={k}>
            <dt>{k.replace(/_/g, " ")}</dt>
            <dd>
              <Value value={v} />
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

/** Any JSON value, compactly: numbers rounded, arrays of scalars joined, objects as nested lists. */
function Value({ value }: { value: unknown }) {
  if (value == null) return <span className="muted">—</span>;
  if (typeof value === "number") return <>{Number.isInteger(value) ? value : value.toFixed(4)}</>;
  if (typeof value !== "object") return <>{String(value)}</>;
  if (Array.isArray(value)) {
    if (value.every((v) => v == null || typeof v !== "object")) return <>{value.join(", ")}</>;
    return (
      <ol>
        {value.map((v, i) => (
          <li key={i}>
            <Value value={v} />
          </li>
        ))}
      </ol>
    );
  }
  return (
    <ul className="kv">
      {Object.entries(value as Record<string, unknown>).map(([k, v]) => (
        <li key={k}>
          <span className="k">{k.replace(/_/g, " ")}:</span> <Value value={v} />
        </li>
      ))}
    </ul>
  );
}
