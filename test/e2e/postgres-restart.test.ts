import { ClientError, Status } from "nice-grpc";
import { afterAll, describe, expect, it } from "vitest";
import { healthOf } from "../support/health.js";
import { createPool } from "../support/jobs.js";
import { postgresBinDir, type ScratchPostgres, startScratchPostgres } from "../support/scratch-postgres.js";
import { clients, killAll, pollUntil, type Server, startServer, stop } from "../support/server-process.js";

/**
 * Postgres stopped under load and started again: the server process survives, answers
 * UNAVAILABLE (never INTERNAL) and says NOT_SERVING while the database is away, SERVING again
 * once it is back, and the engine then brings every acknowledged job's pods to RUNNING. The
 * cluster is the test's own (initdb + pg_ctl), so that stopping it disturbs nothing else.
 */
const INSTANCES = 40;

const codeOf = (e: unknown): Status => {
  if (e instanceof ClientError) return e.code;
  throw e;
};

describe.skipIf(!postgresBinDir())("a Postgres restart under load", () => {
  let pg: ScratchPostgres | undefined;
  let server: Server | undefined;
  afterAll(async () => {
    await killAll();
    await pg?.destroy();
  });

  it("answers UNAVAILABLE and NOT_SERVING while it is down, and resumes with nothing acknowledged lost", async () => {
    pg = await startScratchPostgres();
    server = await startServer({ DATABASE_URL: pg.url, PELOTON_DB_PROBE_INTERVAL_MS: "100" });
    const c = clients(server.port);
    const serving = healthOf(c.channel);
    expect(await serving()).toBe("SERVING");

    const pool = { value: await createPool(c, "load", 40, 40_960) };
    const createJob = (name: string) =>
      c.job.createJob({
        spec: {
          name,
          instanceCount: INSTANCES,
          respoolId: pool,
          defaultSpec: {
            containers: [
              {
                name: "main",
                command: { value: "sleep 100000" },
                resource: { cpuLimit: 0.1, memLimitMb: 32 },
              },
            ],
          },
        },
      });
    /** Job ids whose CreateJob answered OK: these must all run in the end. */
    const acknowledged: string[] = [];
    const codes = new Map<string, number>();
    const attempt = async (name: string) => {
      try {
        acknowledged.push((await createJob(name)).jobId!.value);
        codes.set("OK", (codes.get("OK") ?? 0) + 1);
      } catch (e) {
        const code = Status[codeOf(e)];
        codes.set(code, (codes.get(code) ?? 0) + 1);
      }
    };
    // Load: jobs being created and their pods converging while Postgres goes away.
    for (let i = 0; i < 3; i++) await attempt(`before-${i}`);
    const load = (async () => {
      for (let i = 0; i < 5; i++) await attempt(`during-${i}`);
    })();
    await pg.stop();
    await load;

    await pollUntil("health NOT_SERVING", serving, (s) => s === "NOT_SERVING", {
      maxMs: 20_000,
    });
    const readCode = async () => {
      try {
        await c.job.getJob({ jobId: { value: acknowledged[0]! } });
        return "OK";
      } catch (e) {
        return Status[codeOf(e)];
      }
    };
    expect(await readCode()).toBe("UNAVAILABLE");
    for (let i = 0; i < 3; i++) await attempt(`while-down-${i}`);
    expect(codes.get("INTERNAL")).toBeUndefined();
    expect(codes.get("UNAVAILABLE")).toBeGreaterThanOrEqual(3);

    await pg.start();
    await pollUntil("health SERVING again", serving, (s) => s === "SERVING", {
      maxMs: 20_000,
    });
    for (let i = 0; i < 2; i++) await attempt(`after-${i}`);
    expect(acknowledged.length).toBeGreaterThanOrEqual(5);
    for (const jobId of acknowledged) {
      await pollUntil(
        `job ${jobId} RUNNING`,
        async () =>
          (await c.job.getJob({ jobId: { value: jobId }, summaryOnly: true })).summary?.status?.podStats ??
          {},
        (stats) => stats.POD_STATE_RUNNING === INSTANCES,
        { maxMs: 60_000 },
      );
    }
    expect(server.child.exitCode).toBeNull();
    c.channel.close();
    await stop(server);
  }, 180_000);
});
