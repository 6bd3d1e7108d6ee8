import { experimental, type ServerCredentials } from "@grpc/grpc-js";
import type { Logger } from "pino";
import { ConfigError, type TlsConfig } from "../config.js";
import { watchFiles } from "../file-watch.js";
import { type CertificateFiles, readCertificateFiles } from "./certificate-files.js";

type CaListener = experimental.CaCertificateUpdateListener;
type IdentityListener = experimental.IdentityCertificateUpdateListener;

/**
 * A grpc-js certificate provider over the TLS files: it hands the server the last good
 * certificate, key and CA, and new ones when the files change and check out. A change that
 * does not (a key that does not match its certificate: the files were replaced one at a time,
 * or wrongly) is logged, and the server keeps serving the previous pair.
 */
class FileCertificateProvider implements experimental.CertificateProvider {
  readonly #ca = new Set<CaListener>();
  readonly #identity = new Set<IdentityListener>();

  constructor(public current: CertificateFiles) {}

  publish(files: CertificateFiles): void {
    this.current = files;
    for (const l of this.#identity) l({ certificate: files.certificate, privateKey: files.privateKey });
    if (files.ca) for (const l of this.#ca) l({ caCertificate: files.ca });
  }

  addCaCertificateListener(listener: CaListener): void {
    this.#ca.add(listener);
    const { ca } = this.current;
    if (ca) process.nextTick(listener, { caCertificate: ca });
  }

  removeCaCertificateListener(listener: CaListener): void {
    this.#ca.delete(listener);
  }

  addIdentityCertificateListener(listener: IdentityListener): void {
    this.#identity.add(listener);
    const { certificate, privateKey } = this.current;
    process.nextTick(listener, { certificate, privateKey });
  }

  removeIdentityCertificateListener(listener: IdentityListener): void {
    this.#identity.delete(listener);
  }
}

export interface TlsCredentials {
  readonly credentials: ServerCredentials;
  stop(): void;
}

/**
 * Server credentials for PELOTON_TLS_*: TLS with the certificate and key; with a CA, clients
 * must present a certificate it signed (mTLS). The files are checked every `reloadIntervalMs`
 * and new certificates served without a restart (new connections get them; open ones keep
 * theirs). Uses grpc-js 1.14's `experimental.createCertificateProviderServerCredentials`.
 */
export function tlsServerCredentials(tls: TlsConfig, reloadIntervalMs: number, log: Logger): TlsCredentials {
  let files: CertificateFiles;
  try {
    files = readCertificateFiles(tls);
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
  const provider = new FileCertificateProvider(files);
  log.info(
    {
      certificate: files.fingerprint,
      notAfter: files.notAfter,
      clientCertificates: tls.caFile ? "required" : "not asked",
    },
    "TLS on",
  );
  const paths = [tls.certFile, tls.keyFile, ...(tls.caFile ? [tls.caFile] : [])];
  const stop = watchFiles(paths, reloadIntervalMs, () => {
    try {
      const next = readCertificateFiles(tls);
      provider.publish(next);
      log.info({ certificate: next.fingerprint, notAfter: next.notAfter }, "TLS certificates reloaded");
    } catch (e) {
      log.warn(
        { reason: (e as Error).message, serving: provider.current.fingerprint },
        "TLS files changed but do not check out; still serving the previous certificate",
      );
    }
  });
  // grpc-js names this function's parameters (ca, identity) but hands them to the credentials
  // as (identity, ca): the first is the identity provider, the second the CA provider or null.
  const credentials = experimental.createCertificateProviderServerCredentials(
    provider,
    tls.caFile ? provider : null,
    tls.caFile !== undefined,
  );
  return { credentials, stop };
}
