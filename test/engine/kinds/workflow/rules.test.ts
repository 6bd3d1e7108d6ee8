import { describe, expect, it } from "vitest";
import { WORKFLOW_STATES } from "../../../../src/domain/workflow.js";
import {
  WORKFLOW_ACTION_TABLE,
  WORKFLOW_ACTIONS,
  type WorkflowGoal,
  workflowActionFor,
} from "../../../../src/engine/kinds/workflow/rules.js";
import { workflowContext } from "../../support/workflow-context.js";

const GOALS: readonly WorkflowGoal[] = ["roll", "hold"];

describe("the workflow rules table", () => {
  it("names an action that exists for every goal and workflow state", () => {
    expect(Object.keys(WORKFLOW_ACTION_TABLE).sort()).toEqual([...GOALS].sort());
    for (const goal of GOALS) {
      expect(Object.keys(WORKFLOW_ACTION_TABLE[goal]).sort()).toEqual([...WORKFLOW_STATES].sort());
      for (const state of WORKFLOW_STATES)
        expect(WORKFLOW_ACTIONS).toHaveProperty(workflowActionFor(goal, state));
    }
  });

  it("rolls only an active, unpaused workflow of a job meant to run; tracks the others; ended ones are done", () => {
    for (const state of ["INITIALIZED", "ROLLING_FORWARD", "ROLLING_BACKWARD"] as const) {
      expect(workflowActionFor("roll", state)).toBe("roll");
      expect(workflowActionFor("hold", state)).toBe("track");
    }
    expect(workflowActionFor("roll", "PAUSED")).toBe("track");
    for (const state of ["SUCCEEDED", "ABORTED", "FAILED", "ROLLED_BACK"] as const)
      for (const goal of GOALS) expect(workflowActionFor(goal, state)).toBe("done");
    expect(WORKFLOW_ACTIONS.done(workflowContext())).toEqual({ create: [], more: false });
  });
});
