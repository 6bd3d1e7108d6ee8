import { AppError } from "../lib/app-error.js";

/**
 * A job's entity version, `<configVersion>-<desiredStateVersion>-<workflowVersion>`: the config
 * changes with Replace/Patch, the desired-state part with Start/Stop/Delete, the workflow part
 * with workflow actions. Clients send it back to guard writes (optimistic concurrency).
 */
export interface EntityVersion {
  readonly config: number;
  readonly desiredState: number;
  readonly workflow: number;
}

export const INITIAL_VERSION: EntityVersion = { config: 1, desiredState: 1, workflow: 1 };

export const formatVersion = (v: EntityVersion): string => `${v.config}-${v.desiredState}-${v.workflow}`;

/** The entity version of a job, from its row's three counters. */
export const versionOf = (j: {
  readonly configVersion: number;
  readonly desiredStateVersion: number;
  readonly workflowVersion: number;
}): EntityVersion => ({
  config: j.configVersion,
  desiredState: j.desiredStateVersion,
  workflow: j.workflowVersion,
});

/**
 * A job's entity version as text; with `configVersion`, the version of that configuration with
 * the job's other parts (what a pod of that configuration shows, and GetJob takes to read it).
 */
export const versionText = (
  j: Parameters<typeof versionOf>[0],
  configVersion: number = j.configVersion,
): string => formatVersion({ ...versionOf(j), config: configVersion });

const VERSION_PATTERN = /^(\d+)-(\d+)-(\d+)$/;

/** Parses a client's version; `field` names it in the INVALID_ARGUMENT when malformed. */
export function parseVersion(text: string, field: string): EntityVersion {
  const m = VERSION_PATTERN.exec(text);
  if (!m)
    throw AppError.invalid(field, `"${text}" is not an entity version <config>-<desiredState>-<workflow>`);
  return { config: Number(m[1]), desiredState: Number(m[2]), workflow: Number(m[3]) };
}

export const sameVersion = (a: EntityVersion, b: EntityVersion): boolean =>
  a.config === b.config && a.desiredState === b.desiredState && a.workflow === b.workflow;

/** Throws ABORTED "unexpected entity version" unless `given` is the job's current version. */
export function expectVersion(current: EntityVersion, given: EntityVersion): void {
  if (!sameVersion(current, given)) {
    throw AppError.aborted(
      `unexpected entity version: job is at ${formatVersion(current)}, request has ${formatVersion(given)}`,
    );
  }
}
