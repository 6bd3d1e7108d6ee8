import { type Channel, createClient } from "nice-grpc";
import { HealthDefinition } from "nice-grpc-server-health";

/** grpc.health.v1.HealthCheckResponse.ServingStatus by number. */
const SERVING_STATUS: readonly string[] = ["UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"];

/** Asks grpc.health.v1 on the channel; answers the status's name. */
export const healthOf =
  (channel: Channel) =>
  async (service = ""): Promise<string> =>
    SERVING_STATUS[(await createClient(HealthDefinition, channel).check({ service })).status] ?? "?";
