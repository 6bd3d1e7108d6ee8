import type { EntityKey, EntityKind } from "../loop/entity-key.js";
import type { Tick } from "../tick/tick.js";
import { decideHost } from "./host/decide-host.js";
import { decideJob } from "./job/decide-job.js";
import type { KindEnv } from "./kind-env.js";
import { decidePod } from "./pod/decide-pod.js";
import { decideWorkflow } from "./workflow/decide-workflow.js";

type Decide<K extends EntityKind> = (tick: Tick, key: Extract<EntityKey, { kind: K }>, env: KindEnv) => void;

/** Each kind's decision, by the kind of its key. */
const DECIDE: { readonly [K in EntityKind]: Decide<K> } = {
  job: (tick, k, env) => decideJob(tick, k.jobId, env),
  pod: (tick, k, env) => decidePod(tick, k.jobId, k.instance, env),
  workflow: (tick, k, env) => decideWorkflow(tick, k.jobId, env),
  host: (tick, k, env) => decideHost(tick, k.hostname, env),
};

/** Looks at one entity: its kind's rules decide, the tick stages what they decided. */
export function decide(tick: Tick, key: EntityKey, env: KindEnv): void {
  (DECIDE[key.kind] as Decide<typeof key.kind>)(tick, key as never, env);
}
