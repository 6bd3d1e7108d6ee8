import type { JobSpec } from "../../src/gen/peloton/api/v1alpha/job/stateless/stateless.js";
import type { DeepPartial } from "../../src/gen/peloton/api/v1alpha/job/stateless/svc/stateless_svc.js";
import type { Label } from "../../src/gen/peloton/api/v1alpha/peloton.js";
import type { PodSpec } from "../../src/gen/peloton/api/v1alpha/pod/pod.js";
import type { TestServer } from "./server.js";

/** A top-level pool reserving `cpu` cores and `memoryMb` (limits four times that). */
export async function createPool(
  s: Pick<TestServer, "respool">,
  name: string,
  cpu: number,
  memoryMb: number,
): Promise<string> {
  const { respoolId } = await s.respool.createResourcePool({
    spec: {
      name,
      parent: { value: "root" },
      resources: [
        { kind: "cpu", reservation: cpu, limit: 4 * cpu, share: 1 },
        { kind: "memory", reservation: memoryMb, limit: 4 * memoryMb, share: 1 },
      ],
    },
  });
  return respoolId!.value;
}

/**
 * A job of `instances` pods of 1 cpu / 128 MB running `sleep 100000`, unless `pod` says otherwise;
 * `job` adds to the job spec (an SLA, say).
 */
export async function createSleepJob(
  s: TestServer,
  pool: string,
  instances: number,
  pod: DeepPartial<PodSpec> = {},
  labels: Label[] = [],
  job: DeepPartial<JobSpec> = {},
): Promise<string> {
  const { jobId } = await s.job.createJob({
    spec: {
      name: "svc",
      ...job,
      instanceCount: instances,
      respoolId: { value: pool },
      labels,
      defaultSpec: {
        containers: [
          { name: "main", command: { value: "sleep 100000" }, resource: { cpuLimit: 1, memLimitMb: 128 } },
        ],
        ...pod,
      },
    },
  });
  return jobId!.value;
}
