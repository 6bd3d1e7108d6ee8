import { ClientError, Status } from "nice-grpc";
import type { WatchResponse } from "../../gen/peloton/api/v1alpha/watch/svc/watch_svc.js";
import { backoffMs } from "../../lib/backoff.js";
import type { Clock } from "../../lib/clock.js";
import { delay } from "../wait/cli-clock.js";

/** Statuses after which a watch is opened again from its last revision. */
const RESUMABLE = new Set([Status.UNAVAILABLE, Status.RESOURCE_EXHAUSTED, Status.INTERNAL, Status.UNKNOWN]);

export interface ResumableWatchOptions {
  /** Opens the stream from a revision ("0": from now on). */
  open(startRevision: string, signal: AbortSignal): AsyncIterable<WatchResponse>;
  readonly clock: Clock;
  readonly signal: AbortSignal;
  /** Revision to start after; "0" (the default) means changes from now on. */
  readonly startRevision?: string;
  /** Told each time the stream dropped and is about to be opened again. */
  onReconnect?(error: unknown, delayMs: number, fromRevision: string): void;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
}

const isResumable = (e: unknown): boolean => e instanceof ClientError && RESUMABLE.has(e.code);

/**
 * A watch that survives disconnects: when the stream drops (the server restarts, the
 * connection breaks, or it cut a slow reader with RESOURCE_EXHAUSTED) it is opened again from
 * the last revision it delivered, after a capped backoff, until `signal` aborts. Any other error
 * (a bad filter, history no longer held: OUT_OF_RANGE) ends it; a stream the server closes
 * (Cancel: CANCELLED) ends it quietly.
 */
export async function* resumableWatch(o: ResumableWatchOptions): AsyncGenerator<WatchResponse> {
  let revision = o.startRevision ?? "0";
  let failures = 0;
  while (!o.signal.aborted) {
    let dropped: unknown = new ClientError(
      "/peloton.api.v1alpha.watch.svc.WatchService/Watch",
      Status.UNAVAILABLE,
      "the server ended the watch",
    );
    try {
      for await (const response of o.open(revision, o.signal)) {
        failures = 0;
        if (response.revision !== "0") revision = response.revision;
        yield response;
      }
    } catch (e) {
      if (o.signal.aborted) return;
      if (e instanceof ClientError && e.code === Status.CANCELLED) return;
      if (!isResumable(e)) throw e;
      dropped = e;
    }
    failures++;
    const wait = backoffMs(failures, o.baseDelayMs ?? 500, o.maxDelayMs ?? 10_000);
    o.onReconnect?.(dropped, wait, revision);
    if (!(await delay(o.clock, wait, o.signal))) return;
  }
}
