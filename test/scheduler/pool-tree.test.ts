import { describe, expect, it } from "vitest";
import { AppError } from "../../src/lib/app-error.js";
import { buildPoolTree, isLeaf } from "../../src/scheduler/pool-tree.js";
import { cpuPool } from "./pool-fixtures.js";

describe("buildPoolTree", () => {
  it("hangs parentless pools off the root and lists parents before children", () => {
    const tree = buildPoolTree([cpuPool("b1", 1, { parentId: "b" }), cpuPool("a", 1), cpuPool("b", 2)]);
    expect(tree.nodes.get("root")!.children).toEqual(["a", "b"]);
    expect(tree.nodes.get("b")!.children).toEqual(["b1"]);
    expect(tree.topDown).toEqual(["root", "a", "b", "b1"]);
    expect([isLeaf(tree, "a"), isLeaf(tree, "b"), isLeaf(tree, "b1"), isLeaf(tree, "root")]).toEqual([
      true,
      false,
      true,
      false,
    ]);
  });

  it("fills in kinds a record leaves out: no reservation, no limit, share 1", () => {
    const a = buildPoolTree([cpuPool("a", 3, { limit: 5 })]).nodes.get("a")!;
    expect(a.reservation).toEqual({ cpu: 3, memory: 0, disk: 0, gpu: 0 });
    expect(a.limit.cpu).toBe(5);
    expect(a.limit.memory).toBe(Number.POSITIVE_INFINITY);
    expect(a.spec.gpu).toEqual({
      reservation: 0,
      limit: Number.POSITIVE_INFINITY,
      share: 1,
      type: "ELASTIC",
    });
  });

  it("ignores a record for the root itself", () => {
    const tree = buildPoolTree([{ id: "root", resources: {} }, cpuPool("a", 1, { parentId: "root" })]);
    expect(tree.nodes.get("root")!.children).toEqual(["a"]);
  });

  it.each([
    ["duplicate ids", [cpuPool("a", 1), cpuPool("a", 2)], "pool a: duplicate pool id"],
    ["an unknown parent", [cpuPool("a", 1, { parentId: "nope" })], "pool a: parent nope does not exist"],
    [
      "a cycle",
      [cpuPool("a", 1, { parentId: "b" }), cpuPool("b", 1, { parentId: "a" })],
      "pool a: its parents form a cycle",
    ],
  ])("rejects %s with INVALID_ARGUMENT", (_, records, message) => {
    const err = (() => {
      try {
        buildPoolTree(records);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("INVALID_ARGUMENT");
    expect((err as AppError).message).toBe(message);
  });
});
