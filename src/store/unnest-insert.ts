import { type RawBuilder, sql } from "kysely";
import { arrayLiteral } from "./array-literal.js";

/** A column written by `unnestInsert`: its name and Postgres type. */
export type UnnestColumn = readonly [name: string, type: "text" | "int4" | "int8" | "jsonb" | "bytea"];

/** Each column's values as one array literal cast to its array type: `$1::text[], $2::int4[]`. */
export function unnestArrays(
  columns: readonly UnnestColumn[],
  rows: readonly (readonly unknown[])[],
): RawBuilder<unknown> {
  const arrays = columns.map((_, i) => arrayLiteral(rows.map((r) => r[i])));
  return sql.join(columns.map(([, type], i) => sql`${arrays[i]}::${sql.raw(type)}[]`));
}

/**
 * A statement that inserts many rows with one array parameter per column:
 * `INSERT INTO t (a, b) SELECT * FROM unnest($1::text[], $2::int4[]) [ON CONFLICT …]`.
 * The statement carries as many parameters as the table has columns, whatever the row count,
 * so encoding and planning cost little next to a VALUES list of rows × columns parameters.
 * Each array is encoded here, once, as an array literal string (see `arrayLiteral`) cast to its
 * type: the caller can encode the next statement while this one runs. `constants` are columns
 * with one value for every row (the commit's revision), sent once. Undefined for no rows.
 */
export function unnestInsert(
  table: string,
  columns: readonly UnnestColumn[],
  rows: readonly (readonly unknown[])[],
  onConflict?: RawBuilder<unknown>,
  constants: readonly (readonly [name: string, value: number])[] = [],
): RawBuilder<unknown> | undefined {
  if (rows.length === 0) return undefined;
  const names = sql.join([...columns, ...constants].map(([name]) => sql.ref(name)));
  const extra = constants.map(([, value]) => sql`${value}::int8`);
  const select = extra.length > 0 ? sql`SELECT *, ${sql.join(extra)}` : sql`SELECT *`;
  return sql`INSERT INTO ${sql.table(table)} (${names}) ${select} FROM unnest(${unnestArrays(columns, rows)}) ${onConflict ?? sql``}`;
}
