import { describe, expect, it } from "vitest";
import { accessNeeded, READ_ONLY_METHODS } from "../../../src/app/auth/method-access.js";
import { HostServiceDefinition } from "../../../src/gen/peloton/api/v1alpha/host/svc/host_svc.js";
import { JobServiceDefinition } from "../../../src/gen/peloton/api/v1alpha/job/stateless/svc/stateless_svc.js";
import { PodServiceDefinition } from "../../../src/gen/peloton/api/v1alpha/pod/svc/pod_svc.js";
import { ResourcePoolServiceDefinition } from "../../../src/gen/peloton/api/v1alpha/respool/svc/respool_svc.js";
import { VolumeServiceDefinition } from "../../../src/gen/peloton/api/v1alpha/volume/svc/volume_svc.js";
import { WatchServiceDefinition } from "../../../src/gen/peloton/api/v1alpha/watch/svc/watch_svc.js";

const SERVICES = [
  JobServiceDefinition,
  PodServiceDefinition,
  HostServiceDefinition,
  ResourcePoolServiceDefinition,
  VolumeServiceDefinition,
  WatchServiceDefinition,
];
const paths = SERVICES.flatMap((s) =>
  Object.values(s.methods).map((m) => ({ path: `/${s.fullName}/${m.name}`, name: m.name })),
);

describe("method access", () => {
  it("lists as read-only exactly the methods whose names say they read", () => {
    const reading = paths
      .filter((m) => /^(Get|List|Query|Lookup|Browse|Watch)/.test(m.name))
      .map((m) => m.path);
    expect([...READ_ONLY_METHODS].sort()).toEqual(reading.sort());
  });

  it("needs read-write for everything else, and nothing for health and reflection", () => {
    for (const { path } of paths)
      expect(accessNeeded(path)).toBe(READ_ONLY_METHODS.has(path) ? "read" : "write");
    expect(accessNeeded("/peloton.api.v1alpha.job.stateless.svc.JobService/DeleteJob")).toBe("write");
    expect(accessNeeded("/peloton.api.v1alpha.pod.svc.PodService/RefreshPod")).toBe("write");
    expect(accessNeeded("/grpc.health.v1.Health/Check")).toBe("open");
    expect(accessNeeded("/grpc.reflection.v1.ServerReflection/ServerReflectionInfo")).toBe("open");
    expect(accessNeeded("/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo")).toBe("open");
    expect(accessNeeded("/some.Unknown/Method")).toBe("write");
  });
});
