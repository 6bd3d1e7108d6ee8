/**
 * What the engine reconciles: jobs, their pods and workflows, and hosts. A key is held in the
 * deadline queue encoded as a short string (`j:<job>`, `p:<job>:<instance>`, `w:<job>`,
 * `h:<hostname>`); encode and decode are total over the keys the engine makes.
 */
export type EntityKey =
  | { readonly kind: "job"; readonly jobId: string }
  | { readonly kind: "pod"; readonly jobId: string; readonly instance: number }
  | { readonly kind: "workflow"; readonly jobId: string }
  | { readonly kind: "host"; readonly hostname: string };

export type EntityKind = EntityKey["kind"];

/** An encoded EntityKey. */
export type KeyString = string & { readonly __entityKey: unique symbol };

export const jobKey = (jobId: string) => `j:${jobId}` as KeyString;
export const podKey = (jobId: string, instance: number) => `p:${jobId}:${instance}` as KeyString;
export const workflowKey = (jobId: string) => `w:${jobId}` as KeyString;
export const hostKey = (hostname: string) => `h:${hostname}` as KeyString;

export function encodeKey(k: EntityKey): KeyString {
  switch (k.kind) {
    case "job":
      return jobKey(k.jobId);
    case "pod":
      return podKey(k.jobId, k.instance);
    case "workflow":
      return workflowKey(k.jobId);
    case "host":
      return hostKey(k.hostname);
  }
}

/** The key a string encodes. Job ids are UUIDs (no colon); a hostname is everything after `h:`. */
export function decodeKey(s: KeyString): EntityKey {
  const body = s.slice(2);
  switch (s[0]) {
    case "j":
      return { kind: "job", jobId: body };
    case "w":
      return { kind: "workflow", jobId: body };
    case "h":
      return { kind: "host", hostname: body };
    case "p": {
      const colon = body.lastIndexOf(":");
      return { kind: "pod", jobId: body.slice(0, colon), instance: Number(body.slice(colon + 1)) };
    }
    default:
      throw new Error(`not an entity key: ${s.slice(0, 40)}`);
  }
}
