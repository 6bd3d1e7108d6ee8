import type { SandboxListing } from "./ports.js";

/** The port Mesos agents serve their HTTP endpoints (and sandbox files) on. */
export const AGENT_PORT = 5051;

/** Where a run's sandbox lives on its agent, laid out as a Mesos agent lays it out. */
export const sandboxDirectory = (agentId: string, podId: string): string =>
  `/var/lib/mesos/agent/slaves/${agentId}/frameworks/peloton/executors/${podId}/runs/latest`;

const POD_FILES = ["stdout", "stderr", "stdout.logrotate.conf", "stderr.logrotate.conf"] as const;

/**
 * The sandbox listing of a run: the executor's stdout/stderr and their log-rotation configs,
 * plus per-container stdout/stderr when the pod has more than one container. Computed on
 * demand, so a run keeps nothing but its ids.
 */
export function sandboxListing(
  podId: string,
  hostname: string,
  agentId: string,
  containerNames: readonly string[],
): SandboxListing {
  const directory = sandboxDirectory(agentId, podId);
  const paths = POD_FILES.map((f) => `${directory}/${f}`);
  if (containerNames.length > 1) {
    for (const name of containerNames) {
      paths.push(`${directory}/tasks/${name}/stdout`, `${directory}/tasks/${name}/stderr`);
    }
  }
  return { podId, hostname, agentId, agentPort: AGENT_PORT, directory, paths };
}
