import { createHash, timingSafeEqual } from "node:crypto";

export type Grant = "read-only" | "read-write";

export interface Principal {
  /** The token's `name` or the user's `username`: safe to log, unlike the secret. */
  readonly name: string;
  readonly access: Grant;
}

interface Entry extends Principal {
  readonly digest: Buffer;
}

const digest = (kind: "token" | "user", secret: string): Buffer =>
  createHash("sha256").update(kind).update("\0").update(secret).digest();

/** A token or a username/password as the tokens file lists it. */
export type CredentialSpec =
  | { readonly kind: "token"; readonly name: string; readonly token: string; readonly access: Grant }
  | { readonly kind: "user"; readonly username: string; readonly password: string; readonly access: Grant };

/**
 * The credentials the server accepts, kept as SHA-256 digests; a lookup compares the digest of
 * what the client sent with every entry in constant time (and never stops at the first match),
 * so the time taken says nothing about how much of a secret was right, or which entry matched.
 */
export class Credentials {
  readonly #entries: readonly Entry[];

  constructor(specs: readonly CredentialSpec[]) {
    this.#entries = specs.map((s) =>
      s.kind === "token"
        ? { name: s.name, access: s.access, digest: digest("token", s.token) }
        : { name: s.username, access: s.access, digest: digest("user", `${s.username}\0${s.password}`) },
    );
  }

  get size(): number {
    return this.#entries.length;
  }

  bearer(token: string): Principal | undefined {
    return this.#match(digest("token", token));
  }

  user(username: string, password: string): Principal | undefined {
    return this.#match(digest("user", `${username}\0${password}`));
  }

  #match(d: Buffer): Principal | undefined {
    let found: Entry | undefined;
    for (const e of this.#entries) if (timingSafeEqual(e.digest, d) && !found) found = e;
    return found && { name: found.name, access: found.access };
  }
}
