import type { JobProgress } from "./job-progress.js";

/**
 * Where `--wait` learns how a job is doing: an endless stream of observations that ends when
 * `signal` aborts. Polling GetJob is one; Watch is another; tests feed their own.
 */
export type ProgressSource = (signal: AbortSignal) => AsyncIterable<JobProgress>;
