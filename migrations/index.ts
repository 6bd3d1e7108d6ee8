import type { Migration } from "kysely";
import * as initial from "./0001-initial.js";
import * as podTemplates from "./0002-pod-templates.js";
import * as volumePerInstance from "./0003-volume-per-instance.js";
import * as podWritePath from "./0004-pod-write-path.js";
import * as createSpecInWorkflow from "./0005-create-spec-in-workflow.js";
import * as oneWritePath from "./0006-one-write-path.js";

/**
 * Every migration, in order. Listed statically (rather than read from the folder) so that the
 * same code runs under tsx, vitest and a bundler. Names sort in the order they must run.
 */
export const migrations: Record<string, Migration> = {
  "0001-initial": initial,
  "0002-pod-templates": podTemplates,
  "0003-volume-per-instance": volumePerInstance,
  "0004-pod-write-path": podWritePath,
  "0005-create-spec-in-workflow": createSpecInWorkflow,
  "0006-one-write-path": oneWritePath,
};
