import { isOnHost, podId } from "../../domain/pod.js";
import { hostKey, jobKey, type KeyString, podKey, workflowKey } from "../loop/entity-key.js";
import type { EngineFleet, EngineStore } from "../ports.js";
import type { RuntimeCache } from "./runtime-cache.js";

/**
 * Crash-only recovery, and the start: rebuilds the cache from what is stored, queues every
 * entity to be looked at `now`, takes hosts left DOWN out of the fleet, and asks the fleet where
 * the runs the store puts on agents are (the agents confirm them, or report them LOST).
 */
export async function reloadCache(
  cache: RuntimeCache,
  store: Pick<EngineStore, "load" | "loadPods">,
  fleet: Pick<EngineFleet, "hosts" | "takeDown" | "reconcile">,
  queue: { enqueue(key: KeyString, at: number): void },
  now: number,
): Promise<void> {
  const snapshot = await store.load();
  cache.load(snapshot);
  const inventory = new Set(fleet.hosts().map((h) => h.spec.hostname));
  for (const name of [...cache.hosts.keys()]) if (!inventory.has(name)) cache.hosts.delete(name);
  for (const { job } of snapshot.jobs) {
    queue.enqueue(jobKey(job.id), now);
    queue.enqueue(workflowKey(job.id), now);
  }
  const onHost: string[] = [];
  for await (const page of store.loadPods()) {
    for (const p of page) {
      const entry = cache.jobs.get(p.jobId);
      if (!entry) continue;
      cache.setPod(entry, p);
      queue.enqueue(podKey(p.jobId, p.instance), now);
      if (isOnHost(p.state) && p.state !== "PLACED") onHost.push(podId(p.jobId, p.instance, p.runId));
    }
  }
  // Hosts left DOWN stay out of the fleet; drains resume where the stored states left them.
  for (const h of cache.hosts.values()) {
    if (h.state === "DOWN") fleet.takeDown(h.hostname);
    if (h.state !== "UP" || h.goal !== "UP") queue.enqueue(hostKey(h.hostname), now);
  }
  cache.pending.dirty = true;
  if (onHost.length > 0) fleet.reconcile(onHost);
}
