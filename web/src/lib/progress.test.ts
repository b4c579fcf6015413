import { describe, expect, it } from "vitest";
import type { Job, JobState } from "../api/types";
import { FOLLOW, followStep, initialFollow, progressText, queueText, waitText, type FollowEvent, type FollowState } from "./progress";

function job(state: JobState, version: number, extra: Partial<Job> = {}): Job {
  return {
    id: "j1",
    state,
    progress: state === "completed" ? 1 : 0.25,
    tiles: { total: 4, extracted: 2, scored: 0 },
    aoi: { lon: 31, lat: -17.8, radius_m: 1000 },
    year: 2023,
    season: { start: "2023-09-01", end: "2024-05-31" },
    version,
    ...extra,
  };
}

/** Runs events through the machine, collecting every command. */
function run(start: FollowState, events: FollowEvent[]) {
  let state = start;
  const commands: string[] = [];
  for (const e of events) {
    const r = followStep(state, e);
    state = r.state;
    commands.push(...r.commands.map((c) => (c.type === "poll" ? `poll:${c.delay}` : c.type)));
  }
  return { state, commands };
}

describe("following a job", () => {
  it("streams, applies newer versions only, and stops at the terminal event", () => {
    const { state, commands } = run(initialFollow(job("queued", 1), 0), [
      { type: "start", streamAvailable: true, now: 0 },
      { type: "stream-open", now: 10 },
      { type: "stream-message", job: job("extracting", 3), now: 20 },
      { type: "stream-message", job: job("queued", 2), now: 30 }, // late, older: ignored
      { type: "stream-message", job: job("completed", 9), now: 40 },
    ]);
    expect(commands).toEqual(["open-stream", "close-stream", "cancel-poll"]);
    expect(state.mode).toBe("done");
    expect(state.job.state).toBe("completed");
    expect(state.job.version).toBe(9);
  });

  it("polls from the start when there is no EventSource", () => {
    const { state, commands } = run(initialFollow(job("queued", 1), 0), [{ type: "start", streamAvailable: false, now: 0 }]);
    expect(state.mode).toBe("polling");
    expect(commands).toEqual(["poll:0"]);
  });

  it("falls back to polling after repeated stream errors, or at once when the stream is closed for good", () => {
    const started = run(initialFollow(job("queued", 1), 0), [{ type: "start", streamAvailable: true, now: 0 }]).state;
    const errors = Array.from({ length: FOLLOW.maxStreamErrors }, (_, i) => ({ type: "stream-error" as const, closed: false, now: i }));
    const afterErrors = run(started, errors);
    expect(afterErrors.state.mode).toBe("polling");
    expect(afterErrors.commands).toEqual(["close-stream", "poll:0"]);

    const oneError = run(started, errors.slice(0, 1));
    expect(oneError.state.mode).toBe("connecting");
    expect(oneError.state.warning).toMatch(/reconnecting/);

    const closed = run(started, [{ type: "stream-error", closed: true, now: 1 }]);
    expect(closed.state.mode).toBe("polling");
  });

  it("a reconnect that delivers resets the error count", () => {
    const started = run(initialFollow(job("queued", 1), 0), [{ type: "start", streamAvailable: true, now: 0 }]).state;
    const r = run(started, [
      { type: "stream-error", closed: false, now: 1 },
      { type: "stream-error", closed: false, now: 2 },
      { type: "stream-open", now: 3 },
      { type: "stream-error", closed: false, now: 4 },
    ]);
    expect(r.state.mode).toBe("connecting");
    expect(r.state.streamErrors).toBe(1);
  });

  it("polls faster after a change and backs off while nothing changes", () => {
    const polling = run(initialFollow(job("queued", 1), 0), [{ type: "start", streamAvailable: false, now: 0 }]).state;
    const r = run(polling, [
      { type: "poll-result", job: job("queued", 1), now: 1 },
      { type: "poll-result", job: job("queued", 1), now: 2 },
      { type: "poll-result", job: job("queued", 1), now: 3 },
      { type: "poll-result", job: job("queued", 1), now: 4 },
      { type: "poll-result", job: job("extracting", 2), now: 5 },
      { type: "poll-result", job: job("completed", 5), now: 6 },
    ]);
    expect(r.commands).toEqual(["poll:2000", "poll:4000", "poll:5000", "poll:5000", "poll:1000", "close-stream", "cancel-poll"]);
    expect(r.state.mode).toBe("done");
  });

  it("says when contact is lost and keeps retrying with a growing delay", () => {
    const polling = run(initialFollow(job("queued", 1), 0), [{ type: "start", streamAvailable: false, now: 0 }]).state;
    const r = run(polling, [
      { type: "poll-error", message: "no answer", fatal: false, now: 1 },
      { type: "poll-error", message: "no answer", fatal: false, now: 2 },
    ]);
    expect(r.commands).toEqual(["poll:2000", "poll:4000"]);
    expect(r.state.warning).toBe("Lost contact with the server (no answer); retrying in 4 s…");
    const back = run(r.state, [{ type: "poll-result", job: job("extracting", 2), now: 3 }]);
    expect(back.state.warning).toBeUndefined();
  });

  it("stops with the reason when the job is gone", () => {
    const polling = run(initialFollow(job("queued", 1), 0), [{ type: "start", streamAvailable: false, now: 0 }]).state;
    const r = run(polling, [{ type: "poll-error", message: "There is no job j1", fatal: true, now: 1 }]);
    expect(r.state.mode).toBe("done");
    expect(r.state.error).toBe("There is no job j1");
  });

  it("checks a quiet stream with one poll, without leaving the stream", () => {
    const streaming = run(initialFollow(job("extracting", 2), 0), [
      { type: "start", streamAvailable: true, now: 0 },
      { type: "stream-open", now: 0 },
    ]).state;
    const quiet = run(streaming, [
      { type: "tick", now: FOLLOW.quietMs - 1 },
      { type: "tick", now: FOLLOW.quietMs },
      { type: "tick", now: FOLLOW.quietMs + 1 },
    ]);
    expect(quiet.commands).toEqual(["poll:0"]);
    expect(quiet.state.mode).toBe("streaming");
    const answered = run(quiet.state, [{ type: "poll-result", job: job("scoring", 4), now: FOLLOW.quietMs + 2 }]);
    expect(answered.commands).toEqual([]);
    expect(answered.state.job.state).toBe("scoring");
  });

  it("a job that is already over needs no following", () => {
    const s = initialFollow(job("failed", 3, { failure_reason: "no imagery" }), 0);
    expect(s.mode).toBe("done");
    expect(followStep(s, { type: "start", streamAvailable: true, now: 0 }).commands).toEqual([]);
  });

  it("says where a job stands in the queue and how long it may wait", () => {
    expect(queueText(job("extracting", 1))).toBeUndefined();
    expect(queueText(job("queued", 1, { queue: { position: 2, tiles_left: 1, tiles_ahead: 1 } }))).toBe(
      "Queue position 2 · 1 tile of this job and 1 tile of other jobs to go, taken in turns · wait not measured yet",
    );
    expect(queueText(job("extracting", 1, { queue: { position: 1, tiles_left: 20, tiles_ahead: 0, estimated_wait_s: 4_830 } }))).toBe(
      "First in the queue · 20 tiles to go · about 1 h 21 min left",
    );
    expect(queueText(job("completed", 1, { queue: { position: 1, tiles_left: 1, tiles_ahead: 0 } }))).toBeUndefined();
    expect(waitText(30)).toBe("under a minute");
    expect(waitText(240)).toBe("about 4 min");
    expect(waitText(7_200)).toBe("about 2 h");
  });

  it("describes each state in words", () => {
    expect(progressText(job("queued", 1))).toBe("Queued: waiting for a worker");
    expect(progressText(job("extracting", 1))).toBe("Reading imagery and computing features: 2 of 4 tiles");
    expect(progressText(job("extracting", 1, { tiles: { total: 0, extracted: 0, scored: 0 } }))).toBe("Searching imagery and planning tiles");
    expect(progressText(job("scoring", 1))).toBe("Classifying crops: 0 of 4 tiles");
    expect(progressText(job("failed", 1, { failure_reason: "no Sentinel-2 scenes" }))).toBe("Failed: no Sentinel-2 scenes");
  });
});
