/**
 * Convergence benchmark: starts the real app in-process (gRPC server on 127.0.0.1:0, real
 * database, a default simulated fleet of H hosts, the system clock with a small fleet time
 * factor), creates a pool and J jobs of N pods in all through the gRPC API, and measures the
 * time from the first CreateJob to all N pods RUNNING as the engine has committed them.
 * Prints progress lines to stderr and, last on stdout, one line of JSON.
 *
 *   tsx scripts/bench-converge.ts --pods 10000 --hosts 1000 [--jobs J] [--time-factor 0.01]
 *     [--timeout-s 600] [--commit-log] [--latency] [--pods-per-tick N]
 *
 * With DATABASE_URL set it runs on that Postgres server, in a fresh database
 * `peloton_bench_<random>` dropped at the end; otherwise on embedded PGlite in a temp folder.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createChannel, createClient } from "nice-grpc";
import pg from "pg";
import pino from "pino";
import { startApp } from "../src/app/app.js";
import { loadConfig } from "../src/app/config.js";
import type { ChangeSet } from "../src/domain/change-set.js";
import { defaultFleet } from "../src/fleet/default-fleet.js";
import { JobServiceDefinition } from "../src/gen/peloton/api/v1alpha/job/stateless/svc/stateless_svc.js";
import { ResourcePoolServiceDefinition } from "../src/gen/peloton/api/v1alpha/respool/svc/respool_svc.js";
import type { DatabaseTarget } from "../src/store/open-database.js";
import { RuntimeStore } from "../src/store/runtime-store.js";

const { values } = parseArgs({
  options: {
    pods: { type: "string", default: "1000" },
    hosts: { type: "string", default: "100" },
    jobs: { type: "string" },
    "time-factor": { type: "string", default: "0.01" },
    "timeout-s": { type: "string", default: "600" },
    /** One stderr line per commit: rows by kind and milliseconds. */
    "commit-log": { type: "boolean", default: false },
    /**
     * Also measure the API while the cluster converges: a client calls GetJob and QueryPods back
     * to back, and the same calls are timed on the idle server first (the baseline).
     */
    latency: { type: "boolean", default: false },
    /** The engine's bound on pod rows created per tick (EngineTimings.podsCreatedPerTick). */
    "pods-per-tick": { type: "string" },
  },
});

const positiveInt = (name: string, text: string): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name}=${text}: must be a whole number >= 1`);
  return n;
};
const N = positiveInt("pods", values.pods);
const H = positiveInt("hosts", values.hosts);
const J = values.jobs === undefined ? Math.ceil(N / 10_000) : positiveInt("jobs", values.jobs);
if (J > N) throw new Error(`--jobs=${J}: more jobs than pods (${N})`);
const podsPerTick =
  values["pods-per-tick"] === undefined ? undefined : positiveInt("pods-per-tick", values["pods-per-tick"]);
const timeFactor = Number(values["time-factor"]);
if (!Number.isFinite(timeFactor) || timeFactor <= 0) throw new Error("--time-factor: must be a number > 0");
const timeoutS = Number(values["timeout-s"]);
if (!Number.isFinite(timeoutS) || timeoutS <= 0) throw new Error("--timeout-s: must be a number > 0");

const POD_CPU = 0.1;
/** Pods of the job the latency probe reads (running before the load starts). */
const PROBE_PODS = 10;
const POD_MEM_MB = 64;
const MB = 1024 * 1024;

/** A job of `instanceCount` pods that sleep for ever, sized by POD_CPU and POD_MEM_MB. */
const sleepJob = (name: string, instanceCount: number, pool: string) => ({
  name,
  instanceCount,
  respoolId: { value: pool },
  defaultSpec: {
    containers: [
      {
        name: "main",
        command: { value: "sleep 100000" },
        resource: { cpuLimit: POD_CPU, memLimitMb: POD_MEM_MB },
      },
    ],
  },
});

const progress = (msg: string) => process.stderr.write(`[bench:converge] ${msg}\n`);

let peakRss = process.memoryUsage.rss();
/** RSS now; sampled around every commit and on every check. */
function sampleRss(): number {
  const rss = process.memoryUsage.rss();
  if (rss > peakRss) peakRss = rss;
  return rss;
}

// ---- commit accounting (every commit goes through RuntimeStore.commit) ----

const stats = { calls: 0, commits: 0, rows: 0, pods: 0, events: 0, jobs: 0, commitMs: 0, maxCommitMs: 0 };
let commitWaiters: (() => void)[] = [];
const originalCommit = RuntimeStore.prototype.commit;
RuntimeStore.prototype.commit = async function (
  this: RuntimeStore,
  batch: ChangeSet,
  revision: number,
  at: number,
) {
  stats.calls++;
  sampleRss();
  const started = performance.now();
  await originalCommit.call(this, batch, revision, at);
  const ms = performance.now() - started;
  sampleRss();
  const rows = batch.pods.length + batch.podEvents.length + batch.jobs.length;
  if (rows > 0 || batch.deleteJobs.length > 0) {
    stats.commits++;
    stats.rows += rows;
    stats.pods += batch.pods.length;
    stats.events += batch.podEvents.length;
    stats.jobs += batch.jobs.length;
    stats.commitMs += ms;
    stats.maxCommitMs = Math.max(stats.maxCommitMs, ms);
    if (values["commit-log"])
      progress(
        `commit ${stats.commits}: ${batch.pods.length} pods, ${batch.podEvents.length} events, ` +
          `${batch.jobs.length} jobs in ${ms.toFixed(0)} ms`,
      );
  }
  // The engine updates its cache right after this resolves: wake the checker after that.
  const waiters = commitWaiters;
  commitWaiters = [];
  if (waiters.length > 0)
    setImmediate(() => {
      for (const w of waiters) w();
    });
};
const nextCommit = () => new Promise<void>((resolve) => commitWaiters.push(resolve));

// ---- the database ------------------------------------------------------------------------

const withDatabase = (url: string, database: string): string => {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
};

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

const adminUrl = process.env.DATABASE_URL?.trim() || undefined;
let cleanupDatabase: () => Promise<void>;
let target: DatabaseTarget;
const baseEnv: Record<string, string> = {
  PELOTON_HOST: "127.0.0.1",
  PELOTON_PORT: "0",
  PELOTON_METRICS_ADDRESS: "off",
  PELOTON_LOG_LEVEL: "warn",
  PELOTON_SIM_TIME_FACTOR: String(timeFactor),
  PELOTON_MAX_INSTANCES: String(Math.max(100_000, N)),
};
if (process.env.PELOTON_DB_POOL_SIZE) baseEnv.PELOTON_DB_POOL_SIZE = process.env.PELOTON_DB_POOL_SIZE;
if (adminUrl) {
  const name = `peloton_bench_${randomBytes(6).toString("hex")}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  const url = withDatabase(adminUrl, name);
  target = loadConfig({ ...baseEnv, DATABASE_URL: url }).database;
  cleanupDatabase = () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  progress(`postgres database ${name}`);
} else {
  const dir = mkdtempSync(join(tmpdir(), "peloton-bench-"));
  target = { kind: "pglite", dataDir: join(dir, "data") };
  cleanupDatabase = async () => rmSync(dir, { recursive: true, force: true });
  progress(`pglite in ${dir}`);
}

// ---- the app and a client ------------------------------------------------------------------

const config = { ...loadConfig(baseEnv), database: target };
const log = pino({ level: "warn" }, pino.destination(2));
const bootStarted = performance.now();
const app = await startApp({
  config,
  log,
  hosts: defaultFleet(H),
  ...(podsPerTick ? { timings: { podsCreatedPerTick: podsPerTick } } : {}),
});
const bootS = (performance.now() - bootStarted) / 1000;
const channel = createChannel(`127.0.0.1:${app.port}`);
const jobClient = createClient(JobServiceDefinition, channel);
const respoolClient = createClient(ResourcePoolServiceDefinition, channel);

let exitCode = 0;

try {
  const capacity = app.fleet
    .listHosts()
    .reduce((s, h) => ({ cpu: s.cpu + h.spec.capacity.cpu, memory: s.memory + h.spec.capacity.memory }), {
      cpu: 0,
      memory: 0,
    });
  // Sums of 0.1 drift in floating point: round up and leave one unit of headroom.
  // Room for the N pods, and for the latency probe's own small job.
  const podsInPool = N + (values.latency ? PROBE_PODS : 0);
  const cpu = Math.ceil(podsInPool * POD_CPU) + 1;
  const memory = podsInPool * POD_MEM_MB + POD_MEM_MB;
  if (cpu > capacity.cpu || memory > capacity.memory) {
    throw new Error(
      `${N} pods need ${cpu} cpu / ${memory} MB; ${H} hosts offer ${capacity.cpu} cpu / ${capacity.memory} MB`,
    );
  }
  const pool = (
    await respoolClient.createResourcePool({
      spec: {
        name: "bench",
        parent: { value: "root" },
        resources: [
          { kind: "cpu", reservation: cpu, limit: cpu, share: 1 },
          { kind: "memory", reservation: memory, limit: memory, share: 1 },
        ],
      },
    })
  ).respoolId!.value;

  await app.engine.idle();
  const baselineRss = sampleRss();
  const baselineHeap = process.memoryUsage().heapUsed;
  peakRss = baselineRss;

  // Latency probe: GetJob and QueryPods of the first job, back to back, one at a time.
  const latencies = { get_job: [] as number[], query_pods: [] as number[] };
  const baseline = { get_job: [] as number[], query_pods: [] as number[] };
  let probing = false;
  const probe = async (into: typeof latencies, jobId: string, rounds = Number.POSITIVE_INFINITY) => {
    for (let i = 0; i < rounds && (rounds !== Number.POSITIVE_INFINITY || probing); i++) {
      let t0 = performance.now();
      await jobClient.getJob({ jobId: { value: jobId } });
      into.get_job.push(performance.now() - t0);
      t0 = performance.now();
      await jobClient.queryPods({ jobId: { value: jobId }, pagination: { limit: 100 } });
      into.query_pods.push(performance.now() - t0);
    }
  };
  if (values.latency) {
    // The idle baseline: a small job already RUNNING, probed before the load starts.
    const warm = (await jobClient.createJob({ spec: sleepJob("bench-probe", PROBE_PODS, pool) })).jobId!
      .value;
    while (app.engine.pods(warm).filter((p) => p.state === "RUNNING").length < PROBE_PODS) await nextCommit();
    await probe(baseline, warm, 200);
  }

  const sizes = Array.from({ length: J }, (_, i) => Math.floor(N / J) + (i < N % J ? 1 : 0));
  const started = performance.now();
  const jobIds: string[] = [];
  let createdS: number | undefined;
  let createJobMsMax = 0;
  // Jobs are created one after another while the checker below watches the pods converge.
  const creating = (async () => {
    for (const [i, instanceCount] of sizes.entries()) {
      const t0 = performance.now();
      const reply = await jobClient.createJob({ spec: sleepJob(`bench-${i}`, instanceCount, pool) });
      createJobMsMax = Math.max(createJobMsMax, performance.now() - t0);
      jobIds.push(reply.jobId!.value);
    }
    createdS = (performance.now() - started) / 1000;
    progress(`created ${J} job(s) in ${createdS.toFixed(2)} s`);
  })();
  creating.catch(() => {}); // handled by the race below; this only keeps a late failure quiet
  let probed: Promise<void> = Promise.resolve();
  if (values.latency) {
    probing = true;
    probed = (async () => {
      while (jobIds.length === 0 && probing) await nextCommit();
      if (jobIds[0]) await probe(latencies, jobIds[0]);
    })();
  }
  const never = new Promise<void>(() => {});

  const running = () => {
    let n = 0;
    for (const id of jobIds) for (const p of app.engine.pods(id)) if (p.state === "RUNNING") n++;
    return n;
  };
  const deadline = started + timeoutS * 1000;
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      timedOut = true;
      resolve();
    }, deadline - performance.now());
  });
  let lastPrint = started;
  let checks = 0;
  let count = 0;
  for (;;) {
    checks++;
    count = running();
    sampleRss();
    const now = performance.now();
    if ((createdS !== undefined && count >= N) || timedOut) break;
    if (now - lastPrint >= 1000) {
      lastPrint = now;
      progress(
        `${count}/${N} RUNNING, ${((now - started) / 1000).toFixed(1)} s, ${jobIds.length}/${J} jobs, ` +
          `${stats.commits} commits, rss ${(sampleRss() / MB).toFixed(0)} MB`,
      );
    }
    // The cache changes only after a commit: nothing else can make a pod RUNNING. A failed
    // CreateJob rejects `creating` and ends the run.
    await Promise.race([nextCommit(), timeout, createdS === undefined ? creating : never]);
  }
  clearTimeout(timer);
  const seconds = (performance.now() - started) / 1000;
  probing = false;
  await probed;
  const heapUsed = process.memoryUsage().heapUsed;
  if (count < N) {
    const states = new Map<string, number>();
    for (const id of jobIds)
      for (const p of app.engine.pods(id)) states.set(p.state, (states.get(p.state) ?? 0) + 1);
    process.stderr.write(
      `bench:converge: not converged within ${timeoutS} s: ${count}/${N} pods RUNNING, ` +
        `${jobIds.length}/${J} jobs created ` +
        `(states: ${JSON.stringify(Object.fromEntries(states))})\n`,
    );
    exitCode = 1;
  } else {
    progress(`${count}/${N} RUNNING after ${seconds.toFixed(2)} s`);
    const result = {
      pods: N,
      hosts: H,
      jobs: J,
      database: target.kind === "postgres" ? "postgres" : "pglite",
      time_factor: timeFactor,
      seconds: round(seconds, 3),
      pods_per_s: round(N / seconds, 1),
      create_jobs_s: round(createdS ?? seconds, 3),
      create_job_ms_max: round(createJobMsMax, 1),
      boot_s: round(bootS, 3),
      commits: stats.commits,
      commit_calls: stats.calls,
      rows_per_commit: round(stats.rows / Math.max(1, stats.commits), 1),
      rows: stats.rows,
      pod_rows: stats.pods,
      event_rows: stats.events,
      job_rows: stats.jobs,
      commit_ms_total: round(stats.commitMs, 1),
      commit_ms_max: round(stats.maxCommitMs, 1),
      checks,
      baseline_rss_mb: round(baselineRss / MB, 1),
      peak_rss_mb: round(peakRss / MB, 1),
      rss_per_pod_bytes: Math.round((peakRss - baselineRss) / N),
      // V8 heap only (PGlite's WASM memory is in RSS but not here); no forced GC, so approximate.
      heap_used_mb: round(heapUsed / MB, 1),
      heap_per_pod_bytes: Math.round((heapUsed - baselineHeap) / N),
      ...(values.latency ? latencyFigures(latencies, baseline) : {}),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  }
} catch (e) {
  process.stderr.write(`bench:converge: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  exitCode = 1;
} finally {
  channel.close();
  await app.stop(2000);
  await cleanupDatabase();
}
process.exit(exitCode);

function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** p50/p99 (ms) of each probed method while converging, on the idle baseline, and their ratio. */
function latencyFigures(
  load: Record<string, number[]>,
  idle: Record<string, number[]>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const method of Object.keys(load)) {
    for (const p of [50, 99]) {
      const under = percentile(load[method]!, p);
      const base = percentile(idle[method]!, p);
      out[`${method}_p${p}_ms`] = round(under, 2);
      out[`${method}_p${p}_idle_ms`] = round(base, 2);
      out[`${method}_p${p}_ratio_vs_idle`] = round(base > 0 ? under / base : 0, 2);
    }
    out[`${method}_calls`] = load[method]!.length;
  }
  return out;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
