import type { Tick } from "../../tick/tick.js";
import type { KindEnv } from "../kind-env.js";
import { HOST_ACTIONS, hostActionFor } from "./rules.js";

/** Looks at a host: its rules table names the action; the tick stages the outcome. */
export function decideHost(tick: Tick, hostname: string, env: KindEnv): void {
  for (let hops = 0; hops < 4; hops++) {
    const host = tick.host(hostname);
    if (!host) return;
    const action = hostActionFor(host.goal, host.state);
    env.actions.count("host", action);
    if (action === "invalid") {
      env.log.warn(
        { host: hostname, goal: host.goal, state: host.state },
        "no action for this goal and state",
      );
      return;
    }
    const step = HOST_ACTIONS[action]({
      host,
      runs: env.fleet.podCount(hostname) + env.cache.runs.on(hostname),
      agentUp: env.fleet.agentUp(hostname),
      now: tick.now,
    });
    if (step.host) tick.stageHost(step.host);
    if (step.takeDown) {
      tick.takeDown.add(hostname);
      tick.bringUp.delete(hostname);
    }
    if (step.bringUp) {
      tick.bringUp.add(hostname);
      tick.takeDown.delete(hostname);
    }
    if (step.reviewDrains) tick.reviewDrains = true;
    if (!step.again) return;
  }
}
