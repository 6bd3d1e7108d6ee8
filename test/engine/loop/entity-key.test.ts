import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeKey,
  type EntityKey,
  encodeKey,
  hostKey,
  jobKey,
  type KeyString,
  podKey,
  workflowKey,
} from "../../../src/engine/loop/entity-key.js";

const jobId = fc.oneof(fc.uuid(), fc.string({ maxLength: 40 }));
/** Hostnames as agents give them, colons (host:port, IPv6) and all. */
const hostname = fc.oneof(fc.domain(), fc.ipV6(), fc.string({ maxLength: 40 }), fc.constant("a:b::c:"));

const entityKey: fc.Arbitrary<EntityKey> = fc.oneof(
  jobId.map((id) => ({ kind: "job" as const, jobId: id })),
  fc.record({ kind: fc.constant("pod" as const), jobId, instance: fc.nat() }),
  jobId.map((id) => ({ kind: "workflow" as const, jobId: id })),
  hostname.map((h) => ({ kind: "host" as const, hostname: h })),
);

describe("entity keys", () => {
  it("decode what they encode, for every kind of key", () => {
    fc.assert(
      fc.property(entityKey, (k) => {
        expect(decodeKey(encodeKey(k))).toEqual(k);
      }),
      { numRuns: 500 },
    );
  });

  it("encode distinct keys as distinct strings", () => {
    fc.assert(
      fc.property(entityKey, entityKey, (a, b) => {
        fc.pre(JSON.stringify(a) !== JSON.stringify(b));
        expect(encodeKey(a)).not.toBe(encodeKey(b));
      }),
      { numRuns: 500 },
    );
  });

  it("are short strings with a kind prefix", () => {
    expect([jobKey("j"), podKey("j", 3), workflowKey("j"), hostKey("h:1")]).toEqual([
      "j:j",
      "p:j:3",
      "w:j",
      "h:h:1",
    ]);
    expect(decodeKey(podKey("a:b", 12))).toEqual({ kind: "pod", jobId: "a:b", instance: 12 });
  });

  it("refuse to decode a string that is not a key", () => {
    expect(() => decodeKey("x:y" as KeyString)).toThrow("not an entity key: x:y");
  });
});
