import { describe, expect, it } from "vitest";
import { JOB_GOALS, JOB_STATES } from "../../../../src/domain/job.js";
import { JOB_ACTION_TABLE, JOB_ACTIONS, jobActionFor } from "../../../../src/engine/kinds/job/rules.js";

describe("the job rules table", () => {
  it("names an action that exists for every goal and state", () => {
    expect(Object.keys(JOB_ACTION_TABLE).sort()).toEqual([...JOB_GOALS].sort());
    for (const goal of JOB_GOALS) {
      expect(Object.keys(JOB_ACTION_TABLE[goal]).sort()).toEqual([...JOB_STATES].sort());
      for (const state of JOB_STATES) expect(JOB_ACTIONS).toHaveProperty(jobActionFor(goal, state));
    }
  });

  it("runs a job meant to run, stops one meant to stop or go, and has no rule for states a job never has", () => {
    for (const state of [
      "INITIALIZED",
      "PENDING",
      "RUNNING",
      "KILLING",
      "KILLED",
      "SUCCEEDED",
      "FAILED",
    ] as const) {
      expect(jobActionFor("RUNNING", state)).toBe("run");
      expect(jobActionFor("KILLED", state)).toBe("stop");
      expect(jobActionFor("DELETED", state)).toBe("stop");
    }
    for (const goal of JOB_GOALS) {
      expect(jobActionFor(goal, "UNINITIALIZED")).toBe("invalid");
      expect(jobActionFor(goal, "DELETED")).toBe("invalid");
    }
    expect(JOB_ACTIONS.invalid({} as never)).toEqual({ newPods: [], more: false });
  });
});
