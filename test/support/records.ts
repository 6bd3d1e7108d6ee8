import type { PodRuntime, PodTemplate } from "../../src/domain/pod.js";
import { resources } from "../../src/domain/resources.js";
import type { RuntimeBatch } from "../../src/domain/runtime-batch.js";
import { JobRepository, type NewJob } from "../../src/store/job-repository.js";
import { migrateToLatest } from "../../src/store/migrate.js";
import type { OpenDatabase } from "../../src/store/open-database.js";
import { ResourcePoolRepository } from "../../src/store/resource-pool-repository.js";
import type { Backend } from "./backends.js";
import { poolConfig } from "./pools.js";

/** The job id the store and engine unit tests use. */
export const TEST_JOB = "0b5e0d4e-1c2a-4f00-9a5d-3b7f1c2d4e5f";

/** A pod of TEST_JOB in its first run, PENDING; `over` changes any field. */
export const podRuntime = (instance: number, over: Partial<PodRuntime> = {}): PodRuntime => ({
  jobId: TEST_JOB,
  instance,
  runId: 1,
  state: "PENDING",
  goal: "RUNNING",
  configVersion: 1,
  desiredConfigVersion: 1,
  host: null,
  agentId: null,
  ports: {},
  message: "",
  reason: "",
  failureCount: 0,
  healthy: "DISABLED",
  prevRunId: null,
  exitCode: null,
  terminationReason: null,
  volumeId: null,
  startedAt: null,
  completedAt: null,
  updatedAt: 0,
  revision: 1,
  ...over,
});

/** A pod template of 1 cpu running `sleep 100`, with no ports, labels or policies; `over` changes any field. */
export const podTemplate = (over: Partial<PodTemplate> = {}): PodTemplate => ({
  resources: resources({ cpu: 1 }),
  ports: [],
  labels: [],
  containers: [{ name: "c", command: "sleep 100" }],
  maxFailures: 0,
  killGracePeriodMs: 0,
  controller: false,
  revocable: false,
  preemptible: false,
  killOnPreempt: false,
  ...over,
});

/** A tick's batch that writes nothing but what `over` gives. */
export const runtimeBatch = (over: Partial<RuntimeBatch> = {}): RuntimeBatch => ({
  pods: [],
  events: [],
  jobs: [],
  workflows: [],
  workflowEvents: [],
  volumes: [],
  deleteJobs: [],
  ...over,
});

/** A job to store in pool "p" (see `openWithJob`); `over` changes any field. */
export const newJob = (id: string, over: Partial<NewJob> = {}): NewJob => ({
  id,
  name: "j",
  owner: "o",
  owningTeam: "",
  description: "",
  labels: [],
  respoolId: "p",
  instanceCount: 3,
  spec: {},
  templates: { default: null, instances: {} },
  priority: 0,
  maxUnavailable: 0,
  secrets: [],
  now: 0,
  ...over,
});

/** A fresh, migrated database of `backend` holding pool "p" and the job TEST_JOB. */
export async function openWithJob(backend: Backend): Promise<OpenDatabase> {
  const open = await backend.open();
  await migrateToLatest(open.db);
  await new ResourcePoolRepository(open.db).create({
    id: "p",
    parentId: "root",
    config: poolConfig("p"),
    now: 0,
  });
  await new JobRepository(open.db).create(newJob(TEST_JOB));
  return open;
}
