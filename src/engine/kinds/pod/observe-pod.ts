import { parsePodId, TERMINAL_FLEET_STATES } from "../../../domain/pod.js";
import type { PodObservation } from "../../ports.js";
import type { Tick } from "../../tick/tick.js";
import type { KindEnv } from "../kind-env.js";
import { applyPodStep } from "./decide-pod.js";
import { observe } from "./observe.js";

const ENDED = new Set<string>(TERMINAL_FLEET_STATES);

/** A fleet report about a run: what it means for its pod, staged in the tick. */
export function observePod(tick: Tick, o: PodObservation, env: KindEnv): void {
  const id = parsePodId(o.podId);
  if (!id) return;
  const pod = tick.pod(id.jobId, id.instance);
  if (!pod) {
    // A run of a job that no longer exists: make sure it does not keep running.
    if (!ENDED.has(o.state)) tick.kills.push({ podId: o.podId, gracePeriodMs: 0 });
    return;
  }
  // The transition happened when the agent saw it, which may be a little before this tick.
  const step = observe(pod, o, Math.min(o.at, tick.now));
  if (step.killStale) tick.kills.push({ podId: step.killStale, gracePeriodMs: 0 });
  applyPodStep(tick, pod, step, env);
}
