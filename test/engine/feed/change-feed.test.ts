import { describe, expect, it } from "vitest";
import { type ChangeSet, changeSet } from "../../../src/domain/change-set.js";
import type { CommittedChanges } from "../../../src/domain/committed-changes.js";
import { RuntimeCache } from "../../../src/engine/cache/runtime-cache.js";
import { ChangeFeed } from "../../../src/engine/feed/change-feed.js";
import { podKey } from "../../../src/engine/loop/entity-key.js";
import { jobRecord } from "../../support/commit.js";
import { podRuntime, podTemplate, TEST_JOB } from "../../support/records.js";
import { hostRecord } from "../support/host-context.js";

/** A cache holding TEST_JOB, as the feed reads it after a commit. */
function cacheWithJob(): RuntimeCache {
  const cache = new RuntimeCache();
  cache.load({
    revision: 1,
    jobs: [
      {
        job: jobRecord(TEST_JOB),
        templates: new Map([[1, { default: podTemplate(), instances: {} }]]),
        workflow: undefined,
      },
    ],
    pools: [],
    hosts: [],
    volumes: [],
  });
  return cache;
}

describe("the change feed", () => {
  it("calls its listeners in the order they subscribed, with the commit's revision and time", () => {
    const feed = new ChangeFeed(() => {});
    const calls: string[] = [];
    const seen: CommittedChanges[] = [];
    feed.subscribe(() => calls.push("first"));
    feed.subscribe((c) => {
      calls.push("second");
      seen.push(c);
    });
    const changes = changeSet({ hosts: [hostRecord("a", "UP", "UP")] });
    feed.publish(7, 1_234, changes, new RuntimeCache(), []);
    expect(calls).toEqual(["first", "second"]);
    expect(seen).toEqual([
      {
        revision: 7,
        at: 1_234,
        changes: [{ kind: "host", op: "upsert", host: hostRecord("a", "UP", "UP") }],
      },
    ]);
  });

  it("goes on to the others when a listener throws, and reports the error", () => {
    const errors: unknown[] = [];
    const feed = new ChangeFeed((e) => errors.push(e));
    const calls: string[] = [];
    feed.subscribe(() => {
      throw new Error("subscriber broke");
    });
    feed.subscribe(() => calls.push("after"));
    feed.publish(1, 0, changeSet({}), new RuntimeCache(), []);
    feed.publish(2, 0, changeSet({}), new RuntimeCache(), []);
    expect(calls).toEqual(["after", "after"]);
    expect(errors).toEqual([new Error("subscriber broke"), new Error("subscriber broke")]);
  });

  it("builds nothing when nobody listens, and stops calling a listener that unsubscribed", () => {
    const feed = new ChangeFeed(() => {});
    const untouchable = new Proxy({} as ChangeSet, {
      get() {
        throw new Error("the change set was read");
      },
    });
    expect(feed.listening).toBe(false);
    expect(() => feed.publish(1, 0, untouchable, new RuntimeCache(), [])).not.toThrow();
    const calls: number[] = [];
    const unsubscribe = feed.subscribe((c) => calls.push(c.revision));
    expect(feed.listening).toBe(true);
    feed.publish(2, 0, changeSet({}), new RuntimeCache(), []);
    unsubscribe();
    feed.publish(3, 0, changeSet({}), new RuntimeCache(), []);
    expect(calls).toEqual([2]);
    expect(feed.listening).toBe(false);
  });

  it("shows a job changed through its pods once, with its counts as committed, and pods that went", () => {
    const cache = cacheWithJob();
    const pods = [podRuntime(0, { state: "RUNNING" }), podRuntime(1)];
    const set = changeSet({ pods });
    cache.apply(set, 2);
    const seen: CommittedChanges[] = [];
    const feed = new ChangeFeed(() => {});
    feed.subscribe((c) => seen.push(c));
    feed.publish(2, 0, set, cache, [podKey(TEST_JOB, 5)]);
    expect(seen[0]?.changes).toEqual([
      {
        kind: "job",
        op: "upsert",
        job: jobRecord(TEST_JOB),
        podsByState: { RUNNING: 1, PENDING: 1 },
        podsByVersion: { 1: 2 },
        workflow: undefined,
      },
      { kind: "pod", op: "upsert", pod: pods[0] },
      { kind: "pod", op: "upsert", pod: pods[1] },
      { kind: "pod", op: "delete", jobId: TEST_JOB, instance: 5 },
    ]);
  });

  it("shows a deleted job as a deletion only, without its pods", () => {
    const cache = cacheWithJob();
    const set = changeSet({ pods: [podRuntime(0)], deleteJobs: [TEST_JOB] });
    const seen: CommittedChanges[] = [];
    const feed = new ChangeFeed(() => {});
    feed.subscribe((c) => seen.push(c));
    feed.publish(2, 0, set, cache, []);
    expect(seen[0]?.changes).toEqual([{ kind: "job", op: "delete", jobId: TEST_JOB }]);
  });
});
