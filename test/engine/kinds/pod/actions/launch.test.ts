import { describe, expect, it } from "vitest";
import { launch } from "../../../../../src/engine/kinds/pod/actions/launch.js";
import { engineHarness } from "../../../support/engine-harness.js";
import { newJobInput, withPool } from "../../../support/jobs.js";
import { NOW, podContext } from "../../../support/pod-context.js";

describe("launch", () => {
  it("hands a PLACED run to its agent and looks again when the launch times out", () => {
    const step = launch(
      podContext(
        { state: "PLACED", host: "h1", ports: { http: 31000 } },
        { timings: { launchTimeoutMs: 500 } },
      ),
    );
    expect(step.pod).toMatchObject({
      state: "LAUNCHING",
      host: "h1",
      ports: { http: 31000 },
      message: "launching on h1",
      updatedAt: NOW,
    });
    expect(step).toMatchObject({ event: true, launch: true, recheckAt: NOW + 500 });
    expect(step.kill ?? false).toBe(false);
  });

  it("sends the run to the fleet only with its commit, with what its template runs", async () => {
    const h = await engineHarness();
    await withPool(h.engine);
    const command = "echo hello";
    const job = await h.engine.createJob(
      newJobInput(1, {
        templates: {
          default: {
            ...newJobInput(1).templates.default!,
            containers: [{ name: "main", command }],
            ports: [{ name: "http", value: 0 }],
          },
          instances: {},
        },
      }),
    );
    // The tick that places and launches the pod waits for its commit: the fleet has heard nothing.
    const commit = h.store.hold();
    await commit.reached;
    expect(h.fleet.launches).toEqual([]);
    expect(h.engine.pod(job.id, 0)).toBeUndefined();
    commit.release();
    await h.engine.idle();
    const pod = h.store.pod(job.id, 0)!;
    expect(pod.state).toBe("LAUNCHING");
    expect(h.fleet.launches).toEqual([
      {
        podId: `${job.id}-0-1`,
        hostname: pod.host,
        resources: expect.objectContaining({ cpu: 1 }),
        ports: pod.ports,
        containers: [{ name: "main", command }],
      },
    ]);
    expect(Object.keys(pod.ports)).toEqual(["http"]);
  });
});
