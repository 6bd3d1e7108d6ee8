import { createPrivateKey, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import type { TlsConfig } from "../config.js";

export interface CertificateFiles {
  readonly certificate: Buffer;
  readonly privateKey: Buffer;
  readonly ca: Buffer | undefined;
  /** SHA-256 fingerprint of the served (first) certificate, for logs. */
  readonly fingerprint: string;
  readonly notAfter: string;
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

const read = (setting: string, path: string): Buffer => {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new Error(`${setting}=${path}: cannot be read (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
};

const certificates = (setting: string, path: string, pem: Buffer): X509Certificate[] => {
  const blocks = pem.toString("utf8").match(PEM_CERT) ?? [];
  if (blocks.length === 0) throw new Error(`${setting}=${path}: no PEM certificate in it`);
  return blocks.map((b) => {
    try {
      return new X509Certificate(b);
    } catch {
      throw new Error(`${setting}=${path}: a certificate in it does not parse`);
    }
  });
};

/**
 * Reads and checks the TLS files: every certificate parses, the key parses and belongs to the
 * first certificate of the chain. Throws a one-line reason naming the setting (never the key).
 */
export function readCertificateFiles(tls: TlsConfig): CertificateFiles {
  const certificate = read("PELOTON_TLS_CERT_FILE", tls.certFile);
  const privateKey = read("PELOTON_TLS_KEY_FILE", tls.keyFile);
  const ca = tls.caFile === undefined ? undefined : read("PELOTON_TLS_CA_FILE", tls.caFile);
  const [leaf] = certificates("PELOTON_TLS_CERT_FILE", tls.certFile, certificate);
  if (ca) certificates("PELOTON_TLS_CA_FILE", tls.caFile!, ca);
  let key: ReturnType<typeof createPrivateKey>;
  try {
    key = createPrivateKey(privateKey);
  } catch {
    throw new Error(`PELOTON_TLS_KEY_FILE=${tls.keyFile}: not a PEM private key (or it is encrypted)`);
  }
  if (!leaf!.checkPrivateKey(key)) {
    throw new Error(`PELOTON_TLS_KEY_FILE=${tls.keyFile}: not the key of the certificate in ${tls.certFile}`);
  }
  return { certificate, privateKey, ca, fingerprint: leaf!.fingerprint256, notAfter: leaf!.validTo };
}
