import type { LegendEntry } from "../api/types";

/** A categorical legend (swatch and name) or, for a ramp, a gradient bar with its end values. */
export function LegendList({ title, type, entries, testId }: { title: string; type: "categorical" | "ramp"; entries: LegendEntry[]; testId?: string }) {
  if (type === "ramp" && entries.length > 1) {
    const gradient = `linear-gradient(to right, ${entries.map((e) => e.color).join(", ")})`;
    return (
      <div className="legend" data-testid={testId}>
        <div className="legend-title">{title}</div>
        <div className="ramp" style={{ background: gradient }} />
        <div className="ramp-labels">
          <span>{entries[0].name}</span>
          <span>{entries[entries.length - 1].name}</span>
        </div>
      </div>
    );
  }
  return (
    <div className="legend" data-testid={testId}>
      <div className="legend-title">{title}</div>
      <ul>
        {entries.map((e) => (
          <li key={e.value}>
            <span className="swatch" style={{ background: e.color }} />
            {readableName(e.name)}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** "shrub_and_scrub" becomes "Shrub and scrub"; names already written for people are kept. */
export function readableName(name: string): string {
  if (!/^[a-z0-9_]+$/.test(name)) return name;
  const words = name.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
