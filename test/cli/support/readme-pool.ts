import type {
  CreateResourcePoolRequest,
  DeepPartial,
} from "../../../src/gen/peloton/api/v1alpha/respool/svc/respool_svc.js";

/** The README's pool /web (id `web`: cpu 4 reserved of 8, memory 4096 of 8192), made through `respool`. */
export function createReadmePool(respool: {
  createResourcePool(request: DeepPartial<CreateResourcePoolRequest>): Promise<unknown>;
}): Promise<unknown> {
  return respool.createResourcePool({
    respoolId: { value: "web" },
    spec: {
      name: "web",
      parent: { value: "root" },
      resources: [
        { kind: "cpu", reservation: 4, limit: 8, share: 1 },
        { kind: "memory", reservation: 4096, limit: 8192, share: 1 },
      ],
    },
  });
}
