import type { LegendEntry, ResultSummary } from "../api/types";
import { CROP_CLASSES } from "./cropClasses";

/** One line of the per-class area table. */
export interface AreaRow {
  code: number;
  label: string;
  color: string;
  pixels: number;
  hectares: number;
  /** Share of the mapped area, 0..100. */
  percent: number;
  /** Error-adjusted hectares and the half-width of their 95 % interval, when the summary has them. */
  adjusted?: { hectares: number; ci95: number };
}

/** What adjusted areas assume; shown next to them. */
export const ADJUSTED_ASSUMPTION = "assumes the model's held-out error rates hold in this area";

/**
 * The area table from a result summary: classes with at least one pixel, largest first (ties by class
 * code, so the order is stable). Colours come from the layer's legend when given, else from the crop classes
 * the app knows. Shares are of the summary's total.
 */
export function areaRows(summary: ResultSummary, legend?: LegendEntry[]): AreaRow[] {
  const colours = new Map<number, string>(CROP_CLASSES.map((c) => [c.code, c.color]));
  for (const e of legend ?? []) {
    colours.set(e.value, e.color);
  }
  const total = summary.total_hectares > 0
    ? summary.total_hectares
    : summary.classes.reduce((sum, c) => sum + c.hectares, 0);
  const estimate = summary.area_estimate?.available ? summary.area_estimate.classes ?? [] : [];
  const adjusted = new Map(estimate.map((c) => [c.code, c]));
  const rows: AreaRow[] = summary.classes
    .filter((c) => c.pixels > 0)
    .map((c) => ({
      code: c.code,
      label: c.label,
      color: colours.get(c.code) ?? "#888888",
      pixels: c.pixels,
      hectares: c.hectares,
      percent: total > 0 ? (100 * c.hectares) / total : 0,
    }));
  // A class the map has none of may still be estimated present (pixels of it mapped as something else).
  for (const c of estimate) {
    if (!rows.some((r) => r.code === c.code) && c.adjusted_hectares > 0) {
      rows.push({ code: c.code, label: c.label, color: colours.get(c.code) ?? "#888888", pixels: 0, hectares: 0, percent: 0 });
    }
  }
  if (adjusted.size > 0) {
    for (const r of rows) {
      const a = adjusted.get(r.code);
      r.adjusted = { hectares: a?.adjusted_hectares ?? 0, ci95: a?.ci95_hectares ?? 0 };
    }
  }
  return rows.sort((a, b) => b.hectares - a.hectares || (b.adjusted?.hectares ?? 0) - (a.adjusted?.hectares ?? 0) || a.code - b.code);
}

/** "± 12.3 ha". */
export function formatInterval(ha: number): string {
  return `± ${formatHectares(ha)}`;
}

const HECTARES = new Intl.NumberFormat("en-GB", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const PERCENT = new Intl.NumberFormat("en-GB", { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** "1,234.5 ha". */
export function formatHectares(ha: number): string {
  return `${HECTARES.format(ha)} ha`;
}

/** "12.3 %". */
export function formatPercent(p: number): string {
  return `${PERCENT.format(p)} %`;
}

/** Area of a circle of `radiusM` metres in hectares: what the AOI covers before any pixel is counted. */
export function circleHectares(radiusM: number): number {
  return (Math.PI * radiusM * radiusM) / 10_000;
}
