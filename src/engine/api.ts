/**
 * What the engine offers the rest of the server (api/ depends on these interfaces only): commands
 * that change durable state, answering once it is committed; a view of what is committed; the
 * change feed.
 */
import type { ChangeListener } from "../domain/committed-changes.js";
import type { EntityVersion } from "../domain/entity-version.js";
import type { HostRecord, HostState } from "../domain/host.js";
import type { JobGoal, JobRecord } from "../domain/job.js";
import type { PodRuntime, PodTemplate } from "../domain/pod.js";
import type { Resources } from "../domain/resources.js";
import type { PoolConfig, ResourcePool } from "../domain/respool.js";
import type { VolumeRecord } from "../domain/volume.js";
import type { WorkflowRecord } from "../domain/workflow.js";
import type { NewJobInput } from "./commands/create-job.js";
import type { PodCommand } from "./commands/pod-command.js";
import type { WorkflowCommand } from "./kinds/workflow/workflow-command.js";

export type { NewJobInput, PodCommand, WorkflowCommand };

export interface JobCommands {
  createJob(input: NewJobInput): Promise<JobRecord>;
  /** StartJob, StopJob, DeleteJob; ABORTED on a stale version; deleting a running job needs `force`. */
  setJobGoal(
    jobId: string,
    goal: JobGoal,
    version: EntityVersion | undefined,
    force?: boolean,
  ): Promise<JobRecord>;
  refreshJob(jobId: string): Promise<void>;
}

export interface PodCommands {
  podCommand(jobId: string, instance: number, command: PodCommand): Promise<PodRuntime>;
  refreshPod(jobId: string, instance: number): Promise<void>;
  /** The events of one run, or of every run (null). */
  deletePodEvents(jobId: string, instance: number, runId: number | null): Promise<void>;
}

export interface WorkflowCommands {
  workflowCommand(
    jobId: string,
    command: WorkflowCommand,
    version: EntityVersion | undefined,
    opaqueData: string | undefined,
  ): Promise<JobRecord>;
}

export interface HostCommands {
  startMaintenance(hostnames: readonly string[]): Promise<void>;
  completeMaintenance(hostnames: readonly string[]): Promise<void>;
}

export interface VolumeCommands {
  deleteVolume(volumeId: string): Promise<VolumeRecord>;
}

export interface PoolCommands {
  createPool(input: { id: string; parentId: string; config: PoolConfig }): Promise<ResourcePool>;
  updatePool(input: { id: string; config: PoolConfig }): Promise<ResourcePool>;
  deletePool(id: string): Promise<void>;
}

/** A host as HostService shows it. */
export interface HostView {
  readonly hostname: string;
  readonly ip: string;
  readonly state: HostState;
}

/** What is committed, as the engine's cache holds it (the leader's view). */
export interface RuntimeView {
  job(jobId: string): JobRecord | undefined;
  pods(jobId: string): readonly PodRuntime[];
  pod(jobId: string, instance: number): PodRuntime | undefined;
  workflow(jobId: string): WorkflowRecord | undefined;
  /** A job's pods by state and by configuration version. */
  podCounts(
    jobId: string,
  ): { byState: Record<string, number>; byVersion: Record<string, number> } | undefined;
  templateFor(pod: PodRuntime): PodTemplate | undefined;
  /** The instance's live persistent volume. */
  volume(jobId: string, instance: number): VolumeRecord | undefined;
  /** Hosts in the inventory with their maintenance states, by name. */
  hosts(): readonly HostView[];
  host(hostname: string): HostRecord | undefined;
  /** What the pods on hosts hold, per leaf pool (revocable pods' cpu as slack). */
  allocationByPool(): Map<string, { allocation: Resources; slack: Resources }>;
  /** What the fleet offers: UP hosts that are not in maintenance (the root pool's capacity). */
  capacity(): Resources;
}

/** The change feed: every commit's changes, in revision order, after they are committed. */
export interface ChangeFeedView {
  /** The revision of the last commit. */
  revision(): number;
  subscribe(listener: ChangeListener): () => void;
}

export type EngineApi = JobCommands &
  PodCommands &
  WorkflowCommands &
  HostCommands &
  VolumeCommands &
  PoolCommands &
  RuntimeView &
  ChangeFeedView;
