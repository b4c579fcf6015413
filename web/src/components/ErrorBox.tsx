import type { ErrorMessage } from "../lib/problem";

/** An error in plain words: a headline and one line per field the server named. */
export function ErrorBox({ error, onDismiss }: { error: ErrorMessage; onDismiss?: () => void }) {
  return (
    <div className="error" role="alert" data-testid="error">
      <strong>{error.headline}</strong>
      {error.lines.length > 0 && (
        <ul>
          {error.lines.map((l) => (
            <li key={l}>{l}</li>
          ))}
        </ul>
      )}
      {onDismiss && (
        <button type="button" className="link" onClick={onDismiss} aria-label="Dismiss this message">
          Dismiss
        </button>
      )}
    </div>
  );
}
