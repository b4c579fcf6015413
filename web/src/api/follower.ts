import { followStep, initialFollow, type FollowCommand, type FollowEvent, type FollowState } from "../lib/progress";
import { ApiError, type ApiClient } from "./client";
import type { Job } from "./types";

/**
 * Carries out the follow state machine (lib/progress.ts) with the browser's EventSource, the API client and
 * timers; reports every state to `onChange`. `stop()` releases everything.
 */
export class JobFollower {
  private state: FollowState;
  private source?: EventSource;
  private pollTimer?: ReturnType<typeof setTimeout>;
  private readonly ticker: ReturnType<typeof setInterval>;
  private stopped = false;

  constructor(
    private readonly api: ApiClient,
    job: Job,
    private readonly onChange: (state: FollowState) => void,
  ) {
    this.state = initialFollow(job, Date.now());
    this.ticker = setInterval(() => this.dispatch({ type: "tick", now: Date.now() }), 1_000);
    this.dispatch({ type: "start", streamAvailable: typeof EventSource !== "undefined", now: Date.now() });
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.ticker);
    this.closeStream();
    clearTimeout(this.pollTimer);
  }

  private dispatch(event: FollowEvent): void {
    if (this.stopped) {
      return;
    }
    const before = this.state;
    const { state, commands } = followStep(this.state, event);
    this.state = state;
    commands.forEach((c) => this.run(c));
    if (state !== before) {
      this.onChange(state);
    }
    if (state.mode === "done") {
      clearInterval(this.ticker);
    }
  }

  private run(command: FollowCommand): void {
    switch (command.type) {
      case "open-stream":
        this.openStream();
        break;
      case "close-stream":
        this.closeStream();
        break;
      case "poll":
        clearTimeout(this.pollTimer);
        this.pollTimer = setTimeout(() => void this.poll(), command.delay);
        break;
      case "cancel-poll":
        clearTimeout(this.pollTimer);
        break;
    }
  }

  private openStream(): void {
    const source = new EventSource(this.api.eventsUrl(this.state.job.id));
    this.source = source;
    const onJob = (e: MessageEvent<string>) => {
      try {
        this.dispatch({ type: "stream-message", job: JSON.parse(e.data) as Job, now: Date.now() });
      } catch {
        this.dispatch({ type: "stream-error", closed: false, now: Date.now() });
      }
    };
    source.addEventListener("progress", onJob);
    source.addEventListener("completed", onJob);
    source.addEventListener("failed", onJob);
    source.onopen = () => this.dispatch({ type: "stream-open", now: Date.now() });
    source.onerror = () =>
      this.dispatch({ type: "stream-error", closed: source.readyState === EventSource.CLOSED, now: Date.now() });
  }

  private closeStream(): void {
    this.source?.close();
    this.source = undefined;
  }

  private async poll(): Promise<void> {
    try {
      const job = await this.api.job(this.state.job.id);
      this.dispatch({ type: "poll-result", job, now: Date.now() });
    } catch (e) {
      const fatal = e instanceof ApiError && e.status >= 400 && e.status < 500 && e.status !== 429;
      this.dispatch({
        type: "poll-error",
        message: e instanceof ApiError ? e.display.headline : String(e),
        fatal,
        now: Date.now(),
      });
    }
  }
}
