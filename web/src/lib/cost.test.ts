import { describe, expect, it } from "vitest";
import type { JobCost } from "../api/types";
import { costPerKm2Text, costRows, formatBytes, formatCpu } from "./cost";

const cost: JobCost = {
  aoi_km2: 12.5664,
  total: { cpu_seconds: 95.25, catalogue_requests: 1210, catalogue_bytes: 200 * 1024 * 1024, bytes_written: 3 * 1024 * 1024 },
  per_km2: { cpu_seconds: 7.58, catalogue_requests: 96.29, catalogue_bytes: 16_688_000, bytes_written: 250_000 },
  stages: [
    { stage: "planning", units: 1, cpu_seconds: 0.25, catalogue_requests: 10, catalogue_bytes: 400_000, bytes_written: 0 },
    { stage: "extraction", units: 4, cpu_seconds: 90, catalogue_requests: 1200, catalogue_bytes: 209_315_200, bytes_written: 2_000_000 },
    { stage: "scoring", units: 1, cpu_seconds: 5, catalogue_requests: 0, catalogue_bytes: 0, bytes_written: 1_145_728 },
  ],
};

describe("cost", () => {
  it("formats bytes and CPU time", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(200 * 1024 * 1024)).toBe("200 MiB");
    expect(formatCpu(0.25)).toBe("0.25 s");
    expect(formatCpu(95.25)).toBe("95.3 s");
    expect(formatCpu(600)).toBe("10.0 min");
  });

  it("makes one row per stage and a total", () => {
    const rows = costRows(cost);
    expect(rows.map((r) => r.stage)).toEqual(["Planning (catalogue search)", "Extraction", "Scoring", "Total"]);
    expect(rows[1]).toEqual({ stage: "Extraction", units: "4 tiles", cpu: "90.0 s", read: "200 MiB in 1200 requests", written: "1.9 MiB" });
    expect(rows[2].read).toBe("—");
    expect(rows[2].units).toBe("1 tile");
    expect(rows[3].cpu).toBe("95.3 s");
  });

  it("says the cost per km² only when there is an area", () => {
    expect(costPerKm2Text(cost)).toBe("7.58 s of CPU and 16 MiB of imagery read per km² (12.57 km²)");
    expect(costPerKm2Text({ ...cost, per_km2: undefined })).toBeUndefined();
  });
});
