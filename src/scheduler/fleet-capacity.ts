import type { HostState } from "../domain/host.js";
import { add, type Resources, ZERO } from "../domain/resources.js";

/** The root pool's capacity: the total of the hosts that are UP. */
export const fleetCapacity = (
  hosts: Iterable<{ readonly state: HostState; readonly capacity: Resources }>,
) => {
  let total: Resources = ZERO;
  for (const h of hosts) if (h.state === "UP") total = add(total, h.capacity);
  return total;
};
