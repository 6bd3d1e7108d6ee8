/** What a call needs: nothing (health, reflection), a read-only credential, or a read-write one. */
export type Access = "open" | "read" | "write";

/** Services anyone may call: health checking and reflection (the schema, no data). */
export const OPEN_SERVICES = [
  "grpc.health.v1.Health",
  "grpc.reflection.v1.ServerReflection",
  "grpc.reflection.v1alpha.ServerReflection",
] as const;

const JOB = "peloton.api.v1alpha.job.stateless.svc.JobService";
const POD = "peloton.api.v1alpha.pod.svc.PodService";
const HOST = "peloton.api.v1alpha.host.svc.HostService";
const RESPOOL = "peloton.api.v1alpha.respool.ResourcePoolService";
const VOLUME = "peloton.api.v1alpha.volume.svc.VolumeService";
const WATCH = "peloton.api.v1alpha.watch.svc.WatchService";

/**
 * The methods a read-only credential may call: those that only read (Get/List/Query/Lookup/
 * Browse/Watch). Listed one by one, so a new method is a write until someone puts it here (a
 * test derives the same set from the service definitions and fails when they disagree).
 * RefreshJob and RefreshPod are writes: they make the engine reload and act.
 */
export const READ_ONLY_METHODS: ReadonlySet<string> = new Set([
  `/${JOB}/GetJob`,
  `/${JOB}/GetJobIDFromJobName`,
  `/${JOB}/GetWorkflowEvents`,
  `/${JOB}/ListPods`,
  `/${JOB}/QueryPods`,
  `/${JOB}/QueryJobs`,
  `/${JOB}/ListJobs`,
  `/${JOB}/ListJobUpdates`,
  `/${JOB}/GetReplaceJobDiff`,
  `/${JOB}/GetJobCache`,
  `/${POD}/GetPodCache`,
  `/${POD}/GetPod`,
  `/${POD}/GetPodEvents`,
  `/${POD}/BrowsePodSandbox`,
  `/${HOST}/QueryHosts`,
  `/${RESPOOL}/GetResourcePool`,
  `/${RESPOOL}/LookupResourcePoolID`,
  `/${RESPOOL}/QueryResourcePools`,
  `/${VOLUME}/ListVolumes`,
  `/${VOLUME}/GetVolume`,
  `/${WATCH}/Watch`,
]);

/** What calling `path` (`/package.Service/Method`) needs. */
export function accessNeeded(path: string): Access {
  const service = path.split("/")[1] ?? "";
  if ((OPEN_SERVICES as readonly string[]).includes(service)) return "open";
  return READ_ONLY_METHODS.has(path) ? "read" : "write";
}
