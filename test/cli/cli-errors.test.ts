import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool, createSleepJob } from "../support/jobs.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { CLI_TEST_TIMEOUT, peloton } from "./support/run-peloton.js";

const scratch = mkdtempSync(join(tmpdir(), "peloton-cli-"));
const spec = join(scratch, "spec.yaml");
writeFileSync(spec, "name: web\ninstance_count: 2\n");

describe(
  "peloton's failures: the server's status on stderr, the exit code of its class",
  CLI_TEST_TIMEOUT,
  () => {
    let s: TestServer;
    let jobId: string;
    const cli = (...args: string[]) => peloton(s.address, args);

    beforeAll(async () => {
      s = await startTestServer({ PELOTON_SIM_HOSTS: "2" });
      await createPool(s, "web", 4, 1024);
      jobId = await createSleepJob(
        s,
        (await s.respool.lookupResourcePoolID({ path: { value: "/web" } })).respoolId!.value,
        1,
      );
    });
    afterAll(async () => {
      await s?.stop();
    });

    it("shows UNIMPLEMENTED for the methods the server does not build yet, exit 15", async () => {
      const calls: [string[], string][] = [
        [
          ["job", "stateless", "replace", jobId, spec, "1", "/web", "1-1-1", "--wait"],
          "JobService.ReplaceJob",
        ],
        [["job", "stateless", "patch", jobId, spec, "1-1-1", "--batch-size", "1"], "JobService.PatchJob"],
        [["job", "stateless", "replace-diff", jobId, spec, "/web", "1-1-1"], "JobService.GetReplaceJobDiff"],
        [
          ["job", "stateless", "restart", jobId, "1-1-1", "--range", "0:1", "--wait"],
          "JobService.RestartJob",
        ],
        [["job", "stateless", "list-updates", jobId], "JobService.ListJobUpdates"],
        [["job", "stateless", "workflow", "events", jobId, "0"], "JobService.GetWorkflowEvents"],
        [["watch", "job", jobId], "WatchService.Watch"],
        [["watch", "pod", jobId, `${jobId}-0`, "--revision", "3"], "WatchService.Watch"],
        [["watch", "cancel", "7"], "WatchService.Cancel"],
      ];
      const runs = await Promise.all(calls.map(([args]) => cli(...args)));
      runs.forEach((r, i) => {
        const [args, method] = calls[i]!;
        expect({ args, code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({
          args,
          code: 15,
          stdout: "",
          stderr: `peloton: UNIMPLEMENTED: ${method} is not implemented yet\n`,
        });
      });
    });

    it("refuses a spec with an unknown field before calling (exit 1), and bad usage with exit 2", async () => {
      const typo = join(scratch, "typo.yaml");
      writeFileSync(typo, "name: web\ninstances: 2\n");
      const [unknown, missing, badFlag, badAddress, unknownCommand, tlsHalf] = await Promise.all([
        cli("job", "stateless", "create", "/web", typo, "1"),
        cli("job", "stateless", "create", "/web", join(scratch, "none.yaml"), "1"),
        cli("job", "stateless", "create", "/web", spec, "many"),
        peloton("no port here", ["host", "query"]),
        cli("job", "stateless", "frobnicate"),
        cli("--tls-cert", spec, "host", "query"),
      ]);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toMatch(
        /^peloton: .*typo\.yaml: instances: JobSpec has no such field \(it has .*instance_count/,
      );
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/^peloton: cannot read .*none\.yaml: ENOENT\n$/);
      expect(badFlag.code).toBe(2);
      expect(badFlag.stderr).toMatch(
        /value 'many' is invalid for argument 'batch-size'\. "many" is not a whole number/,
      );
      expect(badAddress.code).toBe(2);
      expect(badAddress.stderr).toBe(
        'peloton: --jobmgr: "no port here" is not host:port (e.g. localhost:5392)\n',
      );
      expect(unknownCommand.code).toBe(2);
      expect(unknownCommand.stderr).toMatch(/unknown command 'frobnicate'/);
      expect(tlsHalf.code).toBe(2);
      expect(tlsHalf.stderr).toBe(
        "peloton: --tls-cert and --tls-key go together (a client certificate and its key)\n",
      );
    });

    it("gives UNAVAILABLE (exit 14) for a server that is not there, and DEADLINE_EXCEEDED past --timeout", async () => {
      const [gone, late] = await Promise.all([
        peloton("127.0.0.1:1", ["host", "query"]),
        cli("--timeout", "1ms", "host", "query"),
      ]);
      expect(gone.code).toBe(14);
      expect(gone.stderr).toMatch(/^peloton: UNAVAILABLE: /);
      expect(late.code).toBe(14);
      expect(late.stderr).toBe("peloton: DEADLINE_EXCEEDED: Deadline exceeded\n");
    });
  },
);
