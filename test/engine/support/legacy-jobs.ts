import { changeSet } from "../../../src/domain/change-set.js";
import type { JobRecord } from "../../../src/domain/job.js";
import type { PodRuntime, PodTemplate } from "../../../src/domain/pod.js";
import { poolRecord, ROOT } from "../../support/commit.js";
import { poolConfig } from "../../support/pools.js";
import { podTemplate } from "../../support/records.js";
import type { MemoryStore } from "./memory-store.js";

/** Pool "p" (16 cpu) as stored, for jobs written straight into a MemoryStore. */
export const storedPool = poolRecord("p", ROOT, poolConfig("p", { cpu: [16, 16] }));

/**
 * Writes a job as a server from before workflows stored it (no workflow) into the store, with
 * its configuration version 1 (`template` for every instance) and the pods given.
 */
export async function storeLegacyJob(
  store: MemoryStore,
  job: JobRecord,
  o: { template?: PodTemplate; pods?: readonly PodRuntime[] } = {},
): Promise<void> {
  await store.commit(
    changeSet({
      pools: store.pools.has("p") ? [] : [storedPool],
      newJobs: [
        {
          job,
          config: {
            jobId: job.id,
            version: 1,
            spec: {},
            templates: { default: o.template ?? podTemplate(), instances: {} },
            createdAt: 0,
          },
          secrets: [],
        },
      ],
      pods: o.pods ?? [],
    }),
    store.revision + 1,
  );
}
