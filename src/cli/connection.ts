import { readFileSync } from "node:fs";
import {
  type Channel,
  ChannelCredentials,
  type ClientMiddleware,
  createChannel,
  createClientFactory,
  Metadata,
  Status,
} from "nice-grpc";
import { type DeadlineOptions, deadlineMiddleware } from "nice-grpc-client-middleware-deadline";
import { type RetryOptions, retryMiddleware } from "nice-grpc-client-middleware-retry";
import { errorDetailsClientMiddleware } from "nice-grpc-error-details";
import {
  type HostServiceClient,
  HostServiceDefinition,
} from "../gen/peloton/api/v1alpha/host/svc/host_svc.js";
import {
  type JobServiceClient,
  JobServiceDefinition,
} from "../gen/peloton/api/v1alpha/job/stateless/svc/stateless_svc.js";
import { type PodServiceClient, PodServiceDefinition } from "../gen/peloton/api/v1alpha/pod/svc/pod_svc.js";
import {
  type ResourcePoolServiceClient,
  ResourcePoolServiceDefinition,
} from "../gen/peloton/api/v1alpha/respool/svc/respool_svc.js";
import {
  type VolumeServiceClient,
  VolumeServiceDefinition,
} from "../gen/peloton/api/v1alpha/volume/svc/volume_svc.js";
import {
  type WatchServiceClient,
  WatchServiceDefinition,
} from "../gen/peloton/api/v1alpha/watch/svc/watch_svc.js";
import { CliError } from "./cli-error.js";
import { EXIT } from "./exit-codes.js";

export interface ConnectionOptions {
  /** `host:port` of the job manager. */
  readonly jobmgr: string;
  /** Deadline of each unary call (and of a whole listing stream), in ms. */
  readonly timeoutMs: number;
  /** TLS with the system's roots (also implied by any of the files below). */
  readonly tls?: boolean;
  readonly tlsCa?: string;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  /** Sent as `authorization: Bearer <token>` on every call. */
  readonly token?: string;
  /** Aborts every call in flight (Ctrl-C). */
  readonly signal?: AbortSignal;
}

type Options = RetryOptions & DeadlineOptions;

export interface Clients {
  readonly job: JobServiceClient<Options>;
  readonly pod: PodServiceClient<Options>;
  readonly host: HostServiceClient<Options>;
  readonly respool: ResourcePoolServiceClient<Options>;
  readonly volume: VolumeServiceClient<Options>;
  /** No deadline: a watch streams until it is cancelled. */
  readonly watch: WatchServiceClient<Options>;
  close(): void;
}

/** Reads that change nothing, retried on UNAVAILABLE (a server restarting, a connection reset). */
const RETRIED_READS = {
  job: [
    "getJob",
    "getJobIDFromJobName",
    "queryJobs",
    "queryPods",
    "getJobCache",
    "getWorkflowEvents",
    "listJobUpdates",
    "getReplaceJobDiff",
  ],
  pod: ["getPod", "getPodEvents", "browsePodSandbox", "getPodCache"],
  host: ["queryHosts"],
  respool: ["getResourcePool", "lookupResourcePoolID", "queryResourcePools"],
  volume: ["listVolumes", "getVolume"],
} as const;

const RETRY: RetryOptions = {
  retry: true,
  retryMaxAttempts: 2,
  retryBaseDelayMs: 200,
  retryMaxDelayMs: 1000,
  retryableStatuses: [Status.UNAVAILABLE],
};

function readPem(path: string, flag: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new CliError(`${flag}: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? e}`, EXIT.ERROR);
  }
}

function credentials(o: ConnectionOptions): ChannelCredentials {
  if (Boolean(o.tlsCert) !== Boolean(o.tlsKey)) {
    throw new CliError("--tls-cert and --tls-key go together (a client certificate and its key)", EXIT.USAGE);
  }
  if (!o.tls && !o.tlsCa && !o.tlsCert) return ChannelCredentials.createInsecure();
  return ChannelCredentials.createSsl(
    o.tlsCa ? readPem(o.tlsCa, "--tls-ca") : null,
    o.tlsKey ? readPem(o.tlsKey, "--tls-key") : null,
    o.tlsCert ? readPem(o.tlsCert, "--tls-cert") : null,
  );
}

/** `host:port`, `[v6]:port`: what --jobmgr takes. */
export function checkAddress(address: string): string {
  if (!/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/.test(address)) {
    throw new CliError(
      `--jobmgr: ${JSON.stringify(address.slice(0, 80))} is not host:port (e.g. localhost:5392)`,
      EXIT.USAGE,
    );
  }
  return address;
}

const bearer = (token: string): ClientMiddleware =>
  async function* withToken(call, options) {
    const metadata = Metadata(options.metadata).set("authorization", `Bearer ${token}`);
    return yield* call.next(call.request, { ...options, metadata });
  };

/** Every call also ends when `signal` aborts. */
const abortedBy = (signal: AbortSignal): ClientMiddleware =>
  async function* withSignal(call, options) {
    const both = options.signal ? AbortSignal.any([options.signal, signal]) : signal;
    return yield* call.next(call.request, { ...options, signal: both });
  };

function retriedReads(keys: readonly string[], timeoutMs: number): Record<string, Options> {
  return {
    "*": { deadline: timeoutMs },
    ...Object.fromEntries(keys.map((k) => [k, { ...RETRY, deadline: timeoutMs }])),
  };
}

/** One channel to the job manager and a client of each v1alpha service on it. */
export function openClients(o: ConnectionOptions): Clients {
  const channel: Channel = createChannel(checkAddress(o.jobmgr), credentials(o));
  let factory = createClientFactory()
    .use(errorDetailsClientMiddleware)
    .use(retryMiddleware)
    .use(deadlineMiddleware);
  if (o.token) factory = factory.use(bearer(o.token));
  if (o.signal) factory = factory.use(abortedBy(o.signal));
  return {
    job: factory.create(JobServiceDefinition, channel, retriedReads(RETRIED_READS.job, o.timeoutMs)),
    pod: factory.create(PodServiceDefinition, channel, retriedReads(RETRIED_READS.pod, o.timeoutMs)),
    host: factory.create(HostServiceDefinition, channel, retriedReads(RETRIED_READS.host, o.timeoutMs)),
    respool: factory.create(
      ResourcePoolServiceDefinition,
      channel,
      retriedReads(RETRIED_READS.respool, o.timeoutMs),
    ),
    volume: factory.create(VolumeServiceDefinition, channel, retriedReads(RETRIED_READS.volume, o.timeoutMs)),
    watch: factory.create(WatchServiceDefinition, channel, { cancel: { deadline: o.timeoutMs } }),
    close: () => channel.close(),
  };
}
