import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { arrayLiteral } from "../../src/store/array-literal.js";
import type { OpenDatabase } from "../../src/store/open-database.js";
import { backends } from "../support/backends.js";

describe("arrayLiteral", () => {
  it("quotes strings, escapes quotes and backslashes, writes NULL and numbers bare", () => {
    expect(arrayLiteral(["a", 'say "hi"', "c:\\x", null, undefined, 7, -1.5])).toBe(
      '{"a","say \\"hi\\"","c:\\\\x",NULL,NULL,7,-1.5}',
    );
    expect(arrayLiteral([])).toBe("{}");
  });
});

describe.each(backends())("arrayLiteral on $name", (backend) => {
  let open: OpenDatabase;
  beforeAll(async () => {
    open = await backend.open();
  });
  afterAll(async () => {
    await open?.close();
  });

  it("round-trips awkward text through a text[] parameter", async () => {
    const values = [
      "",
      "NULL",
      "null",
      'a "quoted" word',
      "back\\slash",
      "{braces}",
      "a,b",
      " padded ",
      "ünï",
      null,
    ];
    const { rows } = await sql<{
      v: string | null;
    }>`SELECT unnest(${arrayLiteral(values)}::text[]) AS v`.execute(open.db);
    expect(rows.map((r) => r.v)).toEqual(values);
  });

  it("round-trips JSON documents through a jsonb[] parameter", async () => {
    const docs = [{ http: 8080 }, {}, { 'we"ird\\': 1 }];
    const { rows } = await sql<{
      v: unknown;
    }>`SELECT unnest(${arrayLiteral(docs.map((d) => JSON.stringify(d)))}::jsonb[]) AS v`.execute(open.db);
    expect(rows.map((r) => r.v)).toEqual(docs);
  });

  it("round-trips integers and NULL through int4[] and int8[] parameters", async () => {
    const { rows } = await sql<{ a: number | null; b: number | null }>`
      SELECT * FROM unnest(${arrayLiteral([1, null, -3])}::int4[], ${arrayLiteral([1764540000000, 2, null])}::int8[]) AS t(a, b)`.execute(
      open.db,
    );
    expect(rows).toEqual([
      { a: 1, b: 1764540000000 },
      { a: null, b: 2 },
      { a: -3, b: null },
    ]);
  });
});
