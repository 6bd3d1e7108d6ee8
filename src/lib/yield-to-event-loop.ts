/**
 * Lets the event loop run what is waiting (I/O, timers, gRPC calls) before going on: long
 * synchronous work calls it every few thousand items so that it never holds the loop for long.
 */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
