// SPDX-License-Identifier: Apache-2.0
/**
 * One HTTP(S) request with exactly the bytes a test chooses: any Host header, an unencoded or
 * malformed path, any header values — what fetch refuses or rewrites. For the emulator's
 * robustness and host-name tests.
 */
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

/** What {@link rawRequest} sends. */
export interface RawRequest {
  method?: string;
  /** The request target as sent (not normalised or re-encoded). */
  path: string;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
  /** Extra CA certificates (PEM) to trust, for https. */
  ca?: string;
  /** The TLS server name (SNI, and the name the certificate must carry), as a hosts entry would give. */
  servername?: string;
  timeoutMs?: number;
}

/** The answer: status, headers and the body as text. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Sends one request to `base` (http or https origin) on a fresh connection. */
export function rawRequest(base: string, r: RawRequest): Promise<RawResponse> {
  const url = new URL(base);
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      {
        host: url.hostname.replace(/^\[|\]$/g, ""),
        port: url.port,
        method: r.method ?? "GET",
        path: r.path,
        headers: r.headers ?? {},
        agent: false,
        ...(r.ca ? { ca: r.ca } : {}),
        ...(r.servername ? { servername: r.servername } : {}),
        timeout: r.timeoutMs ?? 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }),
        );
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer in ${r.timeoutMs ?? 10_000} ms`)));
    req.on("error", reject);
    req.end(r.body);
  });
}
