import { describe, expect, it } from "vitest";
import { circleBounds, circleRing, distanceM, insideCoverage, roundCoord } from "./geo";
import { functionStatuses, healthComponents } from "./health";
import { routeOf } from "./route";
import { mergeConfig } from "./config";

describe("AOI geometry", () => {
  it("draws a closed circle whose points lie at the radius", () => {
    const ring = circleRing(31.05, -17.83, 2000, 48);
    expect(ring).toHaveLength(49);
    expect(ring[48]).toEqual(ring[0]);
    for (const [lon, lat] of ring) {
      expect(distanceM(31.05, -17.83, lon, lat)).toBeCloseTo(2000, 3);
    }
  });

  it("knows a degree of latitude is about 111 km", () => {
    expect(distanceM(30, -18, 30, -17) / 1000).toBeCloseTo(111.2, 1);
    const [w, s, e, n] = circleBounds(30, -18, 10_000);
    expect(n - s).toBeCloseTo(0.18, 2);
    expect(e - w).toBeGreaterThan(n - s); // longitude degrees are shorter away from the equator
  });

  it("hints when the circle leaves the coverage box", () => {
    expect(insideCoverage(31.05, -17.83, 2000)).toBe(true);
    expect(insideCoverage(33.09, -17.83, 2000)).toBe(false);
    expect(insideCoverage(34.0, -17.83, 100)).toBe(false);
    expect(roundCoord(31.0512345)).toBe(31.05123);
  });
});

describe("function health", () => {
  const up = { status: "UP", details: { jdbc: { status: "UP" }, "compositeDiscoveryClient()": { status: "UP" }, diskSpace: { status: "DOWN" } } };

  it("gives every function the process's status in embedded mode", () => {
    expect(functionStatuses("embedded", up, {})).toEqual({ "submit-job": "up", "extract-features": "up", "score-tile": "up", "tile-render": "up" });
    expect(functionStatuses("embedded", { status: "DOWN" }, {})["score-tile"]).toBe("down");
    expect(functionStatuses("embedded", undefined, {})["tile-render"]).toBe("unknown");
  });

  it("probes the HTTP functions of a cluster and marks the event-driven ones internal", () => {
    const s = functionStatuses("cluster", up, { "submit-job": "answered", "tile-render": "failed" });
    expect(s).toEqual({ "submit-job": "up", "extract-features": "internal", "score-tile": "internal", "tile-render": "down" });
  });

  it("lists the health components by name", () => {
    expect(healthComponents(up)).toEqual([
      { name: "compositeDiscoveryClient", status: "UP" },
      { name: "diskSpace", status: "DOWN" },
      { name: "jdbc", status: "UP" },
    ]);
    expect(healthComponents(undefined)).toEqual([]);
  });
});

describe("routes and settings", () => {
  it("maps paths to pages under any base", () => {
    expect(routeOf("/", "/")).toBe("map");
    expect(routeOf("/index.html", "/")).toBe("map");
    expect(routeOf("/how-it-works", "/")).toBe("how");
    expect(routeOf("/how-it-works/", "/")).toBe("how");
    expect(routeOf("/geocrop/how-it-works", "/geocrop/")).toBe("how");
    expect(routeOf("/nothing-here", "/")).toBe("not-found");
  });

  it("takes only well-typed settings from config.json", () => {
    const base = { api_base: "", osm_basemap: false };
    expect(mergeConfig(base, { api_base: "https://api.example", mode: "embedded", imagery_source: "simulated", osm_basemap: "yes" }))
      .toEqual({ api_base: "https://api.example", mode: "embedded", imagery_source: "simulated", osm_basemap: false, version: undefined });
    expect(mergeConfig(base, null)).toBe(base);
  });
});
