import { describe, expect, it } from "vitest";
import { describeProblem, fieldLabel, formatWait, parseProblem, parseRetryAfter, waitHeadline } from "./problem";

// A body exactly as submit-job answers an out-of-range request (docs/api.md).
const VALIDATION = JSON.stringify({
  type: "/problems/validation",
  title: "Request failed validation",
  status: 422,
  detail: "radius_m: must be between 100 and 10000, got 20000; year: must be a finished season from 2017 to 2025",
  instance: "/jobs",
  errors: [
    { field: "radius_m", message: "must be between 100 and 10000, got 20000" },
    { field: "year", message: "must be a finished season from 2017 to 2025 (season Y runs from Y-09-01 to Y+1-05-31), got 2030" },
  ],
});

describe("problem bodies", () => {
  it("names each field at fault in plain words", () => {
    const p = parseProblem(422, "application/problem+json", VALIDATION);
    expect(p.errors).toHaveLength(2);
    const m = describeProblem(p);
    expect(m.headline).toBe("Please check the request:");
    expect(m.lines).toEqual([
      "Radius: must be between 100 and 10000, got 20000",
      "Season year: must be a finished season from 2017 to 2025 (season Y runs from Y-09-01 to Y+1-05-31), got 2030",
    ]);
  });

  it("says how long to wait when rate limited", () => {
    const p = parseProblem(429, "application/problem+json", JSON.stringify({
      type: "/problems/rate-limited", title: "Too many requests", status: 429, detail: "at most 30 job submissions per PT1M; try again in 42 s",
    }));
    const m = describeProblem(p, parseRetryAfter("42", new Date()));
    expect(m.headline).toBe("Too many submissions from this address. Please wait 42 s and try again.");
    expect(m.retryAfterSeconds).toBe(42);
    expect(m.lines).toEqual([]);
    expect(describeProblem(p).lines).toEqual(["at most 30 job submissions per PT1M; try again in 42 s"]);
  });

  it("says the server is busy and when to retry on a 503 with Retry-After", () => {
    const p = parseProblem(503, "application/problem+json", JSON.stringify({
      type: "/problems/unavailable", title: "Service unavailable", status: 503,
      detail: "the server is busy: 100 jobs are queued (at most 100); try again in 30 s",
    }));
    const m = describeProblem(p, parseRetryAfter("30", new Date()));
    expect(m.headline).toBe("The server is busy with other jobs. Please try again in 30 s.");
    expect(m.retryAfterSeconds).toBe(30);
    expect(m.waitReason).toBe("busy");
    expect(m.lines).toEqual([]);
    expect(waitHeadline(m.waitReason, 12)).toBe("The server is busy with other jobs. Please try again in 12 s.");
    expect(describeProblem(p).lines).toEqual(["the server is busy: 100 jobs are queued (at most 100); try again in 30 s"]);
  });

  it("reads Retry-After as seconds or as an HTTP date, never negative", () => {
    const now = new Date("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("120", now)).toBe(120);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:01:30 GMT", now)).toBe(90);
    expect(parseRetryAfter("Wed, 31 Dec 2025 23:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(formatWait(42)).toBe("42 s");
    expect(formatWait(185)).toBe("3 min 5 s");
    expect(formatWait(120)).toBe("2 min");
  });

  it("still has words for a body that is not a problem (a proxy's HTML page)", () => {
    const p = parseProblem(502, "text/html", "<html>Bad gateway</html>");
    expect(p.status).toBe(502);
    expect(describeProblem(p).headline).toBe("The server could not handle this request.");
    const broken = parseProblem(400, "application/problem+json", "{not json");
    expect(describeProblem(broken).headline).toBe("The request was not accepted.");
  });

  it("shows a server error's reference, and a failed connection plainly", () => {
    const p = parseProblem(500, "application/problem+json", JSON.stringify({
      type: "/problems/internal", title: "Internal error", status: 500,
      detail: "The server failed to handle the request; quote reference 1234 when reporting it.",
    }));
    expect(describeProblem(p).lines[0]).toContain("reference 1234");
    expect(describeProblem({ type: "about:blank", title: "No answer", status: 0 }).headline).toMatch(/cannot be reached/);
  });

  it("drops malformed field entries and labels unknown fields readably", () => {
    const p = parseProblem(400, "application/problem+json", JSON.stringify({ status: 400, errors: [{ field: "lon" }, { field: "lat", message: "is required" }, "x"] }));
    expect(p.errors).toEqual([{ field: "lat", message: "is required" }]);
    expect(fieldLabel("some_field")).toBe("Some field");
  });
});
