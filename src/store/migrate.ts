import { type Kysely, type MigrationResultSet, Migrator } from "kysely";
import { migrations } from "../../migrations/index.js";

// biome-ignore lint/suspicious/noExplicitAny: the migrator works below the schema type
type AnyDb = Kysely<any>;

const migrator = (db: AnyDb) => new Migrator({ db, provider: { getMigrations: async () => migrations } });

const check = (result: MigrationResultSet, what: string): void => {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === "Error")?.migrationName ?? "?";
    const reason = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`${what} failed at ${failed}: ${reason}`);
  }
};

/** Brings the schema to the newest migration. */
export async function migrateToLatest(db: AnyDb): Promise<void> {
  check(await migrator(db).migrateToLatest(), "migration");
}

/** Undoes every migration (used by tests that prove down/up is clean). */
export async function migrateDownAll(db: AnyDb): Promise<void> {
  const m = migrator(db);
  for (;;) {
    const result = await m.migrateDown();
    check(result, "down migration");
    if (!result.results?.length) return;
  }
}
