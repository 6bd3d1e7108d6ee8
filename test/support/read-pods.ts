import { HealthState, PodState, type PodStatus } from "../../src/gen/peloton/api/v1alpha/pod/pod.js";
import type { TestServer } from "./server.js";

/** The name of a v1alpha enum value without its prefix: "RUNNING" for POD_STATE_RUNNING. */
export type Unprefixed<K, P extends string> = K extends `${P}${infer N}` ? N : never;

export type PodStateName = Unprefixed<keyof typeof PodState, "POD_STATE_">;
export type HealthName = Unprefixed<keyof typeof HealthState, "HEALTH_STATE_">;

/** The states in which a run holds (or is about to hold) its resources on a host. */
export const ON_HOST: ReadonlySet<string> = new Set<PodStateName>([
  "PLACED",
  "LAUNCHING",
  "LAUNCHED",
  "STARTING",
  "RUNNING",
  "KILLING",
  "PREEMPTING",
]);

/** What a test asks of a pod's current run, decoded from the PodStatus the API answers. */
export interface PodView {
  readonly instance: number;
  readonly runId: number;
  readonly state: PodStateName;
  readonly goal: PodStateName;
  /** Null while the run has no host. */
  readonly host: string | null;
  readonly message: string;
  readonly reason: string;
  readonly failureCount: number;
  readonly prevRunId: number | null;
  readonly healthy: HealthName;
  readonly volumeId: string | null;
  /** PodStatus.revision.version: changes with every stored change of the pod. */
  readonly revision: string;
}

/** The run id at the end of a pod id `<job id>-<instance>-<run id>`. */
const runIdOf = (podId: string): number => Number(podId.slice(podId.lastIndexOf("-") + 1));

const unprefixed = <P extends string>(name: string | undefined, prefix: P, value: number): string => {
  if (!name?.startsWith(prefix)) throw new Error(`not a ${prefix}* value: ${value}`);
  return name.slice(prefix.length);
};

/** A pod's view from its name (`<job id>-<instance>`) and status. */
export function podView(podName: string, status: PodStatus): PodView {
  const health = status.containersStatus[0]?.healthy?.state ?? HealthState.HEALTH_STATE_INVALID;
  return {
    instance: Number(podName.slice(podName.lastIndexOf("-") + 1)),
    runId: runIdOf(status.podId!.value),
    state: unprefixed(PodState[status.state], "POD_STATE_", status.state) as PodStateName,
    goal: unprefixed(PodState[status.desiredState], "POD_STATE_", status.desiredState) as PodStateName,
    host: status.host === "" ? null : status.host,
    message: status.message,
    reason: status.reason,
    failureCount: status.failureCount,
    prevRunId: status.prevPodId ? runIdOf(status.prevPodId.value) : null,
    healthy: unprefixed(HealthState[health], "HEALTH_STATE_", health) as HealthName,
    volumeId: status.volumeId?.value ?? null,
    revision: status.revision?.version ?? "",
  };
}

/** Every pod of a job in instance order, through ListPods (of `[from, to)` when given). */
export async function podsOf(
  s: TestServer,
  jobId: string,
  range?: { from: number; to: number },
): Promise<PodView[]> {
  const out: PodView[] = [];
  for await (const batch of s.job.listPods({ jobId: { value: jobId }, range }))
    for (const p of batch.pods) out.push(podView(p.podName!.value, p.status!));
  return out;
}

/** One pod of a job through ListPods; undefined while the job has no such pod. */
export async function podOf(s: TestServer, jobId: string, instance: number): Promise<PodView | undefined> {
  const [pod] = await podsOf(s, jobId, { from: instance, to: instance + 1 });
  return pod;
}

/** How many pods of a job are in `state`. */
export async function countIn(s: TestServer, jobId: string, state: PodStateName): Promise<number> {
  return (await podsOf(s, jobId)).filter((p) => p.state === state).length;
}
