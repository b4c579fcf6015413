/** RFC 9457 problem bodies as the GeoCrop API sends them, and how the app says them in plain words. */

export interface FieldProblem {
  field: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldProblem[];
}

/** What the app shows: one sentence, and one line per field at fault. */
export interface ErrorMessage {
  headline: string;
  lines: string[];
  /** Seconds to wait before trying again (rate limit, or a busy server), when the server said. */
  retryAfterSeconds?: number;
  /** Why the wait: this address sent too much (429), or the server is full (503). */
  waitReason?: "rate-limited" | "busy";
}

/** The headline for a wait still `seconds` long, counted down by the page. */
export function waitHeadline(reason: "rate-limited" | "busy" | undefined, seconds: number): string {
  return reason === "busy"
    ? `The server is busy with other jobs. Please try again in ${formatWait(seconds)}.`
    : `Too many submissions from this address. Please wait ${formatWait(seconds)} and try again.`;
}

const FIELD_NAMES: Record<string, string> = {
  lon: "Longitude",
  lat: "Latitude",
  radius_m: "Radius",
  year: "Season year",
  limit: "Limit",
  id: "Job id",
  layer: "Map layer",
  body: "Request",
};

/** The field's name for people: `radius_m` becomes "Radius". */
export function fieldLabel(field: string): string {
  return FIELD_NAMES[field] ?? field.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
}

/**
 * Reads an error answer. A problem+json body is taken as it is; anything else (a proxy's HTML page, an empty
 * body) becomes a problem with the status and a short reason, so the app always has words to show.
 */
export function parseProblem(status: number, contentType: string | null, body: string): Problem {
  if (contentType != null && /json/i.test(contentType) && body.trim().length > 0) {
    try {
      const parsed: unknown = JSON.parse(body);
      if (parsed != null && typeof parsed === "object") {
        const p = parsed as Partial<Problem>;
        return {
          type: typeof p.type === "string" ? p.type : "about:blank",
          title: typeof p.title === "string" ? p.title : statusText(status),
          status: typeof p.status === "number" ? p.status : status,
          detail: typeof p.detail === "string" ? p.detail : undefined,
          instance: typeof p.instance === "string" ? p.instance : undefined,
          errors: Array.isArray(p.errors)
            ? p.errors.filter((e): e is FieldProblem => e != null && typeof e.field === "string" && typeof e.message === "string")
            : undefined,
        };
      }
    } catch {
      // Not JSON after all: fall through to the generic problem.
    }
  }
  return { type: "about:blank", title: statusText(status), status };
}

function statusText(status: number): string {
  if (status === 0) return "No answer";
  if (status === 404) return "Not found";
  if (status === 429) return "Too many requests";
  if (status === 502 || status === 503 || status === 504) return "Service unavailable";
  if (status >= 500) return "Server error";
  return "Request error";
}

/**
 * A Retry-After header in seconds: either a number of seconds or an HTTP date (RFC 9110). Undefined when
 * absent or unreadable; never negative.
 */
export function parseRetryAfter(value: string | null, now: Date): number | undefined {
  if (value == null || value.trim() === "") {
    return undefined;
  }
  const v = value.trim();
  if (/^\d+$/.test(v)) {
    return Number(v);
  }
  const when = Date.parse(v);
  if (Number.isNaN(when)) {
    return undefined;
  }
  return Math.max(0, Math.ceil((when - now.getTime()) / 1000));
}

/** "42 s", "3 min 5 s". */
export function formatWait(seconds: number): string {
  if (seconds < 60) {
    return `${seconds} s`;
  }
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return s === 0 ? `${m} min` : `${m} min ${s} s`;
}

/** Plain words for a problem: what went wrong and, where the server named fields, which ones. */
export function describeProblem(problem: Problem, retryAfterSeconds?: number): ErrorMessage {
  const lines = (problem.errors ?? []).map((e) => `${fieldLabel(e.field)}: ${e.message}`);
  switch (problem.status) {
    case 400:
    case 422:
      return {
        headline: lines.length > 0 ? "Please check the request:" : problem.detail ?? "The request was not accepted.",
        lines,
      };
    case 401:
      return { headline: "This server needs an API key to submit jobs.", lines: problem.detail ? [problem.detail] : [] };
    case 404:
      return { headline: problem.detail ?? "Not found.", lines: [] };
    case 409:
      return { headline: problem.detail ?? "Not ready yet.", lines: [] };
    case 429: {
      const wait = retryAfterSeconds;
      return {
        headline:
          wait != null
            ? `Too many submissions from this address. Please wait ${formatWait(wait)} and try again.`
            : "Too many submissions from this address. Please wait a moment and try again.",
        // The server's detail repeats the wait, which the headline counts down: only shown when no wait is known.
        lines: wait == null && problem.detail ? [problem.detail] : [],
        retryAfterSeconds: wait,
        waitReason: "rate-limited",
      };
    }
    case 503: {
      // Admission (the server holds as much work as it can) or a dependency briefly down: both pass with time.
      const wait = retryAfterSeconds;
      return {
        headline:
          wait != null
            ? waitHeadline("busy", wait)
            : "The server is busy. Please try again in a moment.",
        lines: wait == null && problem.detail ? [problem.detail] : [],
        retryAfterSeconds: wait,
        waitReason: "busy",
      };
    }
    case 0:
      return { headline: problem.detail ?? "The GeoCrop server cannot be reached. Check that it is running.", lines: [] };
    default:
      if (problem.status >= 500) {
        return {
          headline: "The server could not handle this request.",
          lines: problem.detail ? [problem.detail] : [],
        };
      }
      return { headline: problem.detail ?? problem.title, lines };
  }
}
