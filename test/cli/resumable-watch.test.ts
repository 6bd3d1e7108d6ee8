import { ClientError, Status } from "nice-grpc";
import { describe, expect, it } from "vitest";
import { CliError } from "../../src/cli/cli-error.js";
import { jobProgressOf } from "../../src/cli/wait/job-progress.js";
import type { ProgressSource } from "../../src/cli/wait/progress-source.js";
import { watchProgress } from "../../src/cli/wait/watch-progress.js";
import { resumableWatch } from "../../src/cli/watch/resumable-watch.js";
import { JobState } from "../../src/gen/peloton/api/v1alpha/job/stateless/stateless.js";
import { WatchResponse } from "../../src/gen/peloton/api/v1alpha/watch/svc/watch_svc.js";
import { ManualClock } from "../../src/lib/clock.js";
import { fakeSource, progress } from "./support/fake-progress.js";

const PATH = "/peloton.api.v1alpha.watch.svc.WatchService/Watch";
const response = (revision: number, jobs: { id: string; state: JobState }[] = []) =>
  WatchResponse.fromPartial({
    watchId: "1",
    revision: String(revision),
    statelessJobs: jobs.map((j) => ({
      jobId: { value: j.id },
      instanceCount: 2,
      status: { state: j.state },
    })),
  });

/** A Watch server in a script: each open gets the next list of responses, then that error (or waits). */
function scripted(streams: { responses: WatchResponse[]; failWith?: Error }[]) {
  const opened: string[] = [];
  const open = (startRevision: string, signal: AbortSignal) => {
    opened.push(startRevision);
    const stream = streams.shift();
    return (async function* () {
      if (!stream) throw new Error("opened more often than scripted");
      for (const r of stream.responses) yield r;
      if (stream.failWith) throw stream.failWith;
      if (!signal.aborted)
        await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
    })();
  };
  return { open, opened };
}

describe("a resumable watch", () => {
  it("opens again after the last revision it delivered when the stream drops, after a backoff", async () => {
    const clock = new ManualClock(0);
    const stop = new AbortController();
    const server = scripted([
      {
        responses: [response(5), response(7)],
        failWith: new ClientError(PATH, Status.UNAVAILABLE, "restarting"),
      },
      {
        responses: [response(8)],
        failWith: new ClientError(PATH, Status.RESOURCE_EXHAUSTED, "too slow: resume"),
      },
      { responses: [response(9)] },
    ]);
    const drops: string[] = [];
    const seen: string[] = [];
    const watch = resumableWatch({
      open: server.open,
      clock,
      signal: stop.signal,
      startRevision: "3",
      onReconnect: (e, ms, from) => drops.push(`${(e as ClientError).code} ${ms} ${from}`),
    });
    const it = watch[Symbol.asyncIterator]();
    for (let i = 0; i < 2; i++) seen.push((await it.next()).value.revision);
    const third = it.next();
    await expect.poll(() => drops.length).toBe(1);
    expect(server.opened).toEqual(["3"]);
    clock.advance(499);
    expect(server.opened).toEqual(["3"]);
    clock.advance(1);
    seen.push((await third).value.revision);
    const fourth = it.next();
    await expect.poll(() => drops.length).toBe(2);
    clock.advance(500);
    seen.push((await fourth).value.revision);
    expect(seen).toEqual(["5", "7", "8", "9"]);
    expect(server.opened).toEqual(["3", "7", "8"]);
    expect(drops).toEqual([`${Status.UNAVAILABLE} 500 7`, `${Status.RESOURCE_EXHAUSTED} 500 8`]);
    const fifth = it.next();
    stop.abort();
    expect((await fifth).done).toBe(true);
  });

  it("passes on an error it cannot resume from, and ends quietly when cancelled", async () => {
    const clock = new ManualClock(0);
    const outOfRange = new ClientError(
      PATH,
      Status.OUT_OF_RANGE,
      "revision 3 is older than the oldest held, 40",
    );
    const failing = resumableWatch({
      open: scripted([{ responses: [], failWith: outOfRange }]).open,
      clock,
      signal: new AbortController().signal,
    });
    await expect(failing.next()).rejects.toBe(outOfRange);
    const cancelled = resumableWatch({
      open: scripted([
        { responses: [response(1)], failWith: new ClientError(PATH, Status.CANCELLED, "cancelled") },
      ]).open,
      clock,
      signal: new AbortController().signal,
    });
    const all: string[] = [];
    for await (const r of cancelled) all.push(r.revision);
    expect(all).toEqual(["1"]);
  });
});

describe("--wait through Watch", () => {
  const jobId = "job-1";
  const getJob = async () => ({
    summary: { jobId: { value: jobId }, instanceCount: 2, status: { state: JobState.JOB_STATE_PENDING } },
    secrets: [],
  });

  /** The --wait source of job-1 over a scripted Watch server, with GetJob's answer and a fallback. */
  const watchedJob = (server: ReturnType<typeof scripted>, fallback: ProgressSource) =>
    watchProgress(
      {
        watch: { watch: (req, o) => server.open(req.startRevision ?? "0", o!.signal!) },
        job: { getJob: getJob as never },
        clock: new ManualClock(0),
        fallback,
      },
      jobId,
    );

  it("starts from GetJob once the watch is live, then follows the job's changes only", async () => {
    const server = scripted([
      {
        responses: [
          response(10),
          response(11, [{ id: "other", state: JobState.JOB_STATE_KILLED }]),
          response(12, [{ id: jobId, state: JobState.JOB_STATE_RUNNING }]),
        ],
      },
    ]);
    const source = watchedJob(server, fakeSource([]).source);
    const stop = new AbortController();
    const it = source(stop.signal)[Symbol.asyncIterator]();
    expect((await it.next()).value).toEqual(
      jobProgressOf(jobId, 2, { state: JobState.JOB_STATE_PENDING } as never),
    );
    expect((await it.next()).value).toMatchObject({ jobId, state: "RUNNING", instanceCount: 2 });
    const next = it.next();
    stop.abort();
    expect((await next).done).toBe(true);
  });

  it("polls instead on a server whose Watch is UNIMPLEMENTED", async () => {
    const polled = fakeSource([progress({ state: "PENDING" }), progress({ state: "RUNNING" })]);
    const server = scripted([
      {
        responses: [],
        failWith: new ClientError(PATH, Status.UNIMPLEMENTED, "WatchService.Watch is not implemented yet"),
      },
    ]);
    const source = watchedJob(server, polled.source);
    const states: string[] = [];
    const stop = new AbortController();
    for await (const p of source(stop.signal)) {
      states.push(p.state);
      if (states.length === 2) stop.abort();
    }
    expect(states).toEqual(["PENDING", "RUNNING"]);
  });

  it("ends with an error when the job is reported gone", async () => {
    const server = scripted([
      {
        responses: [
          response(3),
          WatchResponse.fromPartial({ revision: "4", statelessJobsNotFound: [{ value: jobId }] }),
        ],
      },
    ]);
    const source = watchedJob(server, fakeSource([]).source);
    const it = source(new AbortController().signal)[Symbol.asyncIterator]();
    await it.next();
    const gone = await it.next().catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(CliError);
    expect((gone as CliError).message).toBe("job job-1 no longer exists");
  });
});
