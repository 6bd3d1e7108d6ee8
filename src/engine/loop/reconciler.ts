import type { Clock } from "../../lib/clock.js";
import { DeadlineQueue } from "../../lib/deadline-queue.js";
import type { KeyString } from "./entity-key.js";

export interface ReconcilerOptions {
  readonly clock: Clock;
  /** Whether work other than due keys is waiting now (commands, fleet reports, pending pods). */
  readonly hasWork: (now: number) => boolean;
  /** Deadlines of that other work, if any (e.g. the next scheduling round). */
  readonly nextWorkAt: () => number | undefined;
  /** One tick: takes what is due and settles it. Never runs twice at once. */
  readonly tick: () => Promise<void>;
  readonly onTickError: (e: unknown) => void;
}

/**
 * The engine's clockwork: a deadline queue of entity keys, a timer set for the earliest
 * deadline, and ticks run one at a time, soon after work falls due. It knows nothing of what a
 * tick does.
 */
export class Reconciler {
  readonly #queue = new DeadlineQueue<KeyString>();
  #ticking: Promise<void> | undefined;
  #kicked = false;
  #cancelTimer: (() => void) | undefined;
  #timerAt = Number.POSITIVE_INFINITY;
  /** No tick starts before this time (after a failed commit). */
  #blockedUntil = 0;
  #idleWaiters: (() => void)[] = [];
  #stopped = false;

  constructor(private readonly o: ReconcilerOptions) {}

  /** Looks at `key` at `at` (or earlier, if it is due earlier already). */
  enqueue(key: KeyString, at: number): void {
    this.#queue.enqueue(key, at);
  }

  delete(key: KeyString): void {
    this.#queue.delete(key);
  }

  popDue(now: number): KeyString[] {
    return this.#queue.popDue(now);
  }

  get depth(): number {
    return this.#queue.size;
  }

  /** Holds every tick back until `at`. */
  blockUntil(at: number): void {
    this.#blockedUntil = at;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  /** Stops ticking; a tick under way finishes first. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#cancelTimer?.();
    await this.#ticking;
    for (const w of this.#idleWaiters.splice(0)) w();
  }

  /** Resolves once nothing is due now and no tick runs. */
  idle(): Promise<void> {
    if (this.#stopped || this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Runs a tick soon when work is due now; otherwise sets the timer for the next deadline. */
  wake(): void {
    if (this.#stopped || this.#ticking || this.#kicked) return;
    if (this.#dueNow()) {
      this.#kicked = true;
      setImmediate(() => {
        this.#kicked = false;
        this.#run();
      });
      return;
    }
    const next = Math.max(
      this.#blockedUntil,
      Math.min(
        this.#queue.peek() ?? Number.POSITIVE_INFINITY,
        this.o.nextWorkAt() ?? Number.POSITIVE_INFINITY,
      ),
    );
    if (Number.isFinite(next) && next < this.#timerAt) {
      this.#cancelTimer?.();
      this.#timerAt = next;
      this.#cancelTimer = this.o.clock.setTimer(next - this.o.clock.now(), () => {
        this.#timerAt = Number.POSITIVE_INFINITY;
        this.#cancelTimer = undefined;
        this.wake();
      });
    }
    if (this.#isIdle()) for (const w of this.#idleWaiters.splice(0)) w();
  }

  #dueNow(): boolean {
    const now = this.o.clock.now();
    if (now < this.#blockedUntil) return false;
    const next = this.#queue.peek();
    return (next !== undefined && next <= now) || this.o.hasWork(now);
  }

  #isIdle(): boolean {
    return !this.#ticking && !this.#kicked && !this.#dueNow();
  }

  #run(): void {
    if (this.#stopped || this.#ticking) return;
    this.#ticking = this.o
      .tick()
      .catch((e: unknown) => this.o.onTickError(e))
      .finally(() => {
        this.#ticking = undefined;
        this.wake();
      });
  }
}
