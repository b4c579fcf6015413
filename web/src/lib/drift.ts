import type { Drift } from "../api/types";

/** How the job panel words a job's drift, with a CSS class for its level; undefined when there is nothing to say. */
export function driftNote(drift: Drift | undefined): { text: string; level: string } | undefined {
  if (!drift || !drift.words) return undefined;
  const extra =
    drift.level === "major" || drift.level === "moderate"
      ? " The map and the adjusted areas may be less accurate here than the model's held-out accuracy suggests."
      : "";
  return { text: drift.words + extra, level: drift.level };
}
