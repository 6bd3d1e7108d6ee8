import type { DescMessage } from "@bufbuild/protobuf";
import type { MessageCodec } from "./proto-json.js";
import { messageDescriptor, methodDescriptor } from "./proto-registry.js";

/** A generated message type with its descriptor: enough to read it from and write it as JSON or YAML. */
export interface MessageType<T> {
  readonly codec: MessageCodec<T>;
  readonly desc: DescMessage;
}

interface ServiceDefinition {
  readonly fullName: string;
  readonly methods: Readonly<Record<string, { readonly name: string; readonly responseType: unknown }>>;
}

type Decoded<C> = C extends { decode(input: Uint8Array, length?: number): infer T } ? T : never;

/** The reply type of a service's method, e.g. `replyType(JobServiceDefinition, "getJob")`. */
export function replyType<D extends ServiceDefinition, K extends keyof D["methods"] & string>(
  definition: D,
  key: K,
): MessageType<Decoded<D["methods"][K]["responseType"]>> {
  const method = definition.methods[key]!;
  return {
    codec: method.responseType as MessageCodec<Decoded<D["methods"][K]["responseType"]>>,
    desc: methodDescriptor(definition.fullName, method.name).output,
  };
}

/** A message type by its full proto name, e.g. ("peloton.api.v1alpha.job.stateless.JobSpec", JobSpec). */
export function messageType<T>(typeName: string, codec: MessageCodec<T>): MessageType<T> {
  return { codec, desc: messageDescriptor(typeName) };
}
