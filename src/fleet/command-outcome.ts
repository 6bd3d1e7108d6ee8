import type { Script } from "./parse-command.js";

/** What running a script does: ends after `seconds` with `exitCode`, or never ends. */
export type Outcome =
  | { readonly ends: true; readonly seconds: number; readonly exitCode: number }
  | { readonly ends: false };

export const NEVER_ENDS: Outcome = Object.freeze({ ends: false });

/**
 * Evaluates a script as sh would: `;` runs the next step regardless, `&&` only after status 0,
 * `||` only after a non-zero status (skipped steps leave the status alone); `exit` ends the
 * script; `sleep infinity` and unknown programs never end. The exit code is the last status.
 */
export function outcomeOf(script: Script): Outcome {
  let seconds = 0;
  let status = 0;
  for (const { connector, command } of script.steps) {
    if (connector === "&&" && status !== 0) continue;
    if (connector === "||" && status === 0) continue;
    switch (command.kind) {
      case "sleep":
        if (!Number.isFinite(command.seconds)) return NEVER_ENDS;
        seconds += command.seconds;
        status = 0;
        break;
      case "exit":
        return { ends: true, seconds, exitCode: command.code ?? status };
      case "true":
        status = 0;
        break;
      case "false":
        status = 1;
        break;
      case "subshell": {
        const inner = outcomeOf(command.script);
        if (!inner.ends) return NEVER_ENDS;
        seconds += inner.seconds;
        status = inner.exitCode;
        break;
      }
      case "program":
        return NEVER_ENDS;
    }
  }
  return { ends: true, seconds, exitCode: status };
}

/** The result of one health check: passed or not, known `seconds` after the check started. */
export interface CheckResult {
  readonly passed: boolean;
  readonly seconds: number;
}

/** A check passes when its command exits 0 within `timeoutSecs`; otherwise it fails by then. */
export function checkResultOf(outcome: Outcome, timeoutSecs: number): CheckResult {
  if (outcome.ends && outcome.seconds <= timeoutSecs) {
    return { passed: outcome.exitCode === 0, seconds: outcome.seconds };
  }
  return { passed: false, seconds: timeoutSecs };
}

/** What a whole pod does, given the outcome of each of its containers' commands. */
export type PodOutcome =
  | { readonly ends: true; readonly seconds: number; readonly exitCode: number; readonly container: number }
  | { readonly ends: false };

const POD_NEVER_ENDS: PodOutcome = Object.freeze({ ends: false });

/**
 * A pod fails when its first container to fail does (the others are torn down with it); it
 * succeeds when every container has exited 0 (at the last one's end); otherwise it runs forever.
 * `container` is the index of the container that decided the ending.
 */
export function podOutcomeOf(containers: readonly Outcome[]): PodOutcome {
  let failed: { seconds: number; exitCode: number; container: number } | undefined;
  let last: { seconds: number; container: number } | undefined;
  let forever = false;
  for (const [i, o] of containers.entries()) {
    if (!o.ends) {
      forever = true;
    } else if (o.exitCode !== 0) {
      if (!failed || o.seconds < failed.seconds) {
        failed = { seconds: o.seconds, exitCode: o.exitCode, container: i };
      }
    } else if (!last || o.seconds >= last.seconds) {
      last = { seconds: o.seconds, container: i };
    }
  }
  if (failed) return { ends: true, ...failed };
  if (forever || !last) return POD_NEVER_ENDS;
  return { ends: true, seconds: last.seconds, exitCode: 0, container: last.container };
}
