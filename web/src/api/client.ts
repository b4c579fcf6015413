import { describeProblem, parseProblem, parseRetryAfter, type ErrorMessage, type Problem } from "../lib/problem";
import type { HealthNode, Job, JobRequest, Legend, ModelCard, ResultSummary, TileJson, UploadStatus } from "./types";

/** An HTTP error with the server's problem body and the words to show for it. */
export class ApiError extends Error {
  readonly problem: Problem;
  readonly retryAfterSeconds?: number;
  readonly display: ErrorMessage;

  constructor(problem: Problem, retryAfterSeconds?: number) {
    const display = describeProblem(problem, retryAfterSeconds);
    super([display.headline, ...display.lines].join(" "));
    this.name = "ApiError";
    this.problem = problem;
    this.retryAfterSeconds = retryAfterSeconds;
    this.display = display;
  }

  get status(): number {
    return this.problem.status;
  }
}

/** Any failure as words to show: the problem's words for an ApiError, a plain sentence otherwise. */
export function errorMessage(e: unknown): ErrorMessage {
  if (e instanceof ApiError) {
    return e.display;
  }
  return { headline: e instanceof Error ? e.message : String(e), lines: [] };
}

/**
 * The answer to "prepare the year's Dynamic World baseline around this AOI": `generated` is true when this
 * server makes baselines itself (simulated imagery), i.e. the baseline is not real Dynamic World data.
 */
export type BaselineAnswer = { supported: true; generated: boolean; newCells: number } | { supported: false };

const REQUEST_TIMEOUT_MS = 20_000;

/**
 * The GeoCrop HTTP API. `base` is empty for the same origin (the embedded app), or the API's URL when the
 * static files are served from elsewhere.
 */
export class ApiClient {
  readonly base: string;

  constructor(base: string) {
    this.base = base.replace(/\/+$/, "");
  }

  url(path: string): string {
    return this.base + path;
  }

  /** `{z}/{x}/{y}` template of a layer's tiles. */
  tileTemplate(layer: string): string {
    return this.url(`/tiles/${encodeURIComponent(layer)}/{z}/{x}/{y}.png`);
  }

  async submitJob(req: JobRequest): Promise<{ job: Job; created: boolean }> {
    const res = await this.send("/jobs", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json, application/problem+json" },
      body: JSON.stringify({ lon: req.lon, lat: req.lat, radius_m: req.radius_m, year: req.year }),
    });
    return { job: (await res.json()) as Job, created: res.status === 202 };
  }

  async job(id: string): Promise<Job> {
    return (await (await this.send(`/jobs/${encodeURIComponent(id)}`)).json()) as Job;
  }

  async recentJobs(limit = 20): Promise<Job[]> {
    return (await (await this.send(`/jobs?limit=${limit}`)).json()) as Job[];
  }

  eventsUrl(id: string): string {
    return this.url(`/jobs/${encodeURIComponent(id)}/events`);
  }

  resultUrl(id: string, name: "cog" | "summary" | "preview"): string {
    return this.url(`/jobs/${encodeURIComponent(id)}/results/${name}`);
  }

  async summary(id: string): Promise<ResultSummary> {
    return (await (await this.send(`/jobs/${encodeURIComponent(id)}/results/summary`)).json()) as ResultSummary;
  }

  async legend(layer: string): Promise<Legend> {
    return (await (await this.send(`/legend/${encodeURIComponent(layer)}`)).json()) as Legend;
  }

  /** A layer's TileJSON; undefined when the layer does not exist (yet): 404, or 409 for a running job. */
  async tileJson(layer: string): Promise<TileJson | undefined> {
    try {
      return (await (await this.send(`/tiles/${encodeURIComponent(layer)}/tilejson.json`)).json()) as TileJson;
    } catch (e) {
      if (e instanceof ApiError && (e.status === 404 || e.status === 409)) {
        return undefined;
      }
      throw e;
    }
  }

  /**
   * Uploads a feature GeoTIFF to be scored (`PUT /uploads/{name}`, stored at geocrop-features/uploads/<name>.tif).
   * A ~53 MB tile may take a while on a slow link: no request timeout here.
   */
  async upload(name: string, file: Blob): Promise<UploadStatus> {
    let res: Response;
    try {
      res = await fetch(this.url(`/uploads/${encodeURIComponent(name)}`), {
        method: "PUT",
        headers: { "Content-Type": "application/octet-stream", Accept: "application/json, application/problem+json" },
        body: file,
      });
    } catch (e) {
      throw new ApiError({
        type: "about:blank",
        title: "No answer",
        status: 0,
        detail: `The GeoCrop server cannot be reached (${e instanceof Error ? e.message : String(e)}).`,
      });
    }
    if (!res.ok) {
      throw await toError(res);
    }
    return (await res.json()) as UploadStatus;
  }

  /** Where an upload stands: scoring, scored (areas, layers) or failed (the reason). */
  async uploadStatus(name: string): Promise<UploadStatus> {
    return (await (await this.send(`/uploads/${encodeURIComponent(name)}`)).json()) as UploadStatus;
  }

  /** The scored upload's result COG. */
  uploadResultUrl(name: string): string {
    return this.url(`/uploads/${encodeURIComponent(name)}/result`);
  }

  /** The model in use; undefined when none is registered yet (404). */
  async model(): Promise<ModelCard | undefined> {
    try {
      return (await (await this.send("/model")).json()) as ModelCard;
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        return undefined;
      }
      throw e;
    }
  }

  /** Micronaut's health document; a DOWN service answers 503 with the same body, which is still returned. */
  async health(): Promise<HealthNode> {
    const res = await this.fetchWithTimeout(this.url("/health"), { headers: { Accept: "application/json" } });
    const text = await res.text();
    try {
      return JSON.parse(text) as HealthNode;
    } catch {
      throw new ApiError(parseProblem(res.status, res.headers.get("Content-Type"), text));
    }
  }

  /**
   * Asks the server to have the year's Dynamic World baseline around the AOI (embedded mode generates it
   * on demand). A server without that endpoint (404/405/501) is fine: its baseline tiles are pre-made.
   */
  async ensureBaseline(req: JobRequest): Promise<BaselineAnswer> {
    const q = `lon=${req.lon}&lat=${req.lat}&radius_m=${req.radius_m}`;
    const res = await this.fetchWithTimeout(this.url(`/baselines/dw/${req.year}?${q}`), { method: "POST" });
    if (res.ok) {
      const body = (await res.json().catch(() => ({}))) as { generates?: unknown; generated?: unknown };
      return {
        supported: true,
        generated: body.generates === true,
        newCells: typeof body.generated === "number" ? body.generated : 0,
      };
    }
    if (res.status === 404 || res.status === 405 || res.status === 501) {
      const text = await res.text();
      const problem = parseProblem(res.status, res.headers.get("Content-Type"), text);
      // A 404 naming a field is a real answer about the request, not a missing endpoint.
      if (!problem.errors?.length) {
        return { supported: false };
      }
      throw new ApiError(problem);
    }
    throw await toError(res);
  }

  private async send(path: string, init: RequestInit = {}): Promise<Response> {
    const res = await this.fetchWithTimeout(this.url(path), init);
    if (!res.ok) {
      throw await toError(res);
    }
    return res;
  }

  private async fetchWithTimeout(url: string, init: RequestInit = {}): Promise<Response> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    try {
      return await fetch(url, { ...init, signal: controller.signal });
    } catch (e) {
      const timedOut = controller.signal.aborted;
      throw new ApiError({
        type: "about:blank",
        title: "No answer",
        status: 0,
        detail: timedOut
          ? `The GeoCrop server did not answer within ${REQUEST_TIMEOUT_MS / 1000} s.`
          : `The GeoCrop server cannot be reached (${e instanceof Error ? e.message : String(e)}).`,
      });
    } finally {
      clearTimeout(timer);
    }
  }
}

async function toError(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => "");
  const problem = parseProblem(res.status, res.headers.get("Content-Type"), text);
  return new ApiError(problem, parseRetryAfter(res.headers.get("Retry-After"), new Date()));
}
