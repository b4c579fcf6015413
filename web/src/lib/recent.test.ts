import { describe, expect, it } from "vitest";
import type { Job } from "../api/types";
import { ago, findCovering, findExisting, sameRequest, upsertRecent } from "./recent";

function job(id: string, over: Partial<Job> & { lon?: number; lat?: number; radius?: number }): Job {
  return {
    id,
    state: over.state ?? "completed",
    progress: 1,
    tiles: { total: 1, extracted: 1, scored: 1 },
    aoi: { lon: over.lon ?? 31.05, lat: over.lat ?? -17.83, radius_m: over.radius ?? 2000 },
    year: over.year ?? 2023,
    season: { start: "2023-09-01", end: "2024-05-31" },
    version: 1,
    created_at: over.created_at ?? "2026-01-01T00:00:00Z",
  };
}

const req = { lon: 31.05, lat: -17.83, radius_m: 2000, year: 2023 };

describe("recent jobs", () => {
  it("matches the same AOI and season to the server's tolerance", () => {
    expect(sameRequest(job("a", {}), req)).toBe(true);
    expect(sameRequest(job("a", { lon: 31.05 + 5e-8 }), req)).toBe(true);
    expect(sameRequest(job("a", { lon: 31.0501 }), req)).toBe(false);
    expect(sameRequest(job("a", { radius: 2000.5 }), req)).toBe(false);
    expect(sameRequest(job("a", { year: 2022 }), req)).toBe(false);
  });

  it("opens the newest identical job that has not failed", () => {
    const jobs = [
      job("old", { created_at: "2026-01-01T00:00:00Z" }),
      job("failed", { state: "failed", created_at: "2026-01-03T00:00:00Z" }),
      job("new", { state: "scoring", created_at: "2026-01-02T00:00:00Z" }),
      job("elsewhere", { lon: 30, created_at: "2026-01-04T00:00:00Z" }),
    ];
    expect(findExisting(jobs, req)?.id).toBe("new");
    expect(findExisting([jobs[1]], req)).toBeUndefined();
  });

  it("offers a finished job whose circle holds the requested one", () => {
    const big = job("big", { radius: 5000 });
    const small = { ...req, lon: 31.06, radius_m: 1000 }; // ~1.06 km east: inside 5 km
    expect(findCovering([big], small)?.id).toBe("big");
    expect(findCovering([big], { ...small, radius_m: 4500 })).toBeUndefined();
    expect(findCovering([job("running", { radius: 5000, state: "extracting" })], small)).toBeUndefined();
    expect(findCovering([job("other-year", { radius: 5000, year: 2022 })], small)).toBeUndefined();
  });

  it("keeps the list newest first, one entry per job, bounded", () => {
    const a = job("a", { created_at: "2026-01-01T00:00:00Z" });
    const b = job("b", { created_at: "2026-01-02T00:00:00Z" });
    const list = upsertRecent([a], b);
    expect(list.map((j) => j.id)).toEqual(["b", "a"]);
    const updated = upsertRecent(list, { ...a, state: "failed" });
    expect(updated.map((j) => j.id)).toEqual(["b", "a"]);
    expect(updated[1].state).toBe("failed");
    expect(upsertRecent(list, job("c", { created_at: "2026-01-03T00:00:00Z" }), 2).map((j) => j.id)).toEqual(["c", "b"]);
  });

  it("says how long ago", () => {
    const now = new Date("2026-01-01T12:00:00Z");
    expect(ago("2026-01-01T11:59:30Z", now)).toBe("just now");
    expect(ago("2026-01-01T11:55:00Z", now)).toBe("5 min ago");
    expect(ago("2026-01-01T09:00:00Z", now)).toBe("3 h ago");
    expect(ago("2025-12-30T12:00:00Z", now)).toBe("2 d ago");
  });
});
