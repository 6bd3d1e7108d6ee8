import type { PoolConfig, PoolResource } from "../../src/domain/respool.js";

/** A pool config with the given resources (kind → [reservation, limit, share?]). */
export function poolConfig(
  name: string,
  res: Partial<Record<PoolResource["kind"], [number, number, number?]>> = {},
  extra: Partial<PoolConfig> = {},
): PoolConfig {
  return {
    name,
    owningTeam: "team",
    ldapGroups: [],
    description: "",
    resources: Object.entries(res).map(([kind, [reservation, limit, share]]) => ({
      kind: kind as PoolResource["kind"],
      reservation,
      limit,
      share: share ?? 1,
      type: "ELASTIC" as const,
    })),
    policy: "PRIORITY_FIFO",
    controllerLimitPercent: undefined,
    slackLimitPercent: undefined,
    ...extra,
  };
}
