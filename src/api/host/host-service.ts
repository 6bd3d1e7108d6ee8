import { HOST_STATES, type HostState } from "../../domain/host.js";
import { HostState as ProtoHostState } from "../../gen/peloton/api/v1alpha/host/host.js";
import type { HostServiceImplementation } from "../../gen/peloton/api/v1alpha/host/svc/host_svc.js";
import { AppError } from "../../lib/app-error.js";
import { enumValue } from "../fields.js";
import type { HostCommands, RuntimeView } from "../ports.js";

const PROTO_HOST_STATE: Record<HostState, ProtoHostState> = Object.fromEntries(
  HOST_STATES.map((s) => [s, ProtoHostState[`HOST_STATE_${s}`]]),
) as Record<HostState, ProtoHostState>;
const HOST_STATE_OF = new Map<number, HostState>(HOST_STATES.map((s) => [PROTO_HOST_STATE[s], s]));

const names = (hostnames: readonly string[]): string[] => {
  hostnames.forEach((h, i) => {
    if (h.trim() === "") throw AppError.invalid(`hostnames[${i}]`, "must not be empty");
  });
  return [...hostnames];
};

/** peloton.api.v1alpha.host.svc.HostService. */
export function hostService(deps: {
  engine: HostCommands & Pick<RuntimeView, "hosts">;
}): HostServiceImplementation {
  const { engine } = deps;
  return {
    async queryHosts(req) {
      const wanted = new Set(req.hostStates.map((s, i) => enumValue(s, HOST_STATE_OF, `host_states[${i}]`)));
      const hosts = engine.hosts().filter((h) => wanted.size === 0 || wanted.has(h.state));
      return {
        hostInfos: hosts.map((h) => ({ hostname: h.hostname, ip: h.ip, state: PROTO_HOST_STATE[h.state] })),
      };
    },
    async startMaintenance(req) {
      await engine.startMaintenance(names(req.hostnames));
      return {};
    },
    async completeMaintenance(req) {
      await engine.completeMaintenance(names(req.hostnames));
      return {};
    },
  };
}
