import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { HostState } from "../../src/gen/peloton/api/v1alpha/host/host.js";
import { PodState } from "../../src/gen/peloton/api/v1alpha/pod/pod.js";
import { type OpenDatabase, openDatabase } from "../../src/store/open-database.js";
import { type ServerDatabase, serverBackends } from "../support/server-databases.js";
import {
  type Clients,
  clients,
  crash,
  killAll,
  pollUntil,
  startServer,
  stop,
} from "../support/server-process.js";

/**
 * Crash safety of the real server process: SIGKILL it while a 300-pod job converges (and right
 * after CreateJob), start a new process on the same database, and check that it converges to
 * exactly what was acknowledged, with no instance doubled, no run id reused and no run left on a
 * host. Real clock, fast simulated fleet. The same in the middle of a host maintenance drain:
 * the drained host reaches DOWN after the restart, with every instance running elsewhere.
 * The server process is test/support/server-process.ts's.
 */

const INSTANCES = 300;
const POD_CPU = 0.1;
const POD_MEM_MB = 32;
const CASE_TIMEOUT_MS = 90_000;

// ---- databases ---------------------------------------------------------------------------------

interface Target {
  /** What the server process gets to find its database. */
  readonly env: Record<string, string>;
  /** Opens the database directly (only while no server runs on it). */
  open(): Promise<OpenDatabase>;
  /**
   * Postgres only: takes an exclusive lock on the pods table, so that no engine tick can commit
   * until the returned release is called. (PGlite runs inside the server process: no such hold.)
   */
  readonly holdPodWrites?: () => Promise<() => Promise<void>>;
  dispose(): Promise<void>;
}

/** What a server process and the checks need of a test database. */
function processTarget(db: ServerDatabase): Target {
  const t = db.target;
  if (t.kind === "pglite")
    return {
      env: { PELOTON_DATA_DIR: t.dataDir },
      open: () => openDatabase({ kind: "pglite", dataDir: t.dataDir }),
      dispose: () => db.dispose(),
    };
  if (t.kind !== "postgres") throw new Error("a server process needs a database on disk or Postgres");
  return {
    env: { DATABASE_URL: t.url },
    open: () => openDatabase({ kind: "postgres", url: t.url, poolSize: 2 }),
    async holdPodWrites() {
      const client = new pg.Client({ connectionString: t.url });
      await client.connect();
      await client.query("BEGIN");
      await client.query("LOCK TABLE pods IN ACCESS EXCLUSIVE MODE");
      return async () => {
        await client.query("ROLLBACK");
        await client.end();
      };
    },
    dispose: () => db.dispose(),
  };
}

interface Backend {
  readonly name: string;
  create(): Promise<Target>;
}

const BACKENDS: Backend[] = serverBackends().map((b) => ({
  name: b.name,
  create: async () => processTarget(await b.create()),
}));

// ---- the scenario ------------------------------------------------------------------------------

/** What the first server acknowledged before it was killed. */
interface Acknowledged {
  readonly poolId: string;
  readonly poolPath: string;
  readonly jobId: string;
  readonly version: string;
  readonly killedAt: number;
  /** Pods the last GetJob before the kill counted. */
  readonly podsSeen: number;
  readonly runningSeen: number;
  /** The host in maintenance when the server was killed (the mid-drain case). */
  readonly drainedHost?: string;
}

/** A pool reserving room for the job's pods (and a little more). */
async function createPool(c: Clients) {
  const pool = await c.respool.createResourcePool({
    spec: {
      name: "crash",
      parent: { value: "root" },
      resources: [
        { kind: "cpu", reservation: 40, limit: 40, share: 1 },
        { kind: "memory", reservation: 12_288, limit: 12_288, share: 1 },
      ],
    },
  });
  const poolId = pool.respoolId!.value;
  const { respool } = await c.respool.getResourcePool({ respoolId: { value: poolId } });
  return { poolId, poolPath: respool!.path!.value };
}

/**
 * The job of sleeping pods; `batchSize` > 0 brings it up that many instances at a time;
 * `maxUnavailable` > 0 is its SLA's maximum_unavailable_instances.
 */
async function createJob(c: Clients, poolId: string, batchSize = 0, maxUnavailable = 0) {
  const created = await c.job.createJob({
    createSpec: { batchSize },
    spec: {
      name: "crash-safety",
      sla: { maximumUnavailableInstances: maxUnavailable },
      instanceCount: INSTANCES,
      respoolId: { value: poolId },
      defaultSpec: {
        containers: [
          {
            name: "main",
            command: { value: "sleep 100000" },
            resource: { cpuLimit: POD_CPU, memLimitMb: POD_MEM_MB },
          },
        ],
      },
    },
  });
  return { jobId: created.jobId!.value, version: created.version!.value };
}

const podStatsOf = async (c: Clients, jobId: string): Promise<Record<string, number>> =>
  (await c.job.getJob({ jobId: { value: jobId }, summaryOnly: true })).summary?.status?.podStats ?? {};

const total = (stats: Record<string, number>): number => Object.values(stats).reduce((a, b) => a + b, 0);

/** Every pod of the job with its state and host, through ListPods. */
async function podsOf(c: Clients, jobId: string): Promise<{ state: PodState; host: string }[]> {
  const out: { state: PodState; host: string }[] = [];
  for await (const batch of c.job.listPods({ jobId: { value: jobId } }))
    for (const p of batch.pods) out.push({ state: p.status!.state, host: p.status!.host });
  return out;
}

const hostStateOf = async (c: Clients, hostname: string) =>
  (await c.host.queryHosts({})).hostInfos.find((h) => h.hostname === hostname)?.state;

interface Checked {
  readonly restartedToRunningMs: number;
  /** Maintenance kills the first server stored before it was killed (the mid-drain case). */
  readonly drainKillsBeforeKill: number;
  readonly maxRunId: number;
  readonly instancesRestarted: number;
  /** Instances with an event the first server stored before it was killed. */
  readonly instancesBeforeKill: number;
  /** Pods with a failure counted (a run lost with the killed server's agents must count none). */
  readonly podsWithFailures: number;
}

/** Restarts on the target, waits for all pods RUNNING, and checks everything (API, then database). */
async function restartAndCheck(target: Target, ack: Acknowledged): Promise<Checked> {
  const restartedAt = performance.now();
  const second = await startServer(target.env);
  const c = clients(second.port);
  let restartedToRunningMs: number;
  try {
    // The acknowledged pool and job are there, the job at the version CreateJob answered.
    const { respool } = await c.respool.getResourcePool({ respoolId: { value: ack.poolId } });
    expect(respool?.path?.value).toBe(ack.poolPath);
    const before = await c.job.getJob({ jobId: { value: ack.jobId } });
    expect(before.jobInfo?.status?.version?.value).toBe(ack.version);
    expect(before.jobInfo?.spec?.instanceCount).toBe(INSTANCES);

    await pollUntil(
      "all pods RUNNING after the restart",
      () => podStatsOf(c, ack.jobId),
      (s) => s.POD_STATE_RUNNING === INSTANCES,
    );
    restartedToRunningMs = performance.now() - restartedAt;
    if (ack.drainedHost) {
      // The drain resumes: the host reaches DOWN, with none of the job's pods on it.
      await pollUntil(
        `${ack.drainedHost} DOWN after the restart`,
        () => hostStateOf(c, ack.drainedHost!),
        (state) => state === HostState.HOST_STATE_DOWN,
      );
    }

    // ---- through the API ----
    const info = await c.job.getJob({ jobId: { value: ack.jobId } });
    expect(info.jobInfo?.status?.podStats).toEqual({ POD_STATE_RUNNING: INSTANCES });
    expect(info.jobInfo?.status?.version?.value).toBe(ack.version);
    expect(info.jobInfo?.spec?.respoolId?.value).toBe(ack.poolId);

    const usage = (await c.respool.getResourcePool({ respoolId: { value: ack.poolId } })).respool!.usages;
    const byKind = Object.fromEntries(usage.map((u) => [u.kind, u]));
    expect(byKind.cpu?.allocation).toBeCloseTo(INSTANCES * POD_CPU, 6);
    expect(byKind.memory?.allocation).toBe(INSTANCES * POD_MEM_MB);
    expect(byKind.disk?.allocation ?? 0).toBe(0);
    expect(byKind.gpu?.allocation ?? 0).toBe(0);
    for (const u of usage) expect(u.slack).toBe(0);

    const summaries = [];
    for await (const batch of c.job.listPods({ jobId: { value: ack.jobId } })) summaries.push(...batch.pods);
    expect(summaries).toHaveLength(INSTANCES);
    const names = summaries.map((p) => p.podName!.value);
    expect(new Set(names).size).toBe(INSTANCES);
    expect(new Set(names)).toEqual(new Set(Array.from({ length: INSTANCES }, (_, i) => `${ack.jobId}-${i}`)));
    const apiPodIds = summaries.map((p) => p.status!.podId!.value);
    expect(new Set(apiPodIds).size).toBe(INSTANCES);
    for (const p of summaries) {
      expect(p.status!.state).toBe(PodState.POD_STATE_RUNNING);
      expect(p.status!.host).not.toBe("");
      if (ack.drainedHost) expect(p.status!.host).not.toBe(ack.drainedHost);
      // pod id = <pod name>-<run id>: ids of different instances never meet.
      expect(p.status!.podId!.value).toMatch(new RegExp(`^${p.podName!.value}-[1-9]\\d*$`));
    }

    // The events of each current run (GetPodEvents) belong to that run and end in RUNNING on its host.
    const hostOf = new Map(summaries.map((p) => [p.podName!.value, p.status!.host]));
    for (const name of names) {
      const { events } = await c.pod.getPodEvents({ podName: { value: name } });
      expect(events.length).toBeGreaterThan(0);
      const last = events[events.length - 1]!;
      const ids = new Set(events.map((e) => e.podId?.value));
      expect(ids.size).toBe(1);
      expect(last.actualState).toBe("POD_STATE_RUNNING");
      expect(last.hostname).toBe(hostOf.get(name));
    }
    expect(second.problems.filter((l) => (l.level as number) >= 50)).toEqual([]);
  } finally {
    c.channel.close();
    await stop(second);
  }

  // ---- in the database, with no server on it ----
  const opened = await target.open();
  try {
    const { db } = opened;
    const pods = await db
      .selectFrom("pods")
      .selectAll()
      .where("job_id", "=", ack.jobId)
      .orderBy("instance_id")
      .execute();
    expect(pods.map((p) => p.instance_id)).toEqual(Array.from({ length: INSTANCES }, (_, i) => i));
    const hosts = await db.selectFrom("hosts").selectAll().execute();
    const capacity = new Map(hosts.map((h) => [h.hostname, h.capacity]));
    const used = new Map<string, { cpu: number; memory: number }>();
    for (const p of pods) {
      expect(p.state).toBe("RUNNING");
      expect(p.goal_state).toBe("RUNNING");
      expect(p.run_id).toBeGreaterThanOrEqual(1);
      expect(p.host).not.toBeNull();
      expect(capacity.has(p.host!)).toBe(true);
      if (ack.drainedHost) expect(p.host).not.toBe(ack.drainedHost);
      const u = used.get(p.host!) ?? { cpu: 0, memory: 0 };
      used.set(p.host!, { cpu: u.cpu + POD_CPU, memory: u.memory + POD_MEM_MB });
      if (p.run_id > 1) expect(p.prev_run_id).toBe(p.run_id - 1);
    }
    // No host holds more than it has.
    for (const [host, u] of used) {
      expect(u.cpu).toBeLessThanOrEqual((capacity.get(host)!.cpu ?? 0) + 1e-9);
      expect(u.memory).toBeLessThanOrEqual(capacity.get(host)!.memory ?? 0);
    }

    const events = await db
      .selectFrom("pod_events")
      .select(["id", "instance_id", "run_id", "actual_state", "hostname", "message", "created_at"])
      .where("job_id", "=", ack.jobId)
      .orderBy("id")
      .execute();
    const byInstance = new Map<number, typeof events>();
    for (const e of events) {
      const list = byInstance.get(e.instance_id) ?? [];
      list.push(e);
      byInstance.set(e.instance_id, list);
    }
    expect([...byInstance.keys()].sort((a, b) => a - b)).toEqual(
      Array.from({ length: INSTANCES }, (_, i) => i),
    );
    const TERMINAL = ["SUCCEEDED", "FAILED", "LOST", "KILLED", "DELETED"];
    let instancesRestarted = 0;
    let maxRunId = 0;
    for (const p of pods) {
      const list = byInstance.get(p.instance_id)!;
      const runs = list.map((e) => e.run_id);
      // Run ids never go back: once a run has begun, no event of an earlier run follows.
      for (let i = 1; i < runs.length; i++) expect(runs[i]).toBeGreaterThanOrEqual(runs[i - 1]!);
      // Each run is one contiguous stretch, 1, 2, …, current: none skipped, none reused.
      const distinct = runs.filter((r, i) => i === 0 || r !== runs[i - 1]);
      expect(distinct).toEqual(Array.from({ length: p.run_id }, (_, i) => i + 1));
      // Every earlier run ended (its last event is terminal) before the next began, so at no time
      // were two runs of the instance on hosts.
      for (const run of distinct.slice(0, -1)) {
        const last = list.filter((e) => e.run_id === run).at(-1)!;
        expect(TERMINAL, `instance ${p.instance_id} run ${run} ended ${last.actual_state}`).toContain(
          last.actual_state,
        );
      }
      const lastEvent = list.at(-1)!;
      expect(lastEvent.run_id).toBe(p.run_id);
      expect(lastEvent.actual_state).toBe("RUNNING");
      expect(lastEvent.hostname).toBe(p.host);
      if (p.run_id > 1) instancesRestarted++;
      maxRunId = Math.max(maxRunId, p.run_id);
    }
    // Nothing the first server showed before the kill is forgotten.
    const instancesBeforeKill = new Set(
      events.filter((e) => e.created_at <= ack.killedAt).map((e) => e.instance_id),
    );
    expect(instancesBeforeKill.size).toBeGreaterThanOrEqual(ack.podsSeen);

    if (ack.drainedHost) {
      const stored = await db
        .selectFrom("hosts")
        .select("state")
        .where("hostname", "=", ack.drainedHost)
        .executeTakeFirstOrThrow();
      expect(stored.state).toBe("DOWN");
    }
    const job = await db.selectFrom("jobs").selectAll().where("id", "=", ack.jobId).executeTakeFirstOrThrow();
    expect(`${job.config_version}-${job.desired_state_version}-${job.workflow_version}`).toBe(ack.version);
    expect(job.state).toBe("RUNNING");
    expect(job.respool_id).toBe(ack.poolId);
    const drainKills = events.filter(
      (e) =>
        e.actual_state === "KILLING" &&
        e.message === `killing for maintenance of host ${ack.drainedHost}` &&
        e.created_at <= ack.killedAt,
    );
    return {
      restartedToRunningMs,
      drainKillsBeforeKill: drainKills.length,
      maxRunId,
      instancesRestarted,
      instancesBeforeKill: instancesBeforeKill.size,
      podsWithFailures: pods.filter((p) => p.failure_count > 0).length,
    };
  } finally {
    await opened.close();
  }
}

// ---- the tests ---------------------------------------------------------------------------------

// Whatever failed, no server outlives the tests.
afterAll(killAll);

type KillPoint =
  /** A job brought up 50 at a time; killed once some, but not all, of its pods run. */
  | "partly running"
  /** A job brought up all at once; killed at the first look that shows its pods, none running yet. */
  | "launching"
  /** Killed as soon as CreateJob answers (on Postgres, with every tick held off until then). */
  | "after CreateJob"
  /**
   * All pods running, then StartMaintenance on the host with the most of them (the job allows 2
   * unavailable instances); killed once some of that host's pods have moved and others not yet.
   */
  | "mid-drain";

const fmt = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function crashAndRecover(backend: Backend, targets: Target[], killPoint: KillPoint): Promise<void> {
  const started = performance.now();
  const target = await backend.create();
  targets.push(target);
  // Launching takes 6 ms at the fast time factor, so the job would be all RUNNING before a look
  // could catch it launching; that case's first server simulates launches in real time (0.6 s).
  // The mid-drain case too runs its first server in real time, so the drain takes seconds.
  const first = await startServer(
    killPoint === "launching" || killPoint === "mid-drain"
      ? { ...target.env, PELOTON_SIM_TIME_FACTOR: "1" }
      : target.env,
  );
  const startedFirstMs = performance.now() - started;
  const c = clients(first.port);
  let ack: Acknowledged;
  let seen = "";
  try {
    const pool = await createPool(c);
    if (killPoint === "after CreateJob") {
      const release = await target.holdPodWrites?.();
      try {
        const job = await createJob(c, pool.poolId);
        // No await between CreateJob's answer and the kill.
        const killedAt = Date.now();
        await crash(first);
        ack = { ...pool, ...job, killedAt, podsSeen: 0, runningSeen: 0 };
        seen = release ? "ticks held off" : "ticks free to run";
      } finally {
        await release?.();
      }
    } else if (killPoint === "mid-drain") {
      const job = await createJob(c, pool.poolId, 0, 2);
      await pollUntil(
        "all pods RUNNING before the drain",
        () => podStatsOf(c, job.jobId),
        (s) => s.POD_STATE_RUNNING === INSTANCES,
      );
      const perHost = new Map<string, number>();
      for (const p of await podsOf(c, job.jobId)) perHost.set(p.host, (perHost.get(p.host) ?? 0) + 1);
      const [drainedHost, onHost] = [...perHost].sort((a, b) => b[1] - a[1])[0]!;
      expect(onHost).toBeGreaterThanOrEqual(6);
      await c.host.startMaintenance({ hostnames: [drainedHost] });
      const watch = await pollUntil(
        `the drain of ${drainedHost} under way`,
        async () => (await podsOf(c, job.jobId)).filter((p) => p.host === drainedHost).length,
        (left) => left > 0 && left <= onHost - 3,
        { maxMs: 30_000 },
      );
      const killedAt = Date.now();
      await crash(first);
      ack = { ...pool, ...job, killedAt, podsSeen: INSTANCES, runningSeen: INSTANCES, drainedHost };
      seen = `with ${watch.value} of ${onHost} pods still on ${drainedHost} (${fmt(watch.ms)} into the drain)`;
    } else {
      const job = await createJob(c, pool.poolId, killPoint === "partly running" ? 50 : 0);
      const watch = await pollUntil(
        `job ${killPoint}`,
        () => podStatsOf(c, job.jobId),
        (s) =>
          killPoint === "partly running"
            ? (s.POD_STATE_RUNNING ?? 0) > 0 && (s.POD_STATE_RUNNING ?? 0) < INSTANCES
            : total(s) > 0 && !s.POD_STATE_RUNNING,
        { maxMs: 20_000 },
      );
      const killedAt = Date.now();
      await crash(first);
      ack = {
        ...pool,
        ...job,
        killedAt,
        podsSeen: total(watch.value),
        runningSeen: watch.value.POD_STATE_RUNNING ?? 0,
      };
      seen = `after ${watch.polls} GetJob polls in ${fmt(watch.ms)}, last seen ${JSON.stringify(watch.value)}`;
    }
  } finally {
    c.channel.close();
    if (first.child.exitCode === null && first.child.signalCode === null) await crash(first);
  }
  if (killPoint === "partly running") expect(ack.runningSeen).toBeGreaterThan(0);
  const checked = await restartAndCheck(target, ack);
  // Runs that were on the killed server's agents are lost with them and come back as new runs.
  if (ack.runningSeen > 0) expect(checked.instancesRestarted).toBeGreaterThanOrEqual(ack.runningSeen);
  // Those runs were no fault of the pods: no failure counted, so no restart backoff either.
  expect(checked.podsWithFailures).toBe(0);
  // The first server had moved some pods off the draining host (and stored that) before the kill.
  if (killPoint === "mid-drain") expect(checked.drainKillsBeforeKill).toBeGreaterThanOrEqual(3);
  if (killPoint === "after CreateJob" && target.holdPodWrites) {
    expect(checked.instancesBeforeKill).toBe(0);
    expect(checked.maxRunId).toBe(1);
  }
  console.info(
    `[${backend.name}] kill ${killPoint}: first server up in ${fmt(startedFirstMs)}; killed ${seen}; ` +
      `${checked.instancesBeforeKill} pods stored before the kill; ` +
      `restart to ${INSTANCES} RUNNING in ${fmt(checked.restartedToRunningMs)}; ` +
      `${checked.instancesRestarted} instances on a new run (max run id ${checked.maxRunId}), ` +
      `${checked.podsWithFailures} with failure_count > 0; ` +
      `case ${fmt(performance.now() - started)}`,
  );
}

describe.each(BACKENDS)("crash safety of the server process ($name)", (backend) => {
  const targets: Target[] = [];
  afterAll(async () => {
    await killAll();
    for (const t of targets) await t.dispose();
  });

  it(
    `SIGKILL while a ${INSTANCES}-pod job comes up 50 at a time: nothing acknowledged lost, nothing doubled, converges after restart`,
    () => crashAndRecover(backend, targets, "partly running"),
    CASE_TIMEOUT_MS,
  );

  it(
    `SIGKILL while all ${INSTANCES} pods of a job are launching: converges after restart with new runs`,
    () => crashAndRecover(backend, targets, "launching"),
    CASE_TIMEOUT_MS,
  );

  it(
    "SIGKILL right after CreateJob answers: the job is there after restart and fully converges",
    () => crashAndRecover(backend, targets, "after CreateJob"),
    CASE_TIMEOUT_MS,
  );

  it(
    "SIGKILL in the middle of a host maintenance drain: the drain resumes, the host reaches DOWN, every instance runs once elsewhere",
    () => crashAndRecover(backend, targets, "mid-drain"),
    // Two server starts and a drain in real time: more than the other cases need.
    CASE_TIMEOUT_MS + 30_000,
  );
});
