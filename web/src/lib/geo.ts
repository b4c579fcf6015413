/** Small spherical-earth helpers for the AOI circle (metres on the WGS84 mean radius, as the server's checks). */

export const EARTH_RADIUS_M = 6_371_008.8;

const RAD = Math.PI / 180;

/** Great-circle distance in metres. */
export function distanceM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** The point `distance` metres from (lon, lat) on the initial bearing `bearingDeg`. */
export function destination(lon: number, lat: number, bearingDeg: number, distance: number): [number, number] {
  const d = distance / EARTH_RADIUS_M;
  const b = bearingDeg * RAD;
  const phi1 = lat * RAD;
  const lambda1 = lon * RAD;
  const phi2 = Math.asin(Math.sin(phi1) * Math.cos(d) + Math.cos(phi1) * Math.sin(d) * Math.cos(b));
  const lambda2 = lambda1 + Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(phi1), Math.cos(d) - Math.sin(phi1) * Math.sin(phi2));
  return [lambda2 / RAD, phi2 / RAD];
}

/** A closed ring of `segments` points around the circle, in lon/lat, for drawing the AOI. */
export function circleRing(lon: number, lat: number, radiusM: number, segments = 96): [number, number][] {
  const ring: [number, number][] = [];
  for (let i = 0; i < segments; i++) {
    ring.push(destination(lon, lat, (360 * i) / segments, radiusM));
  }
  ring.push(ring[0]);
  return ring;
}

/** Bounding box [minLon, minLat, maxLon, maxLat] of the AOI circle. */
export function circleBounds(lon: number, lat: number, radiusM: number): [number, number, number, number] {
  const ring = circleRing(lon, lat, radiusM, 72);
  const lons = ring.map((p) => p[0]);
  const lats = ring.map((p) => p[1]);
  return [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)];
}

/** Rounds a clicked coordinate to 5 decimals (about 1 m): repeatable, and what people can type back. */
export function roundCoord(v: number): number {
  return Math.round(v * 1e5) / 1e5;
}

/** Zimbabwe's coverage box (the server's `geocrop.aoi.coverage`): minLon, minLat, maxLon, maxLat. */
export const COVERAGE: readonly [number, number, number, number] = [25.2, -22.5, 33.1, -15.6];

/** True when the whole AOI circle lies inside the coverage box: a hint only, the server decides. */
export function insideCoverage(lon: number, lat: number, radiusM: number): boolean {
  const [w, s, e, n] = circleBounds(lon, lat, radiusM);
  return w >= COVERAGE[0] && s >= COVERAGE[1] && e <= COVERAGE[2] && n <= COVERAGE[3];
}
