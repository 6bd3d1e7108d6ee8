import type { NewJobChange } from "../../src/domain/change-set.js";
import type { JobRecord } from "../../src/domain/job.js";
import type { PodRuntime, PodTemplate } from "../../src/domain/pod.js";
import { resources } from "../../src/domain/resources.js";
import { migrateToLatest } from "../../src/store/migrate.js";
import type { OpenDatabase } from "../../src/store/open-database.js";
import type { Backend } from "./backends.js";
import { commitNext, jobRecord, poolRecord, ROOT } from "./commit.js";
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

/** A new job as CreateJob stores it, in pool "p" (see `openWithJob`); `over` changes the job row. */
export const newJob = (
  id: string,
  over: Partial<JobRecord> = {},
  extra: Partial<Omit<NewJobChange, "job">> = {},
): NewJobChange => ({
  job: jobRecord(id, over),
  config: {
    jobId: id,
    version: 1,
    spec: {},
    templates: { default: null, instances: {} },
    createdAt: over.createdAt ?? 0,
  },
  secrets: [],
  ...extra,
});

/** A fresh, migrated database of `backend` holding pool "p" and the job TEST_JOB. */
export async function openWithJob(backend: Backend): Promise<OpenDatabase> {
  const open = await backend.open();
  await migrateToLatest(open.db);
  await commitNext(open.db, { pools: [poolRecord("p", ROOT, poolConfig("p"))], newJobs: [newJob(TEST_JOB)] });
  return open;
}
