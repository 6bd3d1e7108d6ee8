import type { PodRuntime, PodTemplate } from "../../../src/domain/pod.js";
import type { PodContext } from "../../../src/engine/kinds/pod/pod-step.js";
import { DEFAULT_TIMINGS, type EngineTimings } from "../../../src/engine/ports.js";
import { podRuntime, podTemplate } from "../../support/records.js";

/** When the pure action tests take place. */
export const NOW = 1_000_000;

/** What a pod action sees: instance 0 of TEST_JOB as `pod` says, at NOW, with the default timings. */
export const podContext = (
  pod: Partial<PodRuntime> = {},
  o: { template?: Partial<PodTemplate>; now?: number; timings?: Partial<EngineTimings> } = {},
): PodContext => ({
  pod: podRuntime(0, { updatedAt: NOW - 10, revision: 3, ...pod }),
  template: podTemplate(o.template),
  now: o.now ?? NOW,
  timings: { ...DEFAULT_TIMINGS, ...o.timings },
});
