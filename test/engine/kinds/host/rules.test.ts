import { describe, expect, it } from "vitest";
import { HOST_GOALS, HOST_STATES } from "../../../../src/domain/host.js";
import { HOST_ACTION_TABLE, HOST_ACTIONS, hostActionFor } from "../../../../src/engine/kinds/host/rules.js";
import { hostContext } from "../../support/host-context.js";

describe("the host rules table", () => {
  it("names an action that exists for every goal and state", () => {
    expect(Object.keys(HOST_ACTION_TABLE).sort()).toEqual([...HOST_GOALS].sort());
    for (const goal of HOST_GOALS) {
      expect(Object.keys(HOST_ACTION_TABLE[goal]).sort()).toEqual([...HOST_STATES].sort());
      for (const state of HOST_STATES) expect(HOST_ACTIONS).toHaveProperty(hostActionFor(goal, state));
    }
  });

  it("has no rule for a host that should be UP but is half way through maintenance, or UNKNOWN", () => {
    for (const goal of HOST_GOALS) expect(hostActionFor(goal, "UNKNOWN")).toBe("invalid");
    expect(hostActionFor("UP", "DRAINING")).toBe("invalid");
    expect(hostActionFor("UP", "DRAINED")).toBe("invalid");
    expect(HOST_ACTIONS.invalid(hostContext("DRAINING", "UP"))).toEqual({});
    expect(HOST_ACTIONS.done(hostContext("UP", "UP"))).toEqual({});
  });
});
