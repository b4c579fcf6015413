import type { HealthNode } from "../api/types";

export type FunctionName = "submit-job" | "extract-features" | "score-tile" | "tile-render";
export const FUNCTIONS: readonly FunctionName[] = ["submit-job", "extract-features", "score-tile", "tile-render"];

/** "up", "down", "internal" (not reachable from a browser: event-driven, scales to zero) or "unknown". */
export type FunctionStatus = "up" | "down" | "internal" | "unknown";

/** How a function answered a cheap probe: "answered" for any reply from the function itself (even a 4xx problem). */
export type ProbeResult = "answered" | "failed" | "not-probed";

/**
 * Each function's live status. Embedded mode hosts every function in the one process whose `/health` the
 * page reads, so they share its status. In a cluster only the HTTP functions are reachable from the
 * browser: they are probed; the event-driven ones are shown as internal.
 */
export function functionStatuses(
  mode: string | undefined,
  health: HealthNode | undefined,
  probes: Partial<Record<FunctionName, ProbeResult>>,
): Record<FunctionName, FunctionStatus> {
  const process: FunctionStatus = health == null ? "unknown" : health.status === "UP" ? "up" : "down";
  const out = {} as Record<FunctionName, FunctionStatus>;
  for (const f of FUNCTIONS) {
    if (mode === "embedded") {
      out[f] = process;
      continue;
    }
    const probe = probes[f] ?? "not-probed";
    if (probe === "answered") out[f] = "up";
    else if (probe === "failed") out[f] = "down";
    else out[f] = f === "submit-job" ? process : "internal";
  }
  return out;
}

/** The health document's components ("jdbc", "diskSpace", ...) with their status, sorted by name. */
export function healthComponents(health: HealthNode | undefined): { name: string; status: string }[] {
  const details = health?.details;
  if (!details) return [];
  return Object.entries(details)
    .filter(([, v]) => v != null && typeof v === "object" && typeof (v as HealthNode).status === "string")
    .map(([name, v]) => ({ name: name.replace(/\(\)$/, ""), status: (v as HealthNode).status }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
