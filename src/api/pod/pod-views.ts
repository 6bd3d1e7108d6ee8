import type { JobRecord } from "../../domain/job.js";
import {
  type JobTemplates,
  type PodRuntime,
  type PodTemplate,
  podName,
  templateOf,
} from "../../domain/pod.js";
import { JobSpec } from "../../gen/peloton/api/v1alpha/job/stateless/stateless.js";
import type { PodInfo, PodSpec, PodStatus } from "../../gen/peloton/api/v1alpha/pod/pod.js";
import { podSpecOf } from "../job/pod-spec-of.js";
import type { JobQueries } from "../ports.js";
import { podStatus } from "./convert.js";

/**
 * Pod statuses and specs of one job as the store has them, reading each config version's
 * spec and templates once per request.
 */
export class PodViews {
  readonly #templates = new Map<number, Promise<JobTemplates | undefined>>();
  readonly #specs = new Map<number, Promise<JobSpec | undefined>>();

  constructor(
    private readonly jobs: Pick<JobQueries, "getConfig" | "getTemplates">,
    readonly job: JobRecord,
  ) {}

  /** What the pod's run runs: its config version's template (the job's current one if that is gone). */
  async template(pod: PodRuntime): Promise<PodTemplate | undefined> {
    const t =
      (await this.#templatesOf(pod.configVersion)) ?? (await this.#templatesOf(this.job.configVersion));
    if (!t) return undefined;
    return t.instances[String(pod.instance)] || t.default ? templateOf(t, pod.instance) : undefined;
  }

  /** The PodSpec instance `instance` has in config version `configVersion`, named after the pod. */
  async spec(configVersion: number, instance: number): Promise<PodSpec | undefined> {
    let spec = this.#specs.get(configVersion);
    if (!spec) {
      spec = this.jobs.getConfig(this.job.id, configVersion).then((json) => json && JobSpec.fromJSON(json));
      this.#specs.set(configVersion, spec);
    }
    const job = await spec;
    return job && { ...podSpecOf(job, instance), podName: { value: podName(this.job.id, instance) } };
  }

  async status(pod: PodRuntime): Promise<PodStatus> {
    return podStatus(pod, await this.template(pod), this.job);
  }

  async info(pod: PodRuntime, withSpec: boolean): Promise<PodInfo> {
    return {
      spec: withSpec ? await this.spec(pod.configVersion, pod.instance) : undefined,
      status: await this.status(pod),
    };
  }

  #templatesOf(version: number): Promise<JobTemplates | undefined> {
    let t = this.#templates.get(version);
    if (!t) {
      t = this.jobs.getTemplates(this.job.id, version);
      this.#templates.set(version, t);
    }
    return t;
  }
}
