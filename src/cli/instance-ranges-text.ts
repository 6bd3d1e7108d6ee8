import type { InstanceIDRange } from "../gen/peloton/api/v1alpha/pod/pod.js";

/** Ranges as the --range flags write them: `0:2, 5:6`; "-" for none. */
export const rangesText = (ranges: readonly InstanceIDRange[]): string =>
  ranges.length === 0 ? "-" : ranges.map((r) => `${r.from}:${r.to}`).join(", ");
