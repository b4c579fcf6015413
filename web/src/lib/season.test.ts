import { describe, expect, it } from "vitest";
import { FIRST_SEASON, latestFinishedSeason, seasonLabel, seasonRangeText, seasonWindow, seasonYears } from "./season";

describe("season", () => {
  it("runs from 1 September to 31 May of the next year", () => {
    expect(seasonWindow(2024)).toEqual({ start: "2024-09-01", end: "2025-05-31" });
    expect(seasonLabel(2024)).toBe("Sep 2024 – May 2025");
    expect(seasonRangeText("2023-09-01", "2024-05-31")).toBe("1 Sep 2023 to 31 May 2024");
  });

  it("is finished only once its last day is over (UTC)", () => {
    expect(latestFinishedSeason(new Date("2025-05-31T23:59:59Z"))).toBe(2023);
    expect(latestFinishedSeason(new Date("2025-06-01T00:00:00Z"))).toBe(2024);
    expect(latestFinishedSeason(new Date("2025-12-31T12:00:00Z"))).toBe(2024);
    expect(latestFinishedSeason(new Date("2026-01-01T00:00:00Z"))).toBe(2024);
  });

  it("offers every finished season from 2017, newest first", () => {
    const years = seasonYears(new Date("2026-11-23T10:00:00Z"));
    expect(years[0]).toBe(2025);
    expect(years[years.length - 1]).toBe(FIRST_SEASON);
    expect(years).toHaveLength(2025 - 2017 + 1);
    expect([...years].sort((a, b) => b - a)).toEqual(years);
  });

  it("offers nothing before the first season is over", () => {
    expect(seasonYears(new Date("2018-05-01T00:00:00Z"))).toEqual([]);
    expect(seasonYears(new Date("2018-06-01T00:00:00Z"))).toEqual([2017]);
  });
});
