import { describe, expect, it } from "vitest";
import { andConstraint, labelConstraint, orConstraint } from "../../../src/domain/constraints.js";
import { EXCLUSIVE_LABEL } from "../../../src/domain/host.js";
import { place } from "../../../src/scheduler/placement/place.js";
import type { PlacementStrategy } from "../../../src/scheduler/placement/placement-strategy.js";
import { host, outcome, pod } from "./harness.js";

const hostLabel = (
  key: string,
  value: string,
  condition: "less_than" | "equal" | "greater_than" = "equal",
  n = 1,
) => labelConstraint("host", { key, value }, condition, n);
const podLabel = (key: string, value: string, condition: "less_than" | "equal" | "greater_than", n: number) =>
  labelConstraint("pod", { key, value }, condition, n);

describe("place: feasibility", () => {
  it("uses only UP hosts", () => {
    const hosts = [host("down", { state: "DOWN" }), host("draining", { state: "DRAINING" }), host("up")];
    expect(outcome(place(hosts, [pod("p")]))).toEqual({ p: "up" });
  });

  it("needs room in every kind", () => {
    const hosts = [
      host("no-cpu", { used: { cpu: 7 } }),
      host("no-memory", { used: { memory: 8000 } }),
      host("no-gpu", { gpu: 0 }),
      host("fits", { gpu: 2, used: { cpu: 4 } }),
    ];
    expect(outcome(place(hosts, [pod("p", { cpu: 2, memory: 500, gpu: 1 })]))).toEqual({ p: "fits" });
  });

  it("sees earlier pods of the batch: resources run out", () => {
    // One 8-cpu host: 3 + 3 fit, the third 3 does not.
    const plan = place([host("h")], [pod("a", { cpu: 3 }), pod("b", { cpu: 3 }), pod("c", { cpu: 3 })]);
    expect(outcome(plan)).toEqual({ a: "h", b: "h", c: "cpu exhausted on 1 host" });
  });

  it("hands out static ports only when free and in range, dynamic ones from the range", () => {
    const hosts = [host("h1", { ports: { begin: 31000, end: 31004 }, usedPorts: [31000, 31002] })];
    const plan = place(hosts, [
      pod("taken", { staticPorts: { http: 31000 } }),
      pod("outside", { staticPorts: { http: 80 } }),
      pod("static", { staticPorts: { http: 31001 } }),
      pod("dynamic", { dynamicPorts: 1 }),
      pod("none-left", { dynamicPorts: 1 }),
    ]);
    expect(outcome(plan)).toEqual({
      taken: "ports unavailable on 1 host",
      outside: "ports unavailable on 1 host",
      static: "h1",
      dynamic: "h1",
      "none-left": "ports unavailable on 1 host",
    });
    expect(plan.placements.find((p) => p.podId === "dynamic")!.dynamicPorts).toEqual([31003]);
    expect(plan.placements.find((p) => p.podId === "static")!.dynamicPorts).toEqual([]);
  });

  it("assigns distinct dynamic ports across the batch", () => {
    const plan = place(
      [host("h", { ports: { begin: 100, end: 105 }, usedPorts: [101] })],
      [pod("a", { dynamicPorts: 2 }), pod("b", { dynamicPorts: 2 })],
    );
    expect(plan.placements.map((p) => p.dynamicPorts)).toEqual([
      [100, 102],
      [103, 104],
    ]);
  });

  it("sends GPU pods to GPU hosts", () => {
    const hosts = [host("plain-1"), host("plain-2"), host("gpu", { gpu: 4 })];
    expect(outcome(place(hosts, [pod("p", { gpu: 1 }), pod("q")]))).toMatchObject({ p: "gpu" });
  });
});

describe("place: label constraints", () => {
  const zoned = [
    host("a1", { labels: { zone: "a", rack: "r1" } }),
    host("a2", { labels: { zone: "a", rack: "r2" } }),
    host("b1", { labels: { zone: "b", rack: "r1" } }),
    host("c1", { labels: { zone: "c", rack: "r3" } }),
  ];

  it("matches host labels", () => {
    expect(outcome(place(zoned, [pod("p", { constraint: hostLabel("zone", "b") })]))).toEqual({ p: "b1" });
  });

  it("treats the hostname as a host label", () => {
    expect(outcome(place(zoned, [pod("p", { constraint: hostLabel("hostname", "c1") })]))).toEqual({
      p: "c1",
    });
  });

  it("combines with AND and OR", () => {
    const plan = place(zoned, [
      pod("and", { constraint: andConstraint(hostLabel("zone", "a"), hostLabel("rack", "r2")) }),
      pod("or", { constraint: orConstraint(hostLabel("zone", "c"), hostLabel("zone", "z")) }),
      pod("not-a", { constraint: hostLabel("zone", "a", "less_than", 1), cpu: 8 }),
    ]);
    expect(outcome(plan)).toMatchObject({ and: "a2", or: "c1" });
    expect(["b1", "c1"]).toContain(outcome(plan)["not-a"]);
  });

  it("counts labels of pods on the host, including pods placed earlier in the batch (anti-affinity)", () => {
    // Two hosts; at most one web pod per host: the third web pod finds none.
    const spreadWeb = podLabel("app", "web", "less_than", 1);
    const plan = place(
      [host("h1"), host("h2")],
      [
        pod("web-1", { labels: { app: "web" }, constraint: spreadWeb }),
        pod("web-2", { labels: { app: "web" }, constraint: spreadWeb }),
        pod("web-3", { labels: { app: "web" }, constraint: spreadWeb }),
      ],
    );
    const o = outcome(plan);
    expect(new Set([o["web-1"], o["web-2"]])).toEqual(new Set(["h1", "h2"]));
    expect(o["web-3"]).toBe("constraint pod app=web < 1 on 2 hosts");
  });

  it("compares the count with the requirement", () => {
    // At most two web pods per host (< 2): four fit on two hosts, the fifth does not.
    const two = podLabel("app", "web", "less_than", 2);
    const plan = place(
      [host("h1"), host("h2")],
      ["w1", "w2", "w3", "w4", "w5"].map((id) => pod(id, { labels: { app: "web" }, constraint: two })),
    );
    const placed = plan.placements.map((p) => p.hostname).sort();
    expect(placed).toEqual(["h1", "h1", "h2", "h2"]);
    expect(plan.unplaced.map((u) => u.podId)).toEqual(["w5"]);
  });

  it("follows pods already on a host and pods placed earlier (affinity)", () => {
    const nearDb = podLabel("app", "db", "greater_than", 0);
    const hosts = [host("h1"), host("h2", { podLabels: { app: "db" } }), host("h3")];
    const plan = place(hosts, [
      pod("cache", { constraint: nearDb }),
      pod("db-2", { labels: { app: "db" }, constraint: hostLabel("hostname", "h3") }),
      pod("cache-2", { constraint: andConstraint(nearDb, hostLabel("hostname", "h2", "less_than", 1)) }),
    ]);
    expect(outcome(plan)).toEqual({ cache: "h2", "db-2": "h3", "cache-2": "h3" });
  });

  it("looks again for a pod whose affinity an earlier pod of the batch satisfies", () => {
    // cache-1 finds no db pod anywhere; db is placed; cache-2 (identical to cache-1) then follows it.
    const nearDb = podLabel("app", "db", "greater_than", 0);
    const plan = place(
      [host("h1"), host("h2")],
      [
        pod("cache-1", { constraint: nearDb }),
        pod("db", { labels: { app: "db" }, desiredHost: "h2" }),
        pod("cache-2", { constraint: nearDb }),
      ],
    );
    expect(outcome(plan)).toEqual({
      "cache-1": "constraint pod app=db > 0 on 2 hosts",
      db: "h2",
      "cache-2": "h2",
    });
  });

  it("keeps exclusive hosts for pods that ask for them", () => {
    const hosts = [
      host("shared", { used: { cpu: 8 } }),
      host("vip", { labels: { [EXCLUSIVE_LABEL]: "team-x" } }),
    ];
    const plan = place(hosts, [
      pod("plain"),
      pod("wrong", { constraint: hostLabel(EXCLUSIVE_LABEL, "team-y") }),
      pod("asks", { constraint: hostLabel(EXCLUSIVE_LABEL, "team-x") }),
    ]);
    expect(outcome(plan)).toEqual({
      plain: "cpu exhausted on 1 host; exclusive host (peloton/exclusive=team-x) on 1 host",
      wrong: "cpu exhausted on 1 host; exclusive host (peloton/exclusive=team-x) on 1 host",
      asks: "vip",
    });
  });
});

describe("place: choice of host", () => {
  const hosts = () => [
    host("busy", { used: { cpu: 5, memory: 5000 } }),
    host("idle"),
    host("half", { used: { cpu: 4, memory: 4096 } }),
  ];

  it("packs by default: the most-used host that fits", () => {
    expect(outcome(place(hosts(), [pod("p", { cpu: 2, memory: 100 })]))).toEqual({ p: "busy" });
  });

  it("spreads when asked: the least-used host", () => {
    expect(outcome(place(hosts(), [pod("p", { cpu: 2, memory: 100 })], { strategy: "spread" }))).toEqual({
      p: "idle",
    });
  });

  it("packs a batch onto as few hosts as it can, and spreads it evenly", () => {
    const batch = ["a", "b", "c", "d"].map((id) => pod(id, { cpu: 2 }));
    const count = (names: string[]) => {
      const m: Record<string, number> = {};
      for (const n of names) m[n] = (m[n] ?? 0) + 1;
      return m;
    };
    const packed = place([host("h1"), host("h2")], batch).placements.map((p) => p.hostname);
    expect(Object.values(count(packed))).toEqual([4]);
    const spread = place([host("h1"), host("h2")], batch, { strategy: "spread" }).placements.map(
      (p) => p.hostname,
    );
    expect(count(spread)).toEqual({ h1: 2, h2: 2 });
  });

  it("takes a custom strategy", () => {
    // Prefers the host with the most memory free after the placement, searching from the emptiest end.
    const mostMemory: PlacementStrategy = {
      name: "most-memory",
      searchFrom: "most-free",
      score: (free, _cap, base, request) => free[base + 1]! - request[1]!,
    };
    const hs = [host("small", { memory: 1000 }), host("big", { memory: 9000 })];
    expect(outcome(place(hs, [pod("p")], { strategy: mostMemory }))).toEqual({ p: "big" });
  });

  it("tries the desired host first, and falls back when it cannot take the pod", () => {
    const plan = place(hosts(), [
      pod("wants-idle", { cpu: 2, desiredHost: "idle" }),
      pod("wants-busy", { cpu: 4, desiredHost: "busy" }),
      pod("wants-ghost", { cpu: 1, desiredHost: "ghost" }),
    ]);
    const o = outcome(plan);
    expect(o["wants-idle"]).toBe("idle");
    expect(o["wants-busy"]).not.toBe("busy");
    expect(o["wants-ghost"]).toBeDefined();
  });
});

describe("place: a required host", () => {
  it("goes to its required host or nowhere, with that host's reason, even when others are emptier", () => {
    const hosts = [
      host("busy", { used: { cpu: 6 } }),
      host("idle"),
      host("down", { state: "DOWN" }),
      host("zone-b", { labels: { zone: "b" } }),
    ];
    const plan = place(
      hosts,
      [
        pod("on-busy", { cpu: 2, requiredHost: "busy" }),
        pod("busy-again", { cpu: 1, requiredHost: "busy" }),
        pod("on-down", { requiredHost: "down" }),
        pod("on-ghost", { requiredHost: "ghost" }),
        pod("wrong-zone", { requiredHost: "zone-b", constraint: hostLabel("zone", "a") }),
        pod("free", { cpu: 1 }),
      ],
      { strategy: "spread" },
    );
    expect(outcome(plan)).toEqual({
      "on-busy": "busy",
      "busy-again": "cpu exhausted on 1 host",
      "on-down": "host DOWN on 1 host",
      "on-ghost": "host unknown on 1 host",
      "wrong-zone": "constraint host zone=a = 1 on 1 host",
      free: "idle",
    });
  });

  it("overrules the desired host", () => {
    const plan = place([host("a"), host("b")], [pod("p", { desiredHost: "a", requiredHost: "b" })]);
    expect(outcome(plan)).toEqual({ p: "b" });
  });
});

describe("place: unplaced reasons", () => {
  it("counts each host under its first failing filter, most common first", () => {
    const hosts = [
      host("down", { state: "DOWN", labels: { zone: "a" } }),
      host("full-1", { used: { cpu: 8 }, labels: { zone: "a" } }),
      host("full-2", { used: { cpu: 8 }, labels: { zone: "b" } }),
      host("wrong-zone", { labels: { zone: "b" } }),
    ];
    const plan = place(hosts, [pod("p", { constraint: hostLabel("zone", "a") })]);
    expect(plan.unplaced).toEqual([
      {
        podId: "p",
        reasons: [
          { reason: "cpu exhausted", hosts: 2 },
          { reason: "constraint host zone=a = 1", hosts: 1 },
          { reason: "host DOWN", hosts: 1 },
        ],
        message: "cpu exhausted on 2 hosts; constraint host zone=a = 1 on 1 host; host DOWN on 1 host",
      },
    ]);
  });

  it("names the failing member of an AND", () => {
    const plan = place(
      [host("h", { labels: { zone: "a" } })],
      [pod("p", { constraint: andConstraint(hostLabel("zone", "a"), hostLabel("rack", "r9")) })],
    );
    expect(plan.unplaced[0]!.message).toBe("constraint host rack=r9 = 1 on 1 host");
  });

  it("says so when there are no hosts", () => {
    expect(outcome(place([], [pod("p")]))).toEqual({ p: "no hosts" });
  });

  it("gives identical pods that cannot fit the same reasons", () => {
    const plan = place([host("h")], [pod("a", { cpu: 9 }), pod("b", { cpu: 9 })]);
    expect(plan.unplaced.map((u) => u.message)).toEqual([
      "cpu exhausted on 1 host",
      "cpu exhausted on 1 host",
    ]);
  });
});

describe("place: purity", () => {
  it("does not change the snapshot or the pods", () => {
    const hosts = [host("h", { usedPorts: [31000], podLabels: { app: "x" } })];
    const pods = [pod("p", { dynamicPorts: 2, labels: { app: "y" } })];
    const before = JSON.stringify({ hosts, pods });
    place(hosts, pods);
    expect(JSON.stringify({ hosts, pods })).toBe(before);
  });
});
