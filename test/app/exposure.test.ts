import { describe, expect, it } from "vitest";
import { exposureWarnings } from "../../src/app/exposure.js";

const tls = { certFile: "c", keyFile: "k", caFile: undefined };

describe("exposureWarnings", () => {
  it("says nothing on loopback", () => {
    for (const host of ["127.0.0.1", "::1", "localhost", "127.1.2.3"])
      expect(exposureWarnings({ host, authTokensFile: undefined, tls: undefined })).toEqual([]);
  });

  it("warns about a port open to the network without authentication, or with it but in plaintext", () => {
    expect(exposureWarnings({ host: "0.0.0.0", authTokensFile: undefined, tls })[0]).toContain(
      "without authentication",
    );
    expect(exposureWarnings({ host: "::", authTokensFile: "t.json", tls: undefined })[0]).toContain(
      "plaintext",
    );
    expect(exposureWarnings({ host: "::", authTokensFile: "t.json", tls })).toEqual([]);
  });
});
