import { isTerminal, type Job } from "../api/types";

/**
 * Following a job: the live stream (SSE) first, polling `GET /jobs/{id}` when the stream is not available
 * or keeps failing, and a safety poll while the stream is quiet. A pure state machine: events in, state and
 * commands out; `JobFollower` (follower.ts) carries the commands out with the browser's EventSource, fetch
 * and timers.
 */
export type FollowMode = "connecting" | "streaming" | "polling" | "done";

export interface FollowState {
  mode: FollowMode;
  job: Job;
  /** Stream errors since the stream last opened or delivered. */
  streamErrors: number;
  /** Failed polls in a row. */
  pollErrors: number;
  /** Time of the last sign of life (stream message, open, or poll answer), ms. */
  lastActivity: number;
  /** Current poll interval, ms. */
  pollDelay: number;
  /** What the app says when contact is shaky or lost; undefined when all is well. */
  warning?: string;
  /** Set when following stopped for good without a terminal job (the job disappeared). */
  error?: string;
}

export type FollowEvent =
  | { type: "start"; streamAvailable: boolean; now: number }
  | { type: "stream-open"; now: number }
  | { type: "stream-message"; job: Job; now: number }
  | { type: "stream-error"; closed: boolean; now: number }
  | { type: "poll-result"; job: Job; now: number }
  | { type: "poll-error"; message: string; fatal: boolean; now: number }
  | { type: "tick"; now: number };

export type FollowCommand =
  | { type: "open-stream" }
  | { type: "close-stream" }
  | { type: "poll"; delay: number }
  | { type: "cancel-poll" };

export interface FollowResult {
  state: FollowState;
  commands: FollowCommand[];
}

export const FOLLOW = {
  /** Stream errors in a row before giving the stream up for polling (EventSource retries by itself before). */
  maxStreamErrors: 3,
  /** A quiet stream is checked by one poll after this long (a proxy may buffer events). */
  quietMs: 15_000,
  firstPollMs: 1_000,
  maxPollMs: 5_000,
  maxPollErrorMs: 15_000,
} as const;

export function initialFollow(job: Job, now: number): FollowState {
  return {
    mode: isTerminal(job.state) ? "done" : "connecting",
    job,
    streamErrors: 0,
    pollErrors: 0,
    lastActivity: now,
    pollDelay: FOLLOW.firstPollMs,
  };
}

/** Keeps the newer of two views of the job (the version increases with every change). */
function newer(current: Job, candidate: Job): Job {
  return candidate.id === current.id && candidate.version >= current.version ? candidate : current;
}

export function followStep(state: FollowState, event: FollowEvent): FollowResult {
  if (state.mode === "done") {
    return { state, commands: [] };
  }
  switch (event.type) {
    case "start":
      if (isTerminal(state.job.state)) {
        return { state: { ...state, mode: "done" }, commands: [] };
      }
      return event.streamAvailable
        ? { state: { ...state, mode: "connecting", lastActivity: event.now }, commands: [{ type: "open-stream" }] }
        : { state: { ...state, mode: "polling", lastActivity: event.now }, commands: [{ type: "poll", delay: 0 }] };

    case "stream-open":
      if (state.mode === "polling") {
        return { state, commands: [] };
      }
      return { state: { ...state, mode: "streaming", streamErrors: 0, lastActivity: event.now, warning: undefined }, commands: [] };

    case "stream-message":
      return arrived({ ...state, streamErrors: 0 }, event.job, event.now, state.mode === "polling" ? state.mode : "streaming");

    case "stream-error": {
      if (state.mode === "polling") {
        return { state, commands: [] };
      }
      const errors = state.streamErrors + 1;
      if (event.closed || errors >= FOLLOW.maxStreamErrors) {
        return {
          state: { ...state, mode: "polling", streamErrors: errors, pollDelay: FOLLOW.firstPollMs },
          commands: [{ type: "close-stream" }, { type: "poll", delay: 0 }],
        };
      }
      return {
        state: { ...state, mode: "connecting", streamErrors: errors, warning: "Live updates interrupted; reconnecting…" },
        commands: [],
      };
    }

    case "poll-result": {
      const changed = event.job.version !== state.job.version;
      const result = arrived({ ...state, pollErrors: 0 }, event.job, event.now, state.mode);
      if (result.state.mode === "polling") {
        const delay = changed ? FOLLOW.firstPollMs : Math.min(FOLLOW.maxPollMs, state.pollDelay * 2);
        return { state: { ...result.state, pollDelay: delay }, commands: [...result.commands, { type: "poll", delay }] };
      }
      return result;
    }

    case "poll-error": {
      if (event.fatal) {
        return {
          state: { ...state, mode: "done", error: event.message, warning: undefined },
          commands: [{ type: "close-stream" }, { type: "cancel-poll" }],
        };
      }
      const errors = state.pollErrors + 1;
      const delay = Math.min(FOLLOW.maxPollErrorMs, FOLLOW.firstPollMs * 2 ** errors);
      const warning = `Lost contact with the server (${event.message}); retrying in ${Math.round(delay / 1000)} s…`;
      if (state.mode === "polling") {
        return { state: { ...state, pollErrors: errors, pollDelay: delay, warning }, commands: [{ type: "poll", delay }] };
      }
      // A safety poll failed while the stream is up: the stream's own errors decide what happens next.
      return { state: { ...state, pollErrors: errors, warning }, commands: [] };
    }

    case "tick":
      if ((state.mode === "streaming" || state.mode === "connecting") && event.now - state.lastActivity >= FOLLOW.quietMs) {
        return { state: { ...state, lastActivity: event.now }, commands: [{ type: "poll", delay: 0 }] };
      }
      return { state, commands: [] };
  }
}

function arrived(state: FollowState, candidate: Job, now: number, mode: FollowMode): FollowResult {
  const job = newer(state.job, candidate);
  const next: FollowState = { ...state, job, lastActivity: now, warning: undefined, mode };
  if (isTerminal(job.state)) {
    return { state: { ...next, mode: "done" }, commands: [{ type: "close-stream" }, { type: "cancel-poll" }] };
  }
  return { state: next, commands: [] };
}

/** "Extracting features: 3 of 8 tiles" — the progress line under the bar. */
/** A wait in words: "under a minute", "about 4 min", "about 1 h 20 min". */
export function waitText(seconds: number): string {
  if (seconds < 60) {
    return "under a minute";
  }
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) {
    return `about ${minutes} min`;
  }
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `about ${h} h` : `about ${h} h ${m} min`;
}

function tiles(n: number): string {
  return n === 1 ? "1 tile" : `${n} tiles`;
}

/** The job's place in the queue in words, or undefined when it is not waiting for extraction. */
export function queueText(job: Job): string | undefined {
  const q = job.queue;
  if (!q || isTerminal(job.state)) {
    return undefined;
  }
  const place = q.position <= 1 ? "First in the queue" : `Queue position ${q.position}`;
  const share = q.tiles_ahead > 0
    ? `${tiles(q.tiles_left)} of this job and ${tiles(q.tiles_ahead)} of other jobs to go, taken in turns`
    : `${tiles(q.tiles_left)} to go`;
  const wait = q.estimated_wait_s === undefined || q.estimated_wait_s === null
    ? "wait not measured yet"
    : `${waitText(q.estimated_wait_s)} left`;
  return `${place} · ${share} · ${wait}`;
}

export function progressText(job: Job): string {
  const t = job.tiles;
  switch (job.state) {
    case "queued":
      return "Queued: waiting for a worker";
    case "extracting":
      return t.total > 0
        ? `Reading imagery and computing features: ${t.extracted} of ${t.total} tiles`
        : "Searching imagery and planning tiles";
    case "scoring":
      return `Classifying crops: ${t.scored} of ${t.total} tiles`;
    case "assembling":
      return "Assembling the crop map";
    case "completed":
      return "Completed";
    case "failed":
      return job.failure_reason ? `Failed: ${job.failure_reason}` : "Failed";
  }
}
