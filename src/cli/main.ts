import { runCli } from "./run-cli.js";
import { cliClock } from "./wait/cli-clock.js";

/** `peloton …`: runs the command line; Ctrl-C (or SIGTERM) ends waits, watches and calls. */
const interrupt = new AbortController();
let signalled: NodeJS.Signals | undefined;
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    if (signalled) process.exit(sig === "SIGINT" ? 130 : 143);
    signalled = sig;
    interrupt.abort();
  });
}
// A closed pipe (`peloton … | head`) ends the output, not with a crash.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(0);
  throw e;
});

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  signal: interrupt.signal,
  clock: cliClock,
});
process.exitCode = signalled === "SIGTERM" ? 143 : code;
