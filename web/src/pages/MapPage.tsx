import { useCallback, useEffect, useMemo, useState } from "react";
import { ApiError, errorMessage, type ApiClient } from "../api/client";
import { JobFollower } from "../api/follower";
import type { Job, JobRequest, Legend, RuntimeConfig, TileJson, UploadStatus } from "../api/types";
import { ErrorBox } from "../components/ErrorBox";
import { JobPanel, type ResultView } from "../components/JobPanel";
import { LegendList } from "../components/LegendList";
import { RecentJobs } from "../components/RecentJobs";
import { UploadPanel } from "../components/UploadPanel";
import { circleHectares, formatHectares } from "../lib/areas";
import { insideCoverage } from "../lib/geo";
import type { FollowState } from "../lib/progress";
import { formatWait, waitHeadline, type ErrorMessage } from "../lib/problem";
import { findCovering, findExisting, upsertRecent } from "../lib/recent";
import { seasonLabel, seasonYears } from "../lib/season";
import { MapView, type RasterLayerSpec, type TileCounts } from "../map/MapView";

interface BaselineView {
  year: number;
  status: "loading" | "ready" | "missing" | "error";
  tileJson?: TileJson;
  legend?: Legend;
  message?: string;
  /** Made by this server from its simulated landscape, not Dynamic World's own data. */
  simulated?: boolean;
  /** Bumped whenever the server generated new baseline cells: tiles seen before may have changed. */
  version: number;
  /** The AOI the baseline was prepared for ("lat,lon,radius"), if any. */
  aoi?: string;
}

const NO_TILES: TileCounts = { loaded: 0, failed: 0 };

/** Phones: below this width the legend starts collapsed so it does not cover the map. */
const SMALL_SCREEN = "(max-width: 600px)";

function isSmallScreen(): boolean {
  return typeof window !== "undefined" && typeof window.matchMedia === "function" && window.matchMedia(SMALL_SCREEN).matches;
}

function jobIdFromUrl(): string | null {
  return new URLSearchParams(window.location.search).get("job");
}

function setJobInUrl(id: string | undefined) {
  const url = new URL(window.location.href);
  if (id) url.searchParams.set("job", id);
  else url.searchParams.delete("job");
  window.history.replaceState(null, "", url);
}

/** The map page: pick an AOI and season, see the baseline, submit, follow the job, read the result. */
export function MapPage({ api, config }: { api: ApiClient; config: RuntimeConfig }) {
  const now = useMemo(() => new Date(), []);
  const years = useMemo(() => seasonYears(now), [now]);

  const [lonText, setLonText] = useState("");
  const [latText, setLatText] = useState("");
  const [radiusText, setRadiusText] = useState("2000");
  const [year, setYear] = useState(years[0]);
  const [osm, setOsm] = useState(config.osm_basemap === true);

  const [error, setError] = useState<ErrorMessage>();
  const [blockedUntil, setBlockedUntil] = useState(0);
  const [clock, setClock] = useState(0);
  const [submitting, setSubmitting] = useState(false);

  const [recent, setRecent] = useState<Job[]>([]);
  const [recentError, setRecentError] = useState<ErrorMessage>();
  const [job, setJob] = useState<Job>();
  // The job as it was opened: following starts from it (later views of it go to `job`).
  const [followed, setFollowed] = useState<Job>();
  const [follow, setFollow] = useState<FollowState>();
  const [note, setNote] = useState<string>();
  const [focusKey, setFocusKey] = useState<string>();

  const [baseline, setBaseline] = useState<BaselineView>();
  const [baselineTiles, setBaselineTiles] = useState<TileCounts>(NO_TILES);
  const [result, setResult] = useState<ResultView>({});
  const [overlayJson, setOverlayJson] = useState<{ cls?: TileJson; conf?: TileJson }>({});
  const [overlayTiles, setOverlayTiles] = useState<TileCounts>(NO_TILES);
  const [opacity, setOpacity] = useState(0.85);
  const [showConfidence, setShowConfidence] = useState(false);
  const [legendOpen] = useState(() => !isSmallScreen());
  // A scored upload shown on the map (when no completed job is).
  const [uploaded, setUploaded] = useState<UploadStatus>();
  const [uploadTileJson, setUploadTileJson] = useState<{ layer: string; tj?: TileJson }>();

  const lon = lonText.trim() === "" ? NaN : Number(lonText);
  const lat = latText.trim() === "" ? NaN : Number(latText);
  const radius = radiusText.trim() === "" ? NaN : Number(radiusText);
  const hasCentre = Number.isFinite(lon) && Number.isFinite(lat);
  const request: JobRequest | undefined = hasCentre && Number.isFinite(radius) ? { lon, lat, radius_m: radius, year } : undefined;
  const centre = useMemo(() => (hasCentre ? { lon, lat } : undefined), [hasCentre, lon, lat]);
  const inside = request ? insideCoverage(request.lon, request.lat, request.radius_m) : true;

  // --- recent jobs -------------------------------------------------------------------------------
  const refreshRecent = useCallback(async () => {
    try {
      setRecent(await api.recentJobs(20));
      setRecentError(undefined);
    } catch (e) {
      setRecentError(errorMessage(e));
    }
  }, [api]);

  useEffect(() => {
    api.recentJobs(20).then(
      (jobs) => setRecent(jobs),
      (e) => setRecentError(errorMessage(e)),
    );
  }, [api]);

  // --- opening a job -----------------------------------------------------------------------------
  const openJob = useCallback((j: Job, why?: string) => {
    setJob(j);
    setFollowed(j);
    setFollow(undefined);
    setNote(why);
    setResult({});
    setOverlayJson({});
    setOverlayTiles(NO_TILES);
    setShowConfidence(false);
    setLonText(String(j.aoi.lon));
    setLatText(String(j.aoi.lat));
    setRadiusText(String(j.aoi.radius_m));
    setYear(j.year);
    setFocusKey(`${j.id}:${Date.now()}`);
    setJobInUrl(j.id);
    setRecent((r) => upsertRecent(r, j));
  }, []);

  useEffect(() => {
    const id = jobIdFromUrl();
    if (!id) return;
    api.job(id).then(
      (j) => openJob(j),
      (e) => {
        setJobInUrl(undefined);
        setError(e instanceof ApiError && e.status === 404 ? { headline: `There is no job ${id} on this server.`, lines: [] } : errorMessage(e));
      },
    );
  }, [api, openJob]);

  // Follow the open job until it ends (SSE, polling as the fallback).
  useEffect(() => {
    if (!followed) return;
    const follower = new JobFollower(api, followed, (s) => {
      setFollow(s);
      setJob((current) => (current && current.id === s.job.id ? s.job : current));
      setRecent((r) => upsertRecent(r, s.job));
    });
    return () => follower.stop();
  }, [api, followed]);

  // Once completed: the crop and confidence layers, their legends and the area summary.
  const completedId = job?.state === "completed" ? job.id : undefined;
  useEffect(() => {
    if (!completedId) return;
    let live = true;
    const cls = `job-${completedId}-class`;
    const conf = `job-${completedId}-confidence`;
    Promise.all([api.tileJson(cls), api.tileJson(conf)]).then(
      ([c, k]) => {
        if (!live) return;
        setOverlayJson({ cls: c, conf: k });
        if (!c) setResult((r) => ({ ...r, overlayError: { headline: "The crop map's tiles are not available on this server.", lines: [] } }));
      },
      (e) => live && setResult((r) => ({ ...r, overlayError: errorMessage(e) })),
    );
    api.legend(cls).then((l) => live && setResult((r) => ({ ...r, classLegend: l })), () => undefined);
    api.legend(conf).then((l) => live && setResult((r) => ({ ...r, confidenceLegend: l })), () => undefined);
    api.summary(completedId).then(
      (s) => live && setResult((r) => ({ ...r, summary: s, summaryError: undefined })),
      (e) => live && setResult((r) => ({ ...r, summaryError: errorMessage(e) })),
    );
    return () => {
      live = false;
    };
  }, [api, completedId]);

  // --- the Dynamic World baseline: at once for the year, prepared around the AOI when one is picked -------
  // Only an AOI the server would accept (radius within the job limits) is worth preparing a baseline for.
  const baselineReq = request && inside && request.radius_m >= 100 && request.radius_m <= 10_000 ? request : undefined;
  const bLon = baselineReq?.lon;
  const bLat = baselineReq?.lat;
  const bRadius = baselineReq?.radius_m;
  useEffect(() => {
    let live = true;
    const req = bLon != null && bLat != null && bRadius != null ? { lon: bLon, lat: bLat, radius_m: bRadius, year } : undefined;
    const layer = `dw-${year}`;
    const timer = setTimeout(async () => {
      setBaseline((b) => (b?.year === year ? { ...b, status: "loading" } : { year, status: "loading", version: 0 }));
      try {
        let generated = false;
        let newCells = 0;
        if (req) {
          const answer = await api.ensureBaseline(req);
          generated = answer.supported && answer.generated;
          newCells = answer.supported ? answer.newCells : 0;
        }
        const tj = await api.tileJson(layer);
        if (!live) return;
        if (!tj) {
          setBaseline({ year, status: "missing", version: 0, message: `No Dynamic World baseline for ${year} on this server yet.` });
          return;
        }
        const legend = await api.legend(layer).catch(() => undefined);
        if (live) {
          setBaseline((b) => ({
            year,
            status: "ready",
            tileJson: tj,
            legend,
            simulated: generated || config.imagery_source === "simulated",
            version: (b?.year === year ? b.version : 0) + (newCells > 0 ? 1 : 0),
            aoi: req ? `${req.lat},${req.lon},${req.radius_m}` : undefined,
          }));
        }
      } catch (e) {
        const m = errorMessage(e);
        if (live) setBaseline({ year, status: "error", version: 0, message: `Baseline unavailable: ${[m.headline, ...m.lines].join(" ")}` });
      }
    }, req ? 250 : 0);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, config.imagery_source, year, bLon, bLat, bRadius]);

  const baselineSpec: RasterLayerSpec | undefined = useMemo(() => {
    const tj = baseline?.tileJson;
    if (!tj) return undefined;
    // The baseline may grow as AOIs are picked (embedded mode): its bounds version the tile URLs.
    const v = `${tj.bounds.map((b) => b.toFixed(5)).join(",")}:${baseline.version}`;
    return {
      key: `dw-${baseline.year}:${v}`,
      template: `${api.tileTemplate(`dw-${baseline.year}`)}?v=${encodeURIComponent(v)}`,
      bounds: tj.bounds,
      maxZoom: tj.maxzoom,
      opacity: 1,
    };
  }, [api, baseline]);

  // A scored upload: its crop layer on the map, the view fitted to it.
  const uploadLayer = uploaded?.layers?.class;
  useEffect(() => {
    if (!uploadLayer) return undefined;
    let live = true;
    api.tileJson(uploadLayer).then((tj) => live && setUploadTileJson({ layer: uploadLayer, tj }), () => undefined);
    return () => {
      live = false;
    };
  }, [api, uploadLayer]);
  const uploadJson = uploadTileJson?.layer === uploadLayer ? uploadTileJson?.tj : undefined;

  const overlaySpec: RasterLayerSpec | undefined = useMemo(() => {
    if (!completedId) {
      if (!uploadLayer || !uploadJson) return undefined;
      return { key: uploadLayer, template: api.tileTemplate(uploadLayer), bounds: uploadJson.bounds, maxZoom: uploadJson.maxzoom, opacity };
    }
    const tj = showConfidence ? overlayJson.conf : overlayJson.cls;
    if (!tj) return undefined;
    const layer = `job-${completedId}-${showConfidence ? "confidence" : "class"}`;
    return { key: layer, template: api.tileTemplate(layer), bounds: tj.bounds, maxZoom: tj.maxzoom, opacity };
  }, [api, completedId, overlayJson, showConfidence, opacity, uploadLayer, uploadJson]);

  const fitBounds = useMemo(
    () => (uploadLayer && uploadJson && !completedId ? { key: uploadLayer, bounds: uploadJson.bounds } : undefined),
    [uploadLayer, uploadJson, completedId],
  );

  function showUpload(status: UploadStatus | undefined) {
    setUploaded(status);
    // The map shows one result at a time: a scored upload takes the place of an open job.
    if (status && job) closeJob();
  }

  // --- rate-limit countdown -------------------------------------------------------------------------
  const waitSeconds = Math.max(0, Math.ceil((blockedUntil - clock) / 1000));
  useEffect(() => {
    if (blockedUntil <= Date.now()) return;
    const t = setInterval(() => setClock(Date.now()), 1000);
    return () => clearInterval(t);
  }, [blockedUntil]);

  // --- picking and submitting -----------------------------------------------------------------------
  const onPick = useCallback((pLon: number, pLat: number) => {
    setLonText(String(pLon));
    setLatText(String(pLat));
    setError(undefined);
  }, []);

  const existing = request ? findExisting(recent, request) : undefined;
  const covering = request && !existing ? findCovering(recent, request) : undefined;

  async function submit() {
    setError(undefined);
    if (!hasCentre) {
      setError({ headline: "Click the map (or type a latitude and longitude) to set the centre of the area first.", lines: [] });
      return;
    }
    const req: JobRequest = { lon, lat, radius_m: radius, year };
    const known = findExisting(recent, req);
    if (known) {
      openJob(known, "This area and season were mapped before: showing that job.");
      return;
    }
    setSubmitting(true);
    try {
      const { job: j, created } = await api.submitJob(req);
      openJob(j, created ? undefined : "This area and season were mapped before: showing that job.");
    } catch (e) {
      const msg = errorMessage(e);
      setError(msg);
      if (e instanceof ApiError && (e.status === 429 || (e.status === 503 && e.retryAfterSeconds != null))) {
        setBlockedUntil(Date.now() + 1000 * (e.retryAfterSeconds ?? 10));
        setClock(Date.now());
      }
    } finally {
      setSubmitting(false);
    }
  }

  /** Typed coordinates: move the map to them once both are there. */
  function showTyped() {
    if (hasCentre) setFocusKey(`typed:${lat}:${lon}`);
  }

  function closeJob() {
    setJob(undefined);
    setFollowed(undefined);
    setFollow(undefined);
    setNote(undefined);
    setResult({});
    setOverlayJson({});
    setJobInUrl(undefined);
    void refreshRecent();
  }

  const baselineStatus = (() => {
    if (!baseline) return "";
    switch (baseline.status) {
      case "loading":
        return `Preparing the Dynamic World ${baseline.year} baseline…`;
      case "ready":
        return `Dynamic World ${baseline.year}: ${baselineTiles.loaded} tiles loaded`;
      default:
        return baseline.message ?? "";
    }
  })();

  return (
    <div className="layout">
      <aside className="panel">
        <form
          className="aoi"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <h2>Map the crops of an area</h2>
          <p className="muted small">Click the map to set the centre, choose a radius and a season, then submit.</p>
          <div className="row">
            <label>
              Latitude
              <input inputMode="decimal" value={latText} onChange={(e) => setLatText(e.target.value)} onBlur={showTyped} placeholder="-17.83" data-testid="lat" />
            </label>
            <label>
              Longitude
              <input inputMode="decimal" value={lonText} onChange={(e) => setLonText(e.target.value)} onBlur={showTyped} placeholder="31.05" data-testid="lon" />
            </label>
          </div>
          <label>
            Radius: <strong>{Number.isFinite(radius) ? `${radius.toLocaleString("en-GB")} m` : "?"}</strong>
            {Number.isFinite(radius) && radius > 0 && <span className="muted small"> (≈ {formatHectares(circleHectares(radius))})</span>}
            <div className="row">
              <input
                type="range"
                min={100}
                max={10000}
                step={100}
                value={Number.isFinite(radius) ? Math.min(10000, Math.max(100, radius)) : 2000}
                onChange={(e) => setRadiusText(e.target.value)}
                aria-label="Radius in metres"
                data-testid="radius-slider"
              />
              <input className="short" inputMode="numeric" value={radiusText} onChange={(e) => setRadiusText(e.target.value)} aria-label="Radius in metres (typed)" data-testid="radius" />
            </div>
          </label>
          <label>
            Season
            <select value={year} onChange={(e) => setYear(Number(e.target.value))} data-testid="year">
              {years.map((y) => (
                <option key={y} value={y}>
                  {y} (growing season {seasonLabel(y)})
                </option>
              ))}
            </select>
          </label>
          <p className="muted small" data-testid="season-window">
            Imagery window: {seasonLabel(year)} (1 September to 31 May)
          </p>
          {request && !inside && (
            <p className="warning" data-testid="coverage-hint">
              This circle reaches outside Zimbabwe's coverage (25.2–33.1° E, 15.6–22.5° S); the server will refuse it.
            </p>
          )}
          {existing && existing.id !== job?.id && (
            <p className="note">
              Already mapped: <button type="button" className="link" onClick={() => openJob(existing, "Opened the existing job for this area and season.")}>open job {existing.id.slice(0, 8)}</button>
            </p>
          )}
          {covering && (
            <p className="note">
              A finished map of this season already covers this area:{" "}
              <button type="button" className="link" onClick={() => openJob(covering, "This finished job covers the area you picked.")}>open job {covering.id.slice(0, 8)}</button>
            </p>
          )}
          <button type="submit" className="primary" disabled={submitting || waitSeconds > 0} data-testid="submit">
            {submitting ? "Submitting…" : waitSeconds > 0 ? `Wait ${formatWait(waitSeconds)}` : "Map crops in this area"}
          </button>
          {error && <ErrorBox error={waitSeconds > 0 && error.retryAfterSeconds != null ? { ...error, headline: waitHeadline(error.waitReason, waitSeconds) } : error} onDismiss={() => setError(undefined)} />}
        </form>

        {job && (
          <>
            <JobPanel
              api={api}
              job={job}
              follow={follow}
              note={note}
              result={result}
              opacity={opacity}
              onOpacity={setOpacity}
              showConfidence={showConfidence}
              onShowConfidence={setShowConfidence}
              overlayTiles={overlayTiles}
            />
            <button type="button" className="link" onClick={closeJob}>
              Close this job
            </button>
          </>
        )}

        <UploadPanel api={api} onResult={showUpload} />

        <section>
          <h2>Recent jobs</h2>
          {recentError && <ErrorBox error={recentError} />}
          <RecentJobs jobs={recent} currentId={job?.id} onOpen={(j) => openJob(j)} now={now} />
        </section>
      </aside>

      <div className="map-wrap">
        <MapView
          centre={centre}
          radiusM={Number.isFinite(radius) ? radius : 0}
          baseline={baselineSpec}
          overlay={overlaySpec}
          osmBasemap={osm}
          focusKey={focusKey}
          fitBounds={fitBounds}
          onPick={onPick}
          onBaselineTiles={setBaselineTiles}
          onOverlayTiles={setOverlayTiles}
        />
        <div className="map-status" data-testid="baseline-status" data-baseline-loaded={baselineTiles.loaded} data-state={baseline?.status} data-aoi={baseline?.aoi}>
          {baselineStatus}
        </div>
        <div className="map-legends">
          {baseline?.legend && (
            <details open={legendOpen} data-testid="baseline-legend-box">
              <summary>Dynamic World {baseline.year}</summary>
              <LegendList title={baseline.legend.title} type={baseline.legend.type} entries={baseline.legend.entries} testId="baseline-legend" />
              {baseline.simulated ? (
                <p className="honest small" data-testid="baseline-simulated">
                  Simulated: a Dynamic World-style land cover generated offline by this demo server, not Dynamic World's data.
                </p>
              ) : (
                baseline.tileJson?.attribution && <p className="muted small">{baseline.tileJson.attribution}</p>
              )}
            </details>
          )}
          <label className="check small">
            <input type="checkbox" checked={osm} onChange={(e) => setOsm(e.target.checked)} />
            OpenStreetMap basemap (needs internet)
          </label>
        </div>
      </div>
    </div>
  );
}
