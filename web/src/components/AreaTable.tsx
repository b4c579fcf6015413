import { ADJUSTED_ASSUMPTION, formatHectares, formatInterval, formatPercent, type AreaRow } from "../lib/areas";

/**
 * The per-class areas in hectares, as a table and as a bar chart drawn in SVG. When the summary has error-adjusted
 * areas, each row also shows them with their 95 % interval, the chart draws the interval as a whisker on a marker,
 * and a note says what the adjusted figures assume.
 */
export function AreaTable({ rows, totalHectares }: { rows: AreaRow[]; totalHectares: number }) {
  if (rows.length === 0) {
    return <p className="muted">No classified pixels in this area.</p>;
  }
  const adjusted = rows.some((r) => r.adjusted);
  const max = Math.max(...rows.map((r) => Math.max(r.hectares, r.adjusted ? r.adjusted.hectares + r.adjusted.ci95 : 0)));
  const barH = 16;
  const gap = 6;
  const labelW = 130;
  const width = 320;
  const chartH = rows.length * (barH + gap);
  const scale = (ha: number) => (max > 0 ? ((width - labelW - 70) * ha) / max : 0);
  return (
    <div className="areas">
      <table data-testid="area-table">
        <caption>Area by class</caption>
        <thead>
          <tr>
            <th scope="col">Class</th>
            <th scope="col" className="num">{adjusted ? "Mapped" : "Hectares"}</th>
            <th scope="col" className="num">Share</th>
            {adjusted && (
              <th scope="col" className="num" title={`Error-adjusted estimate with a 95 % confidence interval; ${ADJUSTED_ASSUMPTION}`}>
                Adjusted (95 % CI)
              </th>
            )}
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
              {adjusted && (
                <td className="num" data-testid="adjusted">
                  {r.adjusted ? `${formatHectares(r.adjusted.hectares)} ${formatInterval(r.adjusted.ci95)}` : "–"}
                </td>
              )}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            <td className="num">{formatHectares(totalHectares)}</td>
            <td />
            {adjusted && <td />}
          </tr>
        </tfoot>
      </table>
      {adjusted && (
        <p className="muted" data-testid="adjusted-note">
          Adjusted: error-adjusted area with a 95 % confidence interval, from the model&apos;s held-out confusion matrix
          (Olofsson et al. 2014); {ADJUSTED_ASSUMPTION}.
        </p>
      )}
      <svg className="chart" viewBox={`0 0 ${width} ${chartH}`} role="img" aria-label={adjusted ? "Bar chart of mapped area by class in hectares, with error-adjusted estimates and 95 % intervals" : "Bar chart of area by class in hectares"} data-testid="area-chart">
        {rows.map((r, i) => {
          const y = i * (barH + gap);
          const w = scale(r.hectares);
          const a = r.adjusted;
          return (
            <g key={r.code}>
              <text x={labelW - 6} y={y + barH - 4} textAnchor="end" fontSize="11">
                {r.label}
              </text>
              <rect x={labelW} y={y} width={Math.max(1, w)} height={barH} fill={r.color} stroke="#555" strokeWidth="0.5" />
              {a && (
                <g data-testid="adjusted-whisker">
                  <line x1={labelW + scale(Math.max(0, a.hectares - a.ci95))} x2={labelW + scale(a.hectares + a.ci95)} y1={y + barH / 2} y2={y + barH / 2} stroke="#222" strokeWidth="1.5" />
                  <circle cx={labelW + scale(a.hectares)} cy={y + barH / 2} r="3" fill="#222" />
                </g>
              )}
              <text x={labelW + Math.max(w, a ? scale(a.hectares + a.ci95) : 0) + 4} y={y + barH - 4} fontSize="11">
                {formatHectares(r.hectares)}
              </text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}
