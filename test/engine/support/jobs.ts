import type { PodTemplate } from "../../../src/domain/pod.js";
import type { WorkflowSettings } from "../../../src/domain/workflow.js";
import type { NewJobInput } from "../../../src/engine/api.js";
import type { Engine } from "../../../src/engine/engine.js";
import { podTemplate } from "../../support/records.js";
import type { Harness } from "./engine-harness.js";
import { RecordingFleet } from "./recording-fleet.js";

let next = 0;

/** A job of `instances` pods of 1 cpu in pool "p" (created by `withPool`), `over` changing any field. */
export const newJobInput = (instances: number, over: Partial<NewJobInput> = {}): NewJobInput => {
  next++;
  const id = `00000000-0000-4000-8000-${String(next).padStart(12, "0")}`;
  return {
    id,
    name: `job-${next}`,
    owner: "o",
    owningTeam: "",
    description: "",
    labels: [],
    respoolId: "p",
    instanceCount: instances,
    priority: 0,
    maxUnavailable: 0,
    spec: {},
    templates: { default: podTemplate(), instances: {} },
    secrets: [],
    workflow: {
      id: `10000000-0000-4000-8000-${String(next).padStart(12, "0")}`,
      settings: { batchSize: 0, maxInstanceRetries: 0, maxTolerableInstanceFailures: 0, startPaused: false },
      opaqueData: "",
    },
    ...over,
  };
};

/** A job like `newJobInput`'s whose create workflow has `settings` (batch size, start paused). */
export const rollingJobInput = (instances: number, settings: Partial<WorkflowSettings>): NewJobInput => {
  const input = newJobInput(instances);
  return { ...input, workflow: { ...input.workflow, settings: { ...input.workflow.settings, ...settings } } };
};

/** A leaf pool "p" under the root that reserves `cpu` cores and 100 GB. */
export async function withPool(engine: Engine, cpu = 16): Promise<void> {
  const res = (reservation: number) => ({
    reservation,
    limit: reservation,
    share: 1,
    type: "ELASTIC" as const,
  });
  await engine.createPool({
    id: "p",
    parentId: "root",
    config: {
      name: "p",
      owningTeam: "",
      ldapGroups: [],
      description: "",
      resources: [
        { kind: "cpu", ...res(cpu) },
        { kind: "memory", ...res(100_000) },
      ],
      policy: "PRIORITY_FIFO",
      controllerLimitPercent: undefined,
      slackLimitPercent: undefined,
    },
  });
}

/** Reports every launched run RUNNING (as the agents would) and lets the engine take it in. */
export async function runLaunched(h: Harness): Promise<void> {
  const launched = h.fleet.launches.splice(0);
  if (launched.length === 0) return;
  h.fleet.report(
    ...launched.map((l) => RecordingFleet.pod(l.podId, "RUNNING", h.clock.now(), { hostname: l.hostname })),
  );
  await h.engine.idle();
}

/** Creates a job and brings every pod to RUNNING on the recording fleet. */
export async function runningJob(h: Harness, instances: number, over: Partial<NewJobInput> = {}) {
  const job = await h.engine.createJob(newJobInput(instances, over));
  for (
    let i = 0;
    i < 10 && h.engine.pods(job.id).filter((p) => p.state === "RUNNING").length < instances;
    i++
  ) {
    await h.advance(1000);
    await runLaunched(h);
  }
  return job;
}

/**
 * Gives a job configuration version 2 (every instance runs `template`) behind the engine's back
 * and asks `instances` to run it, as an update would; RefreshJob and RefreshPod make the engine
 * read both.
 */
export async function outdate(h: Harness, jobId: string, template: PodTemplate, instances: number[]) {
  h.store.templates.get(jobId)!.set(2, { default: template, instances: {} });
  for (const i of instances)
    h.store.pods.set(`${jobId}:${i}`, { ...h.store.pod(jobId, i)!, desiredConfigVersion: 2 });
  await h.engine.refreshJob(jobId);
  await Promise.all(instances.map((i) => h.engine.refreshPod(jobId, i)));
  await h.engine.idle();
}
