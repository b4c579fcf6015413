import { formatHectares, formatPercent, type AreaRow } from "../lib/areas";

/** The per-class areas in hectares, as a table and as a bar chart drawn in SVG. */
export function AreaTable({ rows, totalHectares }: { rows: AreaRow[]; totalHectares: number }) {
  if (rows.length === 0) {
    return <p className="muted">No classified pixels in this area.</p>;
  }
  const max = Math.max(...rows.map((r) => r.hectares));
  const barH = 16;
  const gap = 6;
  const labelW = 130;
  const width = 320;
  const chartH = rows.length * (barH + gap);
  return (
    <div className="areas">
      <table data-testid="area-table">
        <caption>Area by class</caption>
        <thead>
          <tr>
            <th scope="col">Class</th>
            <th scope="col" className="num">Hectares</th>
            <th scope="col" className="num">Share</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.code}>
              <td>
                <span className="swatch" style={{ background: r.color }} />
                {r.label}
              </td>
              <td className="num">{formatHectares(r.hectares)}</td>
              <td className="num">{formatPercent(r.percent)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            <td className="num">{formatHectares(totalHectares)}</td>
            <td />
          </tr>
        </tfoot>
      </table>
      <svg className="chart" viewBox={`0 0 ${width} ${chartH}`} role="img" aria-label="Bar chart of area by class in hectares" data-testid="area-chart">
        {rows.map((r, i) => {
          const y = i * (barH + gap);
          const w = max > 0 ? ((width - labelW - 70) * r.hectares) / max : 0;
          return (
            <g key={r.code}>
              <text x={labelW - 6} y={y + barH - 4} textAnchor="end" fontSize="11">
                {r.label}
              </text>
              <rect x={labelW} y={y} width={Math.max(1, w)} height={barH} fill={r.color} stroke="#555" strokeWidth="0.5" />
              <text x={labelW + w + 4} y={y + barH - 4} fontSize="11">
                {formatHectares(r.hectares)}
              </text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}
