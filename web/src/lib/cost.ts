import type { JobCost } from "../api/types";

/** One row of the job panel's cost table. */
export interface CostRow {
  stage: string;
  units: string;
  cpu: string;
  read: string;
  written: string;
}

const STAGE_NAMES: Record<string, string> = {
  planning: "Planning (catalogue search)",
  extraction: "Extraction",
  scoring: "Scoring",
  assembly: "Assembly",
};

/** Bytes in the largest binary unit that keeps at least 1 (B, KiB, MiB, GiB). */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${Math.round(v)} B` : `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

/** CPU seconds as s with a sensible precision, or min for long ones. */
export function formatCpu(seconds: number): string {
  if (seconds >= 120) {
    return `${(seconds / 60).toFixed(1)} min`;
  }
  return `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
}

/** The table's rows: one per stage, then the total. */
export function costRows(cost: JobCost): CostRow[] {
  const rows: CostRow[] = cost.stages.map((s) => ({
    stage: STAGE_NAMES[s.stage] ?? s.stage,
    units: s.stage === "extraction" || s.stage === "scoring" ? `${s.units} tile${s.units === 1 ? "" : "s"}` : "",
    cpu: formatCpu(s.cpu_seconds),
    read: s.catalogue_requests > 0 ? `${formatBytes(s.catalogue_bytes)} in ${s.catalogue_requests} requests` : "—",
    written: s.bytes_written > 0 ? formatBytes(s.bytes_written) : "—",
  }));
  rows.push({
    stage: "Total",
    units: "",
    cpu: formatCpu(cost.total.cpu_seconds),
    read: `${formatBytes(cost.total.catalogue_bytes)} in ${cost.total.catalogue_requests} requests`,
    written: formatBytes(cost.total.bytes_written),
  });
  return rows;
}

/** One line for the panel: the total per km² of the AOI, or undefined when the cost has no area. */
export function costPerKm2Text(cost: JobCost): string | undefined {
  if (!cost.per_km2 || !(cost.aoi_km2 > 0)) {
    return undefined;
  }
  return `${formatCpu(cost.per_km2.cpu_seconds)} of CPU and ${formatBytes(cost.per_km2.catalogue_bytes)} of imagery read per km² (${cost.aoi_km2.toFixed(2)} km²)`;
}
