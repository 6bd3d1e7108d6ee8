import { isIPv6 } from "node:net";

export interface ListenAddress {
  /** A host name or IP address, IPv6 without brackets (`::`). */
  readonly host: string;
  readonly port: number;
}

/** `host:port` for grpc-js and logs: an IPv6 host goes in brackets (`[::]:5392`). */
export const formatAddress = ({ host, port }: ListenAddress): string =>
  `${isIPv6(host) ? `[${host}]` : host}:${port}`;

/** Whether a client on this machine reaches the address through loopback, and how. */
export const loopbackHost = (host: string): string =>
  host === "" || host === "0.0.0.0" || host === "::" ? "localhost" : host;

/**
 * Parses `host:port`, `[v6]:port`, or with `allowEmptyHost` `:port` (host `""`); returns a
 * one-line reason instead when it is malformed.
 */
export function parseAddress(text: string, { allowEmptyHost = false } = {}): ListenAddress | string {
  const m = /^(?:\[([^\]]*)\]|([^:[\]]*)):(\d{1,5})$/.exec(text.trim());
  if (!m) {
    return text.includes("::") && !text.includes("[")
      ? "an IPv6 host goes in brackets, e.g. [::]:5392"
      : "must be host:port, e.g. 0.0.0.0:5392 or [::]:5392";
  }
  const [, v6, plain, portText] = m;
  if (v6 !== undefined && !isIPv6(v6)) return `[${v6}] is not an IPv6 address`;
  const host = v6 ?? plain ?? "";
  if (host === "" && !allowEmptyHost) return "needs a host, e.g. 0.0.0.0:5392";
  const port = Number(portText);
  if (port > 65535) return "port must be within 0-65535";
  return { host, port };
}
