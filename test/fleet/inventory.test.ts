import { describe, expect, it } from "vitest";
import { EXCLUSIVE_LABEL } from "../../src/domain/host.js";
import { DEFAULT_HOST_SIZES, defaultFleet } from "../../src/fleet/default-fleet.js";
import { zoneName } from "../../src/fleet/host-groups.js";
import { parseFleetFile } from "../../src/fleet/parse-fleet-file.js";
import { AppError } from "../../src/lib/app-error.js";

const label = (h: { labels: readonly { key: string; value: string }[] }, key: string) =>
  h.labels.find((l) => l.key === key)?.value;

describe("defaultFleet", () => {
  it("names, sizes and spreads hosts over zones and racks", () => {
    const hosts = defaultFleet(70);
    expect(hosts.map((h) => h.hostname).slice(0, 3)).toEqual(["host-0000", "host-0001", "host-0002"]);
    expect(new Set(hosts.map((h) => h.hostname)).size).toBe(70);
    expect(new Set(hosts.map((h) => h.ip)).size).toBe(70);
    expect(hosts.slice(0, 4).map((h) => label(h, "zone"))).toEqual(["zone-a", "zone-b", "zone-c", "zone-a"]);
    expect(label(hosts[0]!, "rack")).toBe("zone-a-rack-00");
    expect(label(hosts[60]!, "rack")).toBe("zone-a-rack-01");
    expect(hosts[0]!.capacity).toEqual(DEFAULT_HOST_SIZES.standard);
    expect(hosts[3]!.capacity).toEqual(DEFAULT_HOST_SIZES.large);
    expect(hosts[7]!.capacity.gpu).toBe(4);
    expect(hosts[0]!.ports).toEqual({ begin: 31000, end: 32000 });
  });

  it("widens host numbers for big fleets and refuses bad counts", () => {
    const hosts = defaultFleet(50_000);
    expect(hosts.at(-1)!.hostname).toBe("host-49999");
    expect(defaultFleet(10_001).at(-1)!.hostname).toBe("host-10000");
    expect(defaultFleet(0)).toEqual([]);
    expect(() => defaultFleet(-1)).toThrow("count: must be an integer >= 0");
    expect(() => defaultFleet(2.5)).toThrow(AppError);
  });

  it("names zones past z", () => {
    expect([0, 25, 26, 27].map(zoneName)).toEqual(["zone-a", "zone-z", "zone-aa", "zone-ab"]);
  });
});

describe("parseFleetFile", () => {
  it("expands host groups with defaults, zone spread, racks, labels and the exclusive label", () => {
    const hosts = parseFleetFile(
      JSON.stringify({
        description: "test fleet",
        hostGroups: [
          { count: 5, capacity: { cpu: 8, memory: 16384 }, zones: ["zone-a", "zone-b"], hostsPerRack: 2 },
          {
            count: 2,
            namePrefix: "gpu-",
            capacity: { cpu: 64, memory: 262144, disk: 1000, gpu: 8 },
            ports: { begin: 40000, end: 40100 },
            labels: { team: "ml" },
            exclusive: "ml",
          },
          { count: 1, capacity: { cpu: 1, memory: 1 }, zones: ["zone-a"] },
        ],
      }),
    );
    expect(hosts.map((h) => h.hostname)).toEqual([
      "host-0000",
      "host-0001",
      "host-0002",
      "host-0003",
      "host-0004",
      "gpu-0000",
      "gpu-0001",
      "host-0005",
    ]);
    expect(hosts.slice(0, 5).map((h) => [label(h, "zone"), label(h, "rack")])).toEqual([
      ["zone-a", "zone-a-rack-00"],
      ["zone-b", "zone-b-rack-00"],
      ["zone-a", "zone-a-rack-00"],
      ["zone-b", "zone-b-rack-00"],
      ["zone-a", "zone-a-rack-01"],
    ]);
    expect(hosts[0]!.capacity).toEqual({ cpu: 8, memory: 16384, disk: 0, gpu: 0 });
    expect(hosts[0]!.ports).toEqual({ begin: 31000, end: 32000 });
    expect(hosts[5]).toMatchObject({ ports: { begin: 40000, end: 40100 } });
    expect(label(hosts[5]!, "team")).toBe("ml");
    expect(label(hosts[5]!, EXCLUSIVE_LABEL)).toBe("ml");
    expect(label(hosts[0]!, EXCLUSIVE_LABEL)).toBeUndefined();
    // Later groups in zone-a (the default zone) get racks of their own.
    expect(label(hosts[5]!, "rack")).toBe("zone-a-rack-02");
    expect(label(hosts[7]!, "rack")).toBe("zone-a-rack-03");
  });

  const violations = (text: string) => {
    try {
      parseFleetFile(text);
    } catch (e) {
      if (e instanceof AppError) {
        expect(e.code).toBe("INVALID_ARGUMENT");
        return e.violations.map((v) => `${v.field}: ${v.description}`);
      }
      throw e;
    }
    throw new Error("expected the fleet file to be refused");
  };
  const group = (g: Record<string, unknown>) => JSON.stringify({ hostGroups: [g] });
  const cap = { cpu: 4, memory: 1024 };

  it.each([
    ["{", /^\$: not valid JSON/],
    ["[]", /^\$: must be an object with a hostGroups array, got an array/],
    ["{}", /^hostGroups: must be a non-empty array, got nothing/],
    [JSON.stringify({ hostGroups: [], extra: 1 }), /^\$\.extra: unknown field/],
    [JSON.stringify({ hostGroups: [3] }), /^hostGroups\[0\]: must be an object, got number 3/],
    [group({ capacity: cap }), /^hostGroups\[0\]\.count: is required/],
    [
      group({ count: 0, capacity: cap }),
      /^hostGroups\[0\]\.count: must be an integer from 1 to 1000000, got number 0/,
    ],
    [group({ count: 1.5, capacity: cap }), /^hostGroups\[0\]\.count: must be an integer/],
    [group({ count: 1 }), /^hostGroups\[0\]\.capacity: is required/],
    [group({ count: 1, capacty: cap }), /^hostGroups\[0\]\.capacty: unknown field \(expected one of count, /],
    [group({ count: 1, capacity: { cpu: 4 } }), /^hostGroups\[0\]\.capacity\.memory: is required/],
    [
      group({ count: 1, capacity: { ...cap, gpu: -1 } }),
      /^hostGroups\[0\]\.capacity\.gpu: must be a number >= 0/,
    ],
    [
      group({ count: 1, capacity: { ...cap, cpu: "4" } }),
      /^hostGroups\[0\]\.capacity\.cpu: must be a number > 0, got string "4"/,
    ],
    [group({ count: 1, capacity: { ...cap, tpu: 1 } }), /^hostGroups\[0\]\.capacity\.tpu: unknown field/],
    [
      group({ count: 1, capacity: cap, ports: { begin: 100, end: 50 } }),
      /^hostGroups\[0\]\.ports\.end: must be >= begin \(100\)/,
    ],
    [
      group({ count: 1, capacity: cap, ports: { begin: 0, end: 50 } }),
      /^hostGroups\[0\]\.ports\.begin: must be an integer from 1 to 65535/,
    ],
    [group({ count: 1, capacity: cap, zones: [] }), /^hostGroups\[0\]\.zones: must be a non-empty array/],
    [
      group({ count: 1, capacity: cap, zones: ["a", "a"] }),
      /^hostGroups\[0\]\.zones\[1\]: duplicate zone "a"/,
    ],
    [
      group({ count: 1, capacity: cap, hostsPerRack: 0 }),
      /^hostGroups\[0\]\.hostsPerRack: must be an integer from 1/,
    ],
    [
      group({ count: 1, capacity: cap, labels: { zone: "x" } }),
      /^hostGroups\[0\]\.labels\.zone: reserved label \(use zones\)/,
    ],
    [
      group({ count: 1, capacity: cap, labels: { team: 7 } }),
      /^hostGroups\[0\]\.labels\.team: must be a string, got number 7/,
    ],
    [
      group({ count: 1, capacity: cap, exclusive: "" }),
      /^hostGroups\[0\]\.exclusive: must be a non-empty string/,
    ],
    [
      group({ count: 1, capacity: cap, namePrefix: "-bad" }),
      /^hostGroups\[0\]\.namePrefix: must be letters, digits/,
    ],
  ])("refuses %s", (text, expected) => {
    expect(violations(text)[0]).toMatch(expected);
  });

  it("reports every bad field at once, in the error message too", () => {
    const text = JSON.stringify({
      hostGroups: [
        { count: 1, capacity: cap },
        { count: -2, capacity: { cpu: 0, memory: 1 } },
      ],
    });
    expect(violations(text)).toEqual([
      "hostGroups[1].count: must be an integer from 1 to 1000000, got number -2",
      "hostGroups[1].capacity.cpu: must be a number > 0, got number 0",
    ]);
    expect(() => parseFleetFile(text)).toThrow(
      "invalid fleet file: hostGroups[1].count: must be an integer from 1 to 1000000, got number -2; hostGroups[1].capacity.cpu",
    );
  });

  it("refuses more than a million hosts in total", () => {
    const text = JSON.stringify({
      hostGroups: [
        { count: 600_000, capacity: cap },
        { count: 600_000, capacity: cap },
      ],
    });
    expect(violations(text)).toEqual(["hostGroups: describe 1200000 hosts; at most 1000000 allowed"]);
  });
});
