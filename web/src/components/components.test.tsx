import { describe, expect, it } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import { ApiClient } from "../api/client";
import type { Job } from "../api/types";
import { areaRows } from "../lib/areas";
import { describeProblem, parseProblem } from "../lib/problem";
import { AreaTable } from "./AreaTable";
import { ErrorBox } from "./ErrorBox";
import { JobPanel } from "./JobPanel";
import { LegendList, readableName } from "./LegendList";

const job: Job = {
  id: "6e968a3c-6743-4a34-8a6a-18d9bed67941",
  state: "completed",
  progress: 1,
  tiles: { total: 2, extracted: 2, scored: 2 },
  aoi: { lon: 30.9, lat: -17.6, radius_m: 1000 },
  year: 2023,
  season: { start: "2023-09-01", end: "2024-05-31" },
  results: { cog: "results/x/crop-map.tif", summary: "results/x/summary.json" },
  version: 7,
};

const summary = {
  job_id: job.id,
  model: { name: "geocrop-crop", version: 2, synthetic: true },
  pixel_area_m2: 100,
  classes: [
    { code: 1, id: "maize", label: "Maize", pixels: 20_000, hectares: 200 },
    { code: 9, id: "trees", label: "Trees", pixels: 11_416, hectares: 114.16 },
  ],
  total_hectares: 314.16,
};

describe("components", () => {
  it("the area table lists each class in hectares with a total, and draws one bar per class", () => {
    const html = renderToStaticMarkup(<AreaTable rows={areaRows(summary)} totalHectares={summary.total_hectares} />);
    expect(html).toContain("Maize");
    expect(html).toContain("200.0 ha");
    expect(html).toContain("114.2 ha");
    expect(html).toContain("314.2 ha");
    expect(html.match(/<rect /g)).toHaveLength(2);
  });

  it("with error-adjusted areas the table shows them with 95 % intervals, whiskers, and what they assume", () => {
    const withEstimate = {
      ...summary,
      area_estimate: {
        available: true,
        assumption: "assumes the model's held-out error rates hold in this area",
        classes: [
          { code: 1, id: "maize", label: "Maize", mapped_hectares: 200, adjusted_hectares: 185.5, ci95_hectares: 12.25 },
          { code: 9, id: "trees", label: "Trees", mapped_hectares: 114.16, adjusted_hectares: 128.66, ci95_hectares: 9.5 },
        ],
      },
    };
    const html = renderToStaticMarkup(<AreaTable rows={areaRows(withEstimate)} totalHectares={summary.total_hectares} />);
    expect(html).toContain("Adjusted (95 % CI)");
    expect(html).toContain("185.5 ha ± 12.3 ha");
    expect(html).toContain("128.7 ha ± 9.5 ha");
    expect(html).toContain("assumes the model&#x27;s held-out error rates hold in this area");
    expect(html.match(/data-testid="adjusted-whisker"/g)).toHaveLength(2);
    const plain = renderToStaticMarkup(<AreaTable rows={areaRows(summary)} totalHectares={summary.total_hectares} />);
    expect(plain).not.toContain("Adjusted");
  });

  it("an error box shows the headline and each field line", () => {
    const p = parseProblem(422, "application/problem+json", JSON.stringify({ status: 422, errors: [{ field: "lat", message: "is required" }] }));
    const html = renderToStaticMarkup(<ErrorBox error={describeProblem(p)} />);
    expect(html).toContain('role="alert"');
    expect(html).toContain("Latitude: is required");
  });

  it("a completed job shows its legend, areas, the synthetic-model label and the COG link", () => {
    const html = renderToStaticMarkup(
      <JobPanel
        api={new ApiClient("http://api.example/")}
        job={job}
        result={{ summary, classLegend: { layer: "x", title: "Crop type", type: "categorical", entries: [{ value: 1, name: "Maize", color: "#f2c12e" }] } }}
        opacity={0.8}
        onOpacity={() => undefined}
        showConfidence={false}
        onShowConfidence={() => undefined}
        overlayTiles={{ loaded: 3, failed: 0 }}
      />,
    );
    expect(html).toContain('href="http://api.example/jobs/6e968a3c-6743-4a34-8a6a-18d9bed67941/results/cog"');
    expect(html).toContain("synthetic model");
    expect(html).toContain("Crop type");
    expect(html).toContain("200.0 ha");
    expect(html).toContain('data-state="completed"');
  });

  it("a completed job says in words whether its area looks like the training data", () => {
    const render = (j: Job, sum?: typeof summary & { drift?: Job["drift"] }) => renderToStaticMarkup(
      <JobPanel api={new ApiClient("")} job={j} result={{ summary: sum }} opacity={1} onOpacity={() => undefined}
        showConfidence={false} onShowConfidence={() => undefined} overlayTiles={{ loaded: 0, failed: 0 }} />,
    );
    const drifted = render({ ...job, drift: { level: "major", score: 0.41, words: "This area's NDVI peak day values look unlike the training data (drift score 0.41, major).", shifted_features: ["ndvi_peak_day"] } });
    expect(drifted).toContain('class="drift drift-major"');
    expect(drifted).toContain("NDVI peak day values look unlike the training data");
    expect(drifted).toContain("may be less accurate here");
    const fromSummary = render(job, { ...summary, drift: { level: "unavailable", words: "Drift unavailable: the model card has no training distribution." } });
    expect(fromSummary).toContain("Drift unavailable: the model card has no training distribution.");
    expect(render(job, summary)).not.toContain('data-testid="drift"');
  });

  it("a running job shows its place in the queue", () => {
    const html = renderToStaticMarkup(
      <JobPanel api={new ApiClient("")} job={{ ...job, state: "extracting", progress: 0.1, queue: { position: 3, tiles_left: 2, tiles_ahead: 4, estimated_wait_s: 300 } }}
        result={{}} opacity={1} onOpacity={() => undefined} showConfidence={false} onShowConfidence={() => undefined} overlayTiles={{ loaded: 0, failed: 0 }} />,
    );
    expect(html).toContain('data-testid="queue-text"');
    expect(html).toContain("Queue position 3 · 2 tiles of this job and 4 tiles of other jobs to go, taken in turns · about 5 min left");
  });

  it("a failed job says why", () => {
    const html = renderToStaticMarkup(
      <JobPanel api={new ApiClient("")} job={{ ...job, state: "failed", failure_reason: "no Sentinel-2 scenes cover the AOI in the season" }}
        result={{}} opacity={1} onOpacity={() => undefined} showConfidence={false} onShowConfidence={() => undefined} overlayTiles={{ loaded: 0, failed: 0 }} />,
    );
    expect(html).toContain("This job failed.");
    expect(html).toContain("no Sentinel-2 scenes cover the AOI in the season");
  });

  it("legend names from the API read as words", () => {
    expect(readableName("shrub_and_scrub")).toBe("Shrub and scrub");
    expect(readableName("Sorghum / millet")).toBe("Sorghum / millet");
    const html = renderToStaticMarkup(<LegendList title="Confidence (%)" type="ramp" entries={[{ value: 1, name: "1", color: "#440154" }, { value: 100, name: "100", color: "#fde725" }]} />);
    expect(html).toContain("linear-gradient(to right, #440154, #fde725)");
  });
});

describe("UploadPanel", () => {
  it("offers a drop zone that takes GeoTIFFs", async () => {
    const { UploadPanel } = await import("./UploadPanel");
    const html = renderToStaticMarkup(<UploadPanel api={new ApiClient("")} onResult={() => undefined} />);
    expect(html).toContain('data-testid="upload-dropzone"');
    expect(html).toContain('accept=".tif,.tiff,image/tiff"');
    expect(html).toContain("Drop a feature GeoTIFF here");
    expect(html).toContain('data-state="idle"');
  });
});
