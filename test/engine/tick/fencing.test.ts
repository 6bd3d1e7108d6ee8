import { describe, expect, it } from "vitest";
import { isAppError } from "../../../src/lib/app-error.js";
import { engineHarness } from "../support/engine-harness.js";
import { newJobInput, withPool } from "../support/jobs.js";

describe("an engine whose lease was taken over", () => {
  it("stops at its first refused commit: the command is refused, nothing reaches the cache or the fleet, it commits no more", async () => {
    let fenced: Error | undefined;
    const h = await engineHarness({ onFenced: (e) => (fenced = e) });
    await withPool(h.engine);
    const commits = h.store.commits.length;
    h.store.fenced = true;
    const refused = await h.engine.createJob(newJobInput(2)).catch((e) => e);
    expect(isAppError(refused) && refused.code).toBe("UNAVAILABLE");
    expect(String(refused.message)).toMatch(/no longer leads/);
    expect(fenced?.name).toBe("Fenced");
    expect(h.engine.pods(newJobInput(0).id)).toEqual([]);
    expect(h.fleet.launches).toEqual([]);
    // Stopped for good: later commands are refused at once, and no commit is tried.
    const attempts = h.store.attempts;
    const later = await h.engine.createJob(newJobInput(1)).catch((e) => e);
    expect(isAppError(later) && later.code).toBe("UNAVAILABLE");
    await h.advance(60_000);
    expect(h.store.attempts).toBe(attempts);
    expect(h.store.commits.length).toBe(commits);
  });
});
