import { createServer, type Server, type ServerMiddleware } from "nice-grpc";
import { errorDetailsServerMiddleware } from "nice-grpc-error-details";
import { HealthDefinition, HealthServiceImpl, type HealthState } from "nice-grpc-server-health";
import { ServerReflection, ServerReflectionService } from "nice-grpc-server-reflection";
import type { Logger } from "pino";
import {
  HostServiceDefinition,
  type HostServiceImplementation,
} from "../gen/peloton/api/v1alpha/host/svc/host_svc.js";
import {
  JobServiceDefinition,
  type JobServiceImplementation,
} from "../gen/peloton/api/v1alpha/job/stateless/svc/stateless_svc.js";
import {
  PodServiceDefinition,
  type PodServiceImplementation,
} from "../gen/peloton/api/v1alpha/pod/svc/pod_svc.js";
import {
  ResourcePoolServiceDefinition,
  type ResourcePoolServiceImplementation,
} from "../gen/peloton/api/v1alpha/respool/svc/respool_svc.js";
import {
  VolumeServiceDefinition,
  type VolumeServiceImplementation,
} from "../gen/peloton/api/v1alpha/volume/svc/volume_svc.js";
import {
  WatchServiceDefinition,
  type WatchServiceImplementation,
} from "../gen/peloton/api/v1alpha/watch/svc/watch_svc.js";
import { errorMiddleware } from "./error-middleware.js";
import { loggingMiddleware } from "./logging-middleware.js";
import { withUnimplemented } from "./unimplemented.js";

/** The six v1alpha services; methods left out answer UNIMPLEMENTED. */
export interface ApiImplementations {
  readonly job: Partial<JobServiceImplementation>;
  readonly pod: Partial<PodServiceImplementation>;
  readonly host: Partial<HostServiceImplementation>;
  readonly respool: Partial<ResourcePoolServiceImplementation>;
  readonly volume: Partial<VolumeServiceImplementation>;
  readonly watch: Partial<WatchServiceImplementation>;
}

export const API_SERVICE_NAMES = [
  JobServiceDefinition.fullName,
  PodServiceDefinition.fullName,
  HostServiceDefinition.fullName,
  ResourcePoolServiceDefinition.fullName,
  VolumeServiceDefinition.fullName,
  WatchServiceDefinition.fullName,
] as const;

const REFLECTION_V1ALPHA = "grpc.reflection.v1alpha.ServerReflection";

/**
 * The same reflection service under the older v1alpha name: its messages are identical on the
 * wire, and older grpcurl builds and other clients only speak v1alpha.
 */
const ServerReflectionV1Alpha = {
  serverReflectionInfo: {
    ...ServerReflectionService.serverReflectionInfo,
    path: `/${REFLECTION_V1ALPHA}/ServerReflectionInfo`,
  },
} as unknown as typeof ServerReflectionService;

export interface ApiServerOptions {
  readonly log: Logger;
  /** The FileDescriptorSet `buf build` wrote, served by reflection. */
  readonly descriptorSet: Uint8Array;
  readonly implementations: ApiImplementations;
  readonly health: HealthState;
  /** Run for every call between the logging and the error mapping (metrics, authentication), in order. */
  readonly middlewares?: readonly ServerMiddleware[];
}

/** Builds the gRPC server with logging, error mapping, health, reflection and the six services. */
export function buildApiServer(options: ApiServerOptions): Server {
  const { log, implementations: impl } = options;
  let chain = createServer({ "grpc.max_receive_message_length": 64 * 1024 * 1024 }).use(
    loggingMiddleware(log),
  );
  for (const m of options.middlewares ?? []) chain = chain.use(m);
  const server = chain.use(errorDetailsServerMiddleware).use(errorMiddleware(log));
  server.add(JobServiceDefinition, withUnimplemented(JobServiceDefinition, impl.job));
  server.add(PodServiceDefinition, withUnimplemented(PodServiceDefinition, impl.pod));
  server.add(HostServiceDefinition, withUnimplemented(HostServiceDefinition, impl.host));
  server.add(ResourcePoolServiceDefinition, withUnimplemented(ResourcePoolServiceDefinition, impl.respool));
  server.add(VolumeServiceDefinition, withUnimplemented(VolumeServiceDefinition, impl.volume));
  server.add(WatchServiceDefinition, withUnimplemented(WatchServiceDefinition, impl.watch));
  server.add(HealthDefinition, HealthServiceImpl(options.health));
  // Reflection lists the services whose descriptors it holds: the six of the API.
  const exposed = [...API_SERVICE_NAMES];
  server.add(ServerReflectionService, ServerReflection(options.descriptorSet, exposed));
  server.add(ServerReflectionV1Alpha, ServerReflection(options.descriptorSet, exposed));
  return server;
}
