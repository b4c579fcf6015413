import type { JobCost } from "../api/types";
import { costPerKm2Text, costRows } from "../lib/cost";

/** What the job cost to make, per stage: CPU time, imagery read from the catalogue, bytes written. */
export function CostTable({ cost }: { cost: JobCost }) {
  const perKm2 = costPerKm2Text(cost);
  return (
    <details className="cost" data-testid="job-cost">
      <summary>What this map cost to make</summary>
      <table className="small">
        <thead>
          <tr>
            <th>Stage</th>
            <th></th>
            <th>CPU</th>
            <th>Imagery read</th>
            <th>Written</th>
          </tr>
        </thead>
        <tbody>
          {costRows(cost).map((r) => (
            <tr key={r.stage}>
              <td>{r.stage}</td>
              <td>{r.units}</td>
              <td>{r.cpu}</td>
              <td>{r.read}</td>
              <td>{r.written}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {perKm2 && <p className="muted small" data-testid="cost-per-km2">{perKm2}</p>}
    </details>
  );
}
