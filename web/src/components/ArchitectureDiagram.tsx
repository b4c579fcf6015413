/**
 * GeoCrop's architecture as SVG: the four functions, the events between them (Knative Broker and Triggers;
 * in-process in embedded mode) and the storage they share. `status` colours each function by its live health.
 */
import type { FunctionName } from "../lib/health";

const W = 890;
const H = 500;

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

// Four columns: the browser, the HTTP side, the event-driven functions, the object buckets.
const boxes: Record<string, Box> = {
  browser: { x: 20, y: 20, w: 160, h: 54 },
  "tile-render": { x: 20, y: 400, w: 160, h: 54 },
  "submit-job": { x: 230, y: 20, w: 180, h: 54 },
  postgres: { x: 230, y: 210, w: 180, h: 54 },
  results: { x: 230, y: 400, w: 180, h: 54 },
  stream: { x: 460, y: 20, w: 230, h: 54 },
  broker: { x: 460, y: 115, w: 230, h: 54 },
  "extract-features": { x: 460, y: 210, w: 230, h: 54 },
  "score-tile": { x: 460, y: 400, w: 230, h: 54 },
  features: { x: 720, y: 305, w: 160, h: 54 },
};

const STATUS_COLOURS: Record<string, string> = { up: "#2e7d32", down: "#c62828", unknown: "#9e9e9e", internal: "#1565c0" };

function right(b: Box): [number, number] {
  return [b.x + b.w, b.y + b.h / 2];
}
function left(b: Box): [number, number] {
  return [b.x, b.y + b.h / 2];
}
function top(b: Box): [number, number] {
  return [b.x + b.w / 2, b.y];
}
function bottom(b: Box): [number, number] {
  return [b.x + b.w / 2, b.y + b.h];
}

function Arrow({ from, to, label, dashed, labelAt }: { from: [number, number]; to: [number, number]; label: string; dashed?: boolean; labelAt?: [number, number] }) {
  const [x1, y1] = from;
  const [x2, y2] = to;
  const [lx, ly] = labelAt ?? [(x1 + x2) / 2, (y1 + y2) / 2 - 6];
  return (
    <g>
      <line x1={x1} y1={y1} x2={x2} y2={y2} stroke="#555" strokeWidth="1.5" markerEnd="url(#arrow)" strokeDasharray={dashed ? "5 4" : undefined} />
      <text x={lx} y={ly} fontSize="11" textAnchor="middle" fill="#333" className="arrow-label">
        {label}
      </text>
    </g>
  );
}

function Node({ id, title, sub, kind, status }: { id: string; title: string; sub: string; kind: "fn" | "store" | "event" | "client"; status?: string }) {
  const b = boxes[id];
  const fill = kind === "fn" ? "#fff8e1" : kind === "store" ? "#e3f2fd" : kind === "event" ? "#f3e5f5" : "#e8f5e9";
  return (
    <g data-node={id}>
      <rect x={b.x} y={b.y} width={b.w} height={b.h} rx={kind === "store" ? 14 : 6} fill={fill} stroke="#555" />
      <text x={b.x + 10} y={b.y + 22} fontSize="13" fontWeight="600">
        {title}
      </text>
      <text x={b.x + 10} y={b.y + 40} fontSize="11" fill="#444">
        {sub}
      </text>
      {status && (
        <circle cx={b.x + b.w - 14} cy={b.y + 14} r={6} fill={STATUS_COLOURS[status] ?? STATUS_COLOURS.unknown}>
          <title>{status}</title>
        </circle>
      )}
    </g>
  );
}

export function ArchitectureDiagram({ status }: { status: Partial<Record<FunctionName, string>> }) {
  return (
    <svg viewBox={`0 0 ${W} ${H}`} className="architecture" role="img" aria-labelledby="arch-title" data-testid="architecture">
      <title id="arch-title">GeoCrop architecture: four functions connected by events, sharing a job database and object storage</title>
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M 0 0 L 10 5 L 0 10 z" fill="#555" />
        </marker>
      </defs>
      <Node id="browser" title="This web app" sub="React + OpenLayers" kind="client" />
      <Node id="submit-job" title="submit-job" sub="POST /jobs · SSE progress" kind="fn" status={status["submit-job"]} />
      <Node id="stream" title="Redis stream geocrop:jobs" sub="read by RedisStreamSource" kind="event" />
      <Node id="broker" title="Knative Broker" sub="Triggers filter by event type" kind="event" />
      <Node id="extract-features" title="extract-features" sub="STAC search · 51 features / pixel" kind="fn" status={status["extract-features"]} />
      <Node id="score-tile" title="score-tile" sub="ONNX Runtime · assembles the COG" kind="fn" status={status["score-tile"]} />
      <Node id="postgres" title="Job store" sub="PostgreSQL + PostGIS (H2)" kind="store" />
      <Node id="features" title="geocrop-features" sub="feature GeoTIFFs" kind="store" />
      <Node id="results" title="geocrop-results" sub="crop-map COGs" kind="store" />
      <Node id="tile-render" title="tile-render" sub="XYZ PNG tiles · legend" kind="fn" status={status["tile-render"]} />

      <Arrow from={[180, 40]} to={[230, 40]} label="POST" labelAt={[205, 34]} />
      <Arrow from={[230, 60]} to={[180, 60]} label="SSE" dashed labelAt={[205, 88]} />
      <Arrow from={right(boxes["submit-job"])} to={left(boxes.stream)} label="XADD" labelAt={[435, 41]} />
      <Arrow from={bottom(boxes.stream)} to={top(boxes.broker)} label="job.submitted" labelAt={[620, 100]} />
      <Arrow from={bottom(boxes.broker)} to={top(boxes["extract-features"])} label="job.submitted, tile.requested" labelAt={[655, 195]} />
      <Arrow from={bottom(boxes["submit-job"])} to={top(boxes.postgres)} label="record job" labelAt={[355, 145]} />
      <Arrow from={left(boxes["extract-features"])} to={right(boxes.postgres)} label="progress" labelAt={[435, 230]} />
      <Arrow from={[480, 400]} to={[395, 264]} label="progress, completed" labelAt={[370, 330]} />
      <Arrow from={[690, 250]} to={[760, 305]} label="writes" labelAt={[748, 268]} />
      <Arrow from={[760, 359]} to={[690, 410]} label="object created" dashed labelAt={[790, 395]} />
      <Arrow from={left(boxes["score-tile"])} to={right(boxes.results)} label="result COG" labelAt={[435, 418]} />
      <Arrow from={left(boxes.results)} to={right(boxes["tile-render"])} label="reads" labelAt={[205, 418]} />
      <Arrow from={top(boxes["tile-render"])} to={bottom(boxes.browser)} label="PNG tiles" labelAt={[135, 240]} />
      <text x={20} y={H - 26} fontSize="11" fill="#666">
        Embedded mode: one JVM hosts all four functions; the same Trigger filters route the events in-process,
      </text>
      <text x={20} y={H - 12} fontSize="11" fill="#666">
        and H2 and the local filesystem stand in for PostgreSQL and MinIO. Dashed: notifications and streams.
      </text>
    </svg>
  );
}
