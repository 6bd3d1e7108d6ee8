import { type RawBuilder, sql } from "kysely";
import { arrayLiteral } from "./array-literal.js";

/** A column written by `unnestInsert`: its name and Postgres type. */
export type UnnestColumn = readonly [name: string, type: "text" | "int4" | "int8" | "jsonb"];

/**
 * A statement that inserts many rows with one array parameter per column:
 * `INSERT INTO t (a, b) SELECT * FROM unnest($1::text[], $2::int4[]) [ON CONFLICT …]`.
 * The statement carries as many parameters as the table has columns, whatever the row count,
 * so encoding and planning cost little next to a VALUES list of rows × columns parameters.
 * Each array is encoded here, once, as an array literal string (see `arrayLiteral`) cast to its
 * type: the caller can encode the next statement while this one runs. Undefined for no rows.
 */
export function unnestInsert(
  table: string,
  columns: readonly UnnestColumn[],
  rows: readonly (readonly unknown[])[],
  onConflict?: RawBuilder<unknown>,
): RawBuilder<unknown> | undefined {
  if (rows.length === 0) return undefined;
  const arrays = columns.map((_, i) => arrayLiteral(rows.map((r) => r[i])));
  const names = sql.join(columns.map(([name]) => sql.ref(name)));
  const params = sql.join(columns.map(([, type], i) => sql`${arrays[i]}::${sql.raw(type)}[]`));
  return sql`INSERT INTO ${sql.table(table)} (${names}) SELECT * FROM unnest(${params}) ${onConflict ?? sql``}`;
}
