import type { PodGoal, PodState } from "../../domain/pod.js";

/** What the drain plan needs to know of a pod. */
export interface DrainPod {
  readonly instance: number;
  readonly state: PodState;
  readonly goal: PodGoal;
  readonly host: string | null;
}

/** A job as the drain plan sees it: its SLA and its pods. */
export interface DrainJob<P extends DrainPod = DrainPod> {
  readonly id: string;
  /** SlaSpec.maximum_unavailable_instances; 0 means the job gave no limit. */
  readonly maxUnavailable: number;
  readonly pods: Iterable<P | undefined>;
}

/**
 * States of a run on a host that maintenance may kill. PLACED is left out: such a run has not
 * been sent to its agent yet (the same tick launches it, and the next plan sees it LAUNCHING).
 * KILLING and PREEMPTING runs are on their way off already.
 */
const MOVABLE: ReadonlySet<PodState> = new Set<PodState>(["LAUNCHING", "LAUNCHED", "STARTING", "RUNNING"]);

/**
 * An instance is unavailable when it should run (goal RUNNING) and is not RUNNING now: waiting
 * for placement, starting, being killed (for maintenance or otherwise), or ended and not yet
 * restarted. Instances the user stopped (goal KILLED or DELETED) are not unavailable: they are
 * meant to be down, as a PodDisruptionBudget counts only pods that should be up.
 */
export const isUnavailable = (p: DrainPod): boolean => p.goal === "RUNNING" && p.state !== "RUNNING";

/**
 * Which runs on draining hosts maintenance kills now, for one job, keeping its SLA: a RUNNING run
 * may be killed only while the job's unavailable instances, counting that kill, stay within
 * `maxUnavailable`; a run that is not RUNNING yet (launching, starting) is unavailable already, so
 * killing it costs nothing and it is always moved. `maxUnavailable` 0 means no limit: every run
 * on a draining host is killed at once. A job already over its limit (instances failing, or
 * waiting for room) loses no RUNNING run until enough of them are back.
 *
 * Runs that should stop anyway (goal KILLED or DELETED) are left to the engine's own kill.
 * The plan is re-run as pods change: a moved pod that is RUNNING again elsewhere frees budget
 * for the next one. Instances are taken in order, so the plan is deterministic.
 */
export function drainJob<P extends DrainPod>(job: DrainJob<P>, draining: ReadonlySet<string>): P[] {
  let unavailable = 0;
  const candidates: P[] = [];
  for (const p of job.pods) {
    if (!p) continue;
    if (isUnavailable(p)) unavailable++;
    if (p.goal === "RUNNING" && p.host !== null && draining.has(p.host) && MOVABLE.has(p.state))
      candidates.push(p);
  }
  if (candidates.length === 0) return [];
  candidates.sort((a, b) => a.instance - b.instance);
  const limit = job.maxUnavailable > 0 ? job.maxUnavailable : Number.POSITIVE_INFINITY;
  const kills: P[] = [];
  for (const p of candidates) {
    if (p.state !== "RUNNING") {
      kills.push(p);
    } else if (unavailable + 1 <= limit) {
      unavailable++;
      kills.push(p);
    }
  }
  return kills;
}

/** The drain plan over many jobs: the runs to kill now, with their job. */
export function drainPlan<P extends DrainPod>(
  jobs: Iterable<DrainJob<P>>,
  draining: ReadonlySet<string>,
): { jobId: string; pod: P }[] {
  const out: { jobId: string; pod: P }[] = [];
  if (draining.size === 0) return out;
  for (const job of jobs) for (const pod of drainJob(job, draining)) out.push({ jobId: job.id, pod });
  return out;
}
