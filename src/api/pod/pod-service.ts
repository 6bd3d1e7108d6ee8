import { hostname } from "node:os";
import type { JobRecord } from "../../domain/job.js";
import { type PodRuntime, parsePodId, parsePodName, podId, podName } from "../../domain/pod.js";
import type { PodInfo } from "../../gen/peloton/api/v1alpha/pod/pod.js";
import type { PodServiceImplementation } from "../../gen/peloton/api/v1alpha/pod/svc/pod_svc.js";
import { AppError } from "../../lib/app-error.js";
import { required } from "../fields.js";
import type { JobQueries, PodCommands, PodQueries, RuntimeView } from "../ports.js";
import { pastRunStatus, podEvent, podStatus } from "./convert.js";
import { PodViews } from "./pod-views.js";

/** A run's sandbox as the fleet lists it (structurally the fleet's SandboxListing). */
export interface PodSandbox {
  readonly hostname: string;
  readonly agentPort: number;
  readonly paths: readonly string[];
}

export interface PodServiceDeps {
  readonly engine: PodCommands & Pick<RuntimeView, "pod" | "job" | "templateFor">;
  readonly pods: PodQueries;
  readonly jobs: JobQueries;
  /** The sandbox of a run (by pod id); undefined when the fleet has none for it. */
  readonly sandbox: (podId: string) => PodSandbox | undefined;
  /** What BrowsePodSandbox names as the Mesos master; the server's hostname by default. */
  readonly masterHostname?: string;
}

/** The port a Mesos master serves on; clients build their sandbox URLs from it. */
export const MESOS_MASTER_PORT = "5050";

interface PodRef {
  readonly jobId: string;
  readonly instance: number;
}

/** `pod_name.value` as a job id and instance; INVALID_ARGUMENT unless it is `<job id>-<instance>`. */
export function podRefOf(req: { podName?: { value: string } | undefined }): PodRef {
  const name = required(req.podName?.value, "pod_name.value");
  const ref = parsePodName(name);
  if (!ref) throw AppError.invalid("pod_name.value", `"${name}" is not a pod name <job id>-<instance id>`);
  return ref;
}

/** `pod_id.value` when given: a run of the named pod, as its run id. */
export function runIdOf(req: { podId?: { value: string } | undefined }, ref: PodRef): number | undefined {
  const text = req.podId?.value;
  if (text === undefined || text === "") return undefined;
  const id = parsePodId(text);
  if (!id)
    throw AppError.invalid("pod_id.value", `"${text}" is not a pod id <job id>-<instance id>-<run id>`);
  if (id.jobId !== ref.jobId || id.instance !== ref.instance) {
    throw AppError.invalid(
      "pod_id.value",
      `"${text}" is not a run of pod ${podName(ref.jobId, ref.instance)}`,
    );
  }
  return id.runId;
}

/** peloton.api.v1alpha.pod.svc.PodService. */
export function podService(deps: PodServiceDeps): PodServiceImplementation {
  const { engine, pods, jobs } = deps;
  const masterHostname = deps.masterHostname ?? hostname();

  /** The stored job and pod a request names; NOT_FOUND when either does not exist. */
  const load = async (ref: PodRef): Promise<{ job: JobRecord; pod: PodRuntime }> => {
    const job = await jobs.get(ref.jobId);
    if (!job) throw AppError.notFound(`job ${ref.jobId} does not exist`);
    const pod = await pods.get(ref.jobId, ref.instance);
    if (!pod) throw AppError.notFound(`pod ${podName(ref.jobId, ref.instance)} does not exist`);
    return { job, pod };
  };

  /** The run a request asks about: `pod_id`'s, or the current one. NOT_FOUND for a future run. */
  const runOf = (req: { podId?: { value: string } | undefined }, ref: PodRef, pod: PodRuntime): number => {
    const run = runIdOf(req, ref) ?? pod.runId;
    if (run < 1 || run > pod.runId)
      throw AppError.notFound(`pod ${podId(ref.jobId, ref.instance, run)} does not exist`);
    return run;
  };

  const command = async (req: { podName?: { value: string } }, cmd: "start" | "stop" | "restart") => {
    const ref = podRefOf(req);
    await engine.podCommand(ref.jobId, ref.instance, cmd);
    return {};
  };

  return {
    startPod: (req) => command(req, "start"),
    stopPod: (req) => command(req, "stop"),
    restartPod: (req) => command(req, "restart"),

    async getPod(req) {
      const ref = podRefOf(req);
      const { job, pod } = await load(ref);
      const views = new PodViews(jobs, job);
      const withSpec = !req.statusOnly;
      const current = await views.info(pod, withSpec);
      const previous: PodInfo[] = [];
      for (const run of await pods.runIds(ref.jobId, ref.instance)) {
        if (run >= pod.runId) continue;
        const events = await pods.events(ref.jobId, ref.instance, run);
        const status = pastRunStatus(events, job);
        if (!status) continue;
        const configVersion = events[events.length - 1]!.configVersion;
        previous.push({
          spec: withSpec ? await views.spec(configVersion, ref.instance) : undefined,
          status,
        });
      }
      return { current, previous };
    },

    async getPodEvents(req) {
      const ref = podRefOf(req);
      const { job, pod } = await load(ref);
      const run = runOf(req, ref, pod);
      const events = await pods.events(ref.jobId, ref.instance, run);
      return { events: events.map((e) => podEvent(e, job)) };
    },

    async browsePodSandbox(req) {
      const ref = podRefOf(req);
      const { pod } = await load(ref);
      const run = runOf(req, ref, pod);
      const neverPlaced = run === pod.runId && pod.host === null;
      const listing = neverPlaced ? undefined : deps.sandbox(podId(ref.jobId, ref.instance, run));
      if (!listing) throw AppError.aborted("pod has not run yet");
      return {
        hostname: listing.hostname,
        port: String(listing.agentPort),
        paths: [...listing.paths],
        mesosMasterHostname: masterHostname,
        mesosMasterPort: MESOS_MASTER_PORT,
      };
    },

    async refreshPod(req) {
      const ref = podRefOf(req);
      await engine.refreshPod(ref.jobId, ref.instance);
      return {};
    },

    async getPodCache(req) {
      const ref = podRefOf(req);
      const job = engine.job(ref.jobId);
      if (!job) throw AppError.notFound(`job ${ref.jobId} does not exist`);
      const pod = engine.pod(ref.jobId, ref.instance);
      if (!pod) throw AppError.notFound(`pod ${podName(ref.jobId, ref.instance)} does not exist`);
      return { status: podStatus(pod, engine.templateFor(pod), job) };
    },

    async deletePodEvents(req) {
      const ref = podRefOf(req);
      const { pod } = await load(ref);
      const run = runIdOf(req, ref);
      if (run !== undefined) runOf(req, ref, pod);
      await engine.deletePodEvents(ref.jobId, ref.instance, run ?? null);
      return {};
    },
  };
}
