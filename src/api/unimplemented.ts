import { ServerError, Status } from "nice-grpc";

interface MethodShape {
  readonly name: string;
  readonly responseStream: boolean;
}
interface DefinitionShape {
  readonly name: string;
  readonly methods: Readonly<Record<string, MethodShape>>;
}

/**
 * Completes a service implementation: every method `impl` lacks answers UNIMPLEMENTED with
 * "<Service>.<Method> is not implemented yet" (streaming methods as a stream that fails).
 */
export function withUnimplemented<Impl extends object>(
  definition: DefinitionShape,
  impl: Partial<Impl>,
): Impl {
  const full: Record<string, unknown> = { ...impl };
  for (const [key, method] of Object.entries(definition.methods)) {
    if (key in full) continue;
    const error = () =>
      new ServerError(Status.UNIMPLEMENTED, `${definition.name}.${method.name} is not implemented yet`);
    full[key] = method.responseStream
      ? // biome-ignore lint/correctness/useYield: the stream fails before its first message
        async function* () {
          throw error();
        }
      : async () => {
          throw error();
        };
  }
  return full as Impl;
}
