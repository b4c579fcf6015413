import { useEffect, useRef, useState } from "react";
import OlMap from "ol/Map";
import View from "ol/View";
import Feature from "ol/Feature";
import Polygon from "ol/geom/Polygon";
import Point from "ol/geom/Point";
import TileLayer from "ol/layer/Tile";
import VectorLayer from "ol/layer/Vector";
import VectorSource from "ol/source/Vector";
import XYZ from "ol/source/XYZ";
import OSM from "ol/source/OSM";
import { fromLonLat, toLonLat, transformExtent } from "ol/proj";
import { Circle as CircleStyle, Fill, Stroke, Style } from "ol/style";
import { defaults as defaultControls, ScaleLine } from "ol/control";
import type { Extent } from "ol/extent";
import "ol/ol.css";
import { circleRing, roundCoord } from "../lib/geo";
import { ZIMBABWE_OUTLINE } from "./zimbabwe";

/** A raster layer of tile-render: its tile URL template and where it has data. */
export interface RasterLayerSpec {
  /** Changes whenever the layer's content may have changed (forces a reload). */
  key: string;
  template: string;
  /** [west, south, east, north] in WGS84, from the layer's TileJSON. */
  bounds?: [number, number, number, number];
  maxZoom?: number;
  opacity: number;
}

export interface TileCounts {
  loaded: number;
  failed: number;
}

interface Props {
  centre?: { lon: number; lat: number };
  radiusM: number;
  baseline?: RasterLayerSpec;
  overlay?: RasterLayerSpec;
  osmBasemap: boolean;
  /** When this changes, the view zooms to the AOI. */
  focusKey?: string;
  /** When the key changes, the view fits these lon/lat bounds (west, south, east, north). */
  fitBounds?: { key: string; bounds: number[] };
  onPick: (lon: number, lat: number) => void;
  onBaselineTiles: (counts: TileCounts) => void;
  onOverlayTiles: (counts: TileCounts) => void;
}

const ZIMBABWE_EXTENT_LONLAT: Extent = [25.0, -22.6, 33.3, -15.4];

const outlineStyle = new Style({
  fill: new Fill({ color: "rgba(240, 236, 222, 0.9)" }),
  stroke: new Stroke({ color: "#6b6450", width: 1.5 }),
});
const aoiStyle = [
  new Style({ stroke: new Stroke({ color: "rgba(255,255,255,0.9)", width: 4 }) }),
  new Style({ stroke: new Stroke({ color: "#c2185b", width: 2, lineDash: [6, 4] }), fill: new Fill({ color: "rgba(194,24,91,0.06)" }) }),
];
const centreStyle = new Style({
  image: new CircleStyle({ radius: 5, fill: new Fill({ color: "#c2185b" }), stroke: new Stroke({ color: "#fff", width: 2 }) }),
});

/**
 * The OpenLayers map (canvas rendering, no WebGL): the bundled outline of Zimbabwe, the optional online
 * basemap, the Dynamic World baseline, the job's crop or confidence layer, and the AOI circle. Clicking sets
 * the AOI centre.
 */
export function MapView(props: Props) {
  const target = useRef<HTMLDivElement>(null);
  const map = useRef<OlMap | null>(null);
  const [layers, setLayers] = useState<{
    osm: TileLayer<OSM>;
    baseline: TileLayer<XYZ>;
    overlay: TileLayer<XYZ>;
    aoi: VectorSource;
  } | null>(null);
  const callbacks = useRef(props);
  useEffect(() => {
    callbacks.current = props;
  });

  useEffect(() => {
    if (!target.current) return;
    const outline = new VectorSource({
      features: [new Feature(new Polygon([ZIMBABWE_OUTLINE.map(([lon, lat]) => fromLonLat([lon, lat]))]))],
    });
    const osm = new TileLayer({ source: new OSM(), visible: false, properties: { name: "osm" } });
    const baseline = new TileLayer<XYZ>({ visible: false, properties: { name: "baseline" } });
    const overlay = new TileLayer<XYZ>({ visible: false, properties: { name: "overlay" } });
    const aoi = new VectorSource();
    const m = new OlMap({
      target: target.current,
      layers: [
        new VectorLayer({ source: outline, style: outlineStyle }),
        osm,
        baseline,
        overlay,
        new VectorLayer({ source: aoi, style: (f) => (f.getGeometry() instanceof Point ? centreStyle : aoiStyle) }),
      ],
      view: new View({ center: fromLonLat([29.15, -19.0]), zoom: 6, minZoom: 5, maxZoom: 18 }),
      controls: defaultControls({ attribution: true, rotate: false }).extend([new ScaleLine()]),
    });
    m.getView().fit(transformExtent(ZIMBABWE_EXTENT_LONLAT, "EPSG:4326", "EPSG:3857"), { padding: [20, 20, 20, 20] });
    m.on("singleclick", (e) => {
      const [lon, lat] = toLonLat(e.coordinate);
      const pick = { lon: roundCoord(lon), lat: roundCoord(lat) };
      callbacks.current.onPick(pick.lon, pick.lat);
      // From the country view a circle of a few km is a dot: bring it close enough to see the baseline.
      if ((m.getView().getZoom() ?? 0) < 10) {
        const r = Math.max(callbacks.current.radiusM, 500) * 2.5;
        const ring = circleRing(pick.lon, pick.lat, r, 36).map((p) => fromLonLat(p));
        m.getView().fit(new Polygon([ring]), { duration: 300, maxZoom: 15 });
      }
    });
    map.current = m;
    setLayers({ osm, baseline, overlay, aoi });
    return () => {
      m.setTarget(undefined);
      map.current = null;
      setLayers(null);
    };
  }, []);

  const osmBasemap = props.osmBasemap;
  useEffect(() => {
    layers?.osm.setVisible(osmBasemap);
  }, [layers, osmBasemap]);

  useRasterLayer(layers?.baseline, props.baseline, (c) => callbacks.current.onBaselineTiles(c));
  useRasterLayer(layers?.overlay, props.overlay, (c) => callbacks.current.onOverlayTiles(c));

  const { centre, radiusM } = props;
  useEffect(() => {
    const source = layers?.aoi;
    if (!source) return;
    source.clear();
    if (centre) {
      const ring = circleRing(centre.lon, centre.lat, radiusM).map((p) => fromLonLat(p));
      source.addFeatures([new Feature(new Polygon([ring])), new Feature(new Point(fromLonLat([centre.lon, centre.lat])))]);
    }
  }, [layers, centre, radiusM]);

  const focusKey = props.focusKey;
  useEffect(() => {
    const m = map.current;
    const c = callbacks.current.centre;
    if (!m || !focusKey || !c) return;
    const ring = circleRing(c.lon, c.lat, callbacks.current.radiusM * 1.6, 36).map((p) => fromLonLat(p));
    m.getView().fit(new Polygon([ring]), { duration: 400, maxZoom: 16 });
  }, [focusKey]);

  const fit = props.fitBounds;
  const fitKey = fit?.key;
  useEffect(() => {
    const m = map.current;
    if (!m || !fitKey || !fit || fit.bounds.length !== 4) return;
    const extent = transformExtent(fit.bounds as Extent, "EPSG:4326", "EPSG:3857");
    m.getView().fit(extent, { duration: 400, padding: [30, 30, 30, 30], maxZoom: 16 });
    // Only a new key moves the view: the bounds of one layer do not change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fitKey]);

  return <div ref={target} className="map" data-testid="map" aria-label="Map of Zimbabwe: click to set the centre of the area" />;
}

/** Keeps one tile layer in step with its spec and counts its tile loads for the status line (and the e2e). */
function useRasterLayer(layer: TileLayer<XYZ> | undefined, spec: RasterLayerSpec | undefined, report: (c: TileCounts) => void) {
  const key = spec?.key;
  const template = spec?.template;
  const bounds = spec?.bounds?.join(",");
  const maxZoom = spec?.maxZoom;
  useEffect(() => {
    if (!layer) return;
    if (!template) {
      layer.setVisible(false);
      layer.setSource(null);
      return;
    }
    const counts: TileCounts = { loaded: 0, failed: 0 };
    const source = new XYZ({ url: template, maxZoom: maxZoom ?? 18, transition: 150, crossOrigin: "anonymous" });
    source.on("tileloadend", () => {
      counts.loaded++;
      report({ ...counts });
    });
    source.on("tileloaderror", () => {
      counts.failed++;
      report({ ...counts });
    });
    report({ ...counts });
    layer.setSource(source);
    layer.setExtent(bounds ? transformExtent(bounds.split(",").map(Number), "EPSG:4326", "EPSG:3857") : undefined);
    layer.setVisible(true);
    // `report` is a stable wrapper around the latest callback.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [layer, key, template, bounds, maxZoom]);

  const opacity = spec?.opacity ?? 1;
  useEffect(() => {
    layer?.setOpacity(opacity);
  }, [layer, opacity]);
}
