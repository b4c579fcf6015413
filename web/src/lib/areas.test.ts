import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ResultSummary } from "../api/types";
import { areaRows, circleHectares, formatHectares, formatPercent } from "./areas";
import { CROP_CLASSES } from "./cropClasses";

const summary: ResultSummary = {
  job_id: "6e968a3c-6743-4a34-8a6a-18d9bed67941",
  model: { name: "geocrop-crop", version: "3", synthetic: true },
  pixel_area_m2: 100,
  classes: [
    { code: 1, id: "maize", label: "Maize", pixels: 12_000, hectares: 120 },
    { code: 2, id: "tobacco", label: "Tobacco", pixels: 3_000, hectares: 30 },
    { code: 3, id: "soybean", label: "Soybean", pixels: 0, hectares: 0 },
    { code: 9, id: "trees", label: "Trees", pixels: 3_000, hectares: 30 },
    { code: 10, id: "water", label: "Water", pixels: 2_000, hectares: 20 },
  ],
  total_hectares: 200,
};

describe("area table", () => {
  it("lists classes with pixels, largest first, ties by class code, with shares of the total", () => {
    const rows = areaRows(summary);
    expect(rows.map((r) => r.label)).toEqual(["Maize", "Tobacco", "Trees", "Water"]);
    expect(rows.map((r) => r.percent)).toEqual([60, 15, 15, 10]);
    expect(rows[0].color).toBe("#f2c12e");
  });

  it("takes colours from the server's legend when given", () => {
    const rows = areaRows(summary, [{ value: 1, name: "Maize", color: "#123456" }]);
    expect(rows[0].color).toBe("#123456");
    expect(rows[1].color).toBe("#8c5a2b");
  });

  it("sums the classes when the total is missing", () => {
    const rows = areaRows({ ...summary, total_hectares: 0 });
    expect(rows[0].percent).toBe(60);
  });

  it("adds error-adjusted hectares to every row, and a row for a class estimated present but not mapped", () => {
    const rows = areaRows({
      ...summary,
      area_estimate: {
        available: true,
        classes: [
          { code: 1, id: "maize", label: "Maize", mapped_hectares: 120, adjusted_hectares: 110, ci95_hectares: 5 },
          { code: 3, id: "soybean", label: "Soybean", mapped_hectares: 0, adjusted_hectares: 12, ci95_hectares: 4 },
          { code: 2, id: "tobacco", label: "Tobacco", mapped_hectares: 30, adjusted_hectares: 28, ci95_hectares: 2 },
        ],
      },
    });
    expect(rows.map((r) => r.label)).toEqual(["Maize", "Tobacco", "Trees", "Water", "Soybean"]);
    expect(rows[0].adjusted).toEqual({ hectares: 110, ci95: 5 });
    expect(rows[2].adjusted).toEqual({ hectares: 0, ci95: 0 });
    expect(rows[4]).toMatchObject({ hectares: 0, adjusted: { hectares: 12, ci95: 4 } });
    expect(areaRows({ ...summary, area_estimate: { available: false, reason: "no matrix" } })[0].adjusted).toBeUndefined();
  });

  it("formats hectares and shares for people", () => {
    expect(formatHectares(1234.56)).toBe("1,234.6 ha");
    expect(formatPercent(12.345)).toBe("12.3 %");
    expect(circleHectares(1000)).toBeCloseTo(314.159, 3);
  });

  it("has the same classes and colours as libs/domain CropClass", () => {
    const java = readFileSync(fileURLToPath(new URL("../../../libs/domain/src/main/java/io/geocrop/domain/CropClass.java", import.meta.url)), "utf8");
    const entries = [...java.matchAll(/^\s+[A-Z_]+\((\d+), "([a-z_]+)", "([^"]+)", 0x([0-9A-Fa-f]{6})\)/gm)].map((m) => ({
      code: Number(m[1]),
      id: m[2],
      label: m[3],
      color: `#${m[4].toLowerCase()}`,
    }));
    expect(entries.length).toBeGreaterThan(0);
    expect(CROP_CLASSES).toEqual(entries);
  });
});
