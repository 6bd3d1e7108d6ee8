import { createServer, type Server, ServerError, Status } from "nice-grpc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JobState } from "../../src/gen/peloton/api/v1alpha/job/stateless/stateless.js";
import { PodState } from "../../src/gen/peloton/api/v1alpha/pod/pod.js";
import {
  WatchResponse,
  WatchServiceDefinition,
  type WatchServiceImplementation,
} from "../../src/gen/peloton/api/v1alpha/watch/svc/watch_svc.js";
import { CLI_TEST_TIMEOUT, startPeloton } from "./support/run-peloton.js";

/*
 * `peloton watch` against a stand-in WatchService (the server's Watch is being built): it streams
 * changes, drops the stream once, and checks the CLI comes back from the last revision it saw.
 */

const JOB = "6f1f6a4e-3c1b-4a51-9b7e-2f0c8d9e1a11";

const jobAt = (revision: number, state: JobState, running: number) =>
  WatchResponse.fromPartial({
    watchId: "4",
    revision: String(revision),
    statelessJobs: [
      {
        jobId: { value: JOB },
        name: "hello",
        instanceCount: 2,
        status: {
          state,
          desiredState: JobState.JOB_STATE_RUNNING,
          version: { value: "1-1-1" },
          podStats: { POD_STATE_RUNNING: running },
        },
      },
    ],
  });

describe("peloton watch", CLI_TEST_TIMEOUT, () => {
  const requests: { startRevision: string; jobs: string[]; pods: string[]; podJob?: string }[] = [];
  let server: Server;
  let address: string;

  beforeAll(async () => {
    const watch: WatchServiceImplementation = {
      async *watch(request, context) {
        requests.push({
          startRevision: request.startRevision,
          jobs: request.statelessJobFilter?.jobIds.map((j) => j.value) ?? [],
          pods: request.podFilter?.podNames.map((p) => p.value) ?? [],
          podJob: request.podFilter?.jobId?.value,
        });
        if (request.podFilter) {
          yield WatchResponse.fromPartial({
            watchId: "5",
            revision: "20",
            pods: [
              {
                podName: { value: `${JOB}-0` },
                status: {
                  state: PodState.POD_STATE_RUNNING,
                  desiredState: PodState.POD_STATE_RUNNING,
                  podId: { value: `${JOB}-0-3` },
                  host: "host-0001",
                },
              },
            ],
            podsNotFound: [{ value: `${JOB}-7` }],
          });
        } else if (request.startRevision === "0") {
          yield WatchResponse.fromPartial({ watchId: "4", revision: "10" });
          yield jobAt(11, JobState.JOB_STATE_PENDING, 0);
          throw new ServerError(Status.UNAVAILABLE, "server shutting down");
        } else {
          yield jobAt(12, JobState.JOB_STATE_RUNNING, 2);
        }
        await new Promise((resolve) => context.signal.addEventListener("abort", resolve, { once: true }));
      },
      cancel: async () => ({}),
    };
    server = createServer();
    server.add(WatchServiceDefinition, watch);
    address = `127.0.0.1:${await server.listen("127.0.0.1:0")}`;
  });
  afterAll(async () => {
    await server?.forceShutdown();
  });

  it("streams job changes until interrupted, resuming after the last revision when the stream drops", async () => {
    const cli = startPeloton(address, ["watch", "job", JOB]);
    await cli.printed(/^12 {2}job /m);
    cli.child.kill("SIGINT");
    const r = await cli.exited;
    expect(r.code).toBe(130);
    expect(r.stdout).toBe(
      [
        `11  job ${JOB} hello PENDING (goal RUNNING) 1-1-1 | no pods`,
        `12  job ${JOB} hello RUNNING (goal RUNNING) 1-1-1 | pods RUNNING 2`,
        "",
      ].join("\n"),
    );
    expect(r.stderr).toBe(
      [
        "Watching (watch 4, revision 10); Ctrl-C ends it",
        "watch dropped (UNAVAILABLE: server shutting down); resuming after revision 11 in 500 ms",
        "",
      ].join("\n"),
    );
    expect(requests.filter((q) => q.jobs.length > 0)).toEqual([
      { startRevision: "0", jobs: [JOB], pods: [], podJob: undefined },
      { startRevision: "11", jobs: [JOB], pods: [], podJob: undefined },
    ]);
  });

  it("streams a job's pods as one WatchResponse of JSON per line under --json", async () => {
    const cli = startPeloton(address, [
      "--json",
      "watch",
      "pod",
      JOB,
      `${JOB}-0`,
      `${JOB}-7`,
      "--revision",
      "19",
    ]);
    await cli.printed(/\n/);
    cli.child.kill("SIGINT");
    const r = await cli.exited;
    expect(r.code).toBe(130);
    const lines = r.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([
      {
        watchId: "5",
        revision: "20",
        pods: [
          {
            podName: { value: `${JOB}-0` },
            status: {
              state: "POD_STATE_RUNNING",
              desiredState: "POD_STATE_RUNNING",
              podId: { value: `${JOB}-0-3` },
              host: "host-0001",
            },
          },
        ],
        podsNotFound: [{ value: `${JOB}-7` }],
      },
    ]);
    expect(requests.at(-1)).toEqual({
      startRevision: "19",
      jobs: [],
      pods: [`${JOB}-0`, `${JOB}-7`],
      podJob: JOB,
    });
  });
});
