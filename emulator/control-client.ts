// SPDX-License-Identifier: Apache-2.0
import type { LogEntry } from "./state.js";
import type { Modes } from "./modes.js";

/** A principal of `seed` (docs/emulator.md): one of a secret, a certificate or a federated credential. */
export interface SeedPrincipal {
  clientId: string;
  /** Default: the start tenant. A new tenant becomes known to Azure AD by having a principal. */
  tenantId?: string;
  objectId?: string;
  clientSecret?: string;
  /** The public key as PEM (a string, or the Buffer `KeyObject.export` may type it as). */
  certificate?: { thumbprint?: string; thumbprintSha256?: string; publicKeyPem: string | Buffer };
  /** Issuer default: the emulator's own (`…/_oidc`); audience default `api://AzureADTokenExchange`. */
  federated?: { issuer?: string; subject: string; audience?: string; jwks?: { keys: Array<Record<string, unknown>> } };
  /** Publishers the principal is registered for (403 on any other). */
  publishers: string[];
}

/** The body of `POST /_emulator/seed`. */
export interface SeedRequest {
  tenants?: string[];
  publishers?: Array<{ id: string; displayText?: string }>;
  principals?: SeedPrincipal[];
  offers?: Array<{ publisherId: string; offer: Record<string, unknown>; migrated?: boolean }>;
}

/**
 * Typed client of the control API (docs/emulator.md), for tests, benchmarks and demos — works
 * against an in-process emulator and a CLI-started one alike (plain HTTP, global fetch).
 */
export class EmulatorControl {
  constructor(readonly controlUrl: string) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const send = () =>
      fetch(`${this.controlUrl}${path}`, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    // After an emulator restarts on the same port, fetch may first try a kept-alive socket the
    // old one closed: a GET, which changes nothing, is sent again once.
    const res = await (method === "GET" ? send().catch(() => send()) : send());
    const text = await res.text();
    if (!res.ok) throw new Error(`emulator control ${method} ${path}: HTTP ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Back to the start seed and modes. */
  reset(): Promise<void> {
    return this.call("POST", "/reset");
  }
  /** Adds tenants, publishers, principals (secret, certificate or federated) and offers. */
  seed(data: SeedRequest): Promise<{ publishers: number; principals: number; offers: number }> {
    const principals = data.principals?.map((p) =>
      p.certificate
        ? { ...p, certificate: { ...p.certificate, publicKeyPem: p.certificate.publicKeyPem.toString() } }
        : p,
    );
    return this.call("POST", "/seed", { ...data, ...(principals ? { principals } : {}) });
  }
  /**
   * Mints a token of the emulator's own OIDC issuer, as a CI's OIDC provider would: the
   * federated assertion a principal seeded with `federated: { subject }` exchanges for an access
   * token. `expiresInSeconds` (default 600) may be negative (an already expired token).
   */
  federatedToken(request: {
    subject: string;
    audience?: string;
    expiresInSeconds?: number;
  }): Promise<{ token: string; issuer: string }> {
    return this.call("POST", "/federated-token", request);
  }
  /** The URL of the emulator's own OIDC issuer (what its federated tokens carry as `iss`). */
  async federatedIssuer(): Promise<string> {
    return (await this.call<{ issuer: string }>("GET", "/federated-issuer")).issuer;
  }
  /** Reads the modes. */
  modes(): Promise<Modes> {
    return this.call("GET", "/modes");
  }
  /** Changes some modes. */
  setModes(patch: Partial<Modes>): Promise<Modes> {
    return this.call("PATCH", "/modes", patch);
  }
  /** Injects a fault into the next matching requests. */
  injectFault(fault: {
    method?: string;
    path: string;
    count?: number;
    status?: number;
    retryAfter?: number | string;
    body?: unknown;
    headers?: Record<string, string>;
    delayMs?: number;
    reset?: boolean;
  }): Promise<{ id: string }> {
    return this.call("POST", "/faults", fault);
  }
  /** Removes pending faults. */
  clearFaults(): Promise<void> {
    return this.call("DELETE", "/faults");
  }
  /** Forces how the running (or next) operation of an offer ends. */
  forceOutcome(
    publisherId: string,
    offerId: string,
    outcome: { outcome: "fail" | "block" | "reject" | "cancel"; step?: string; message?: string },
  ): Promise<void> {
    return this.call(
      "POST",
      `/offers/${encodeURIComponent(publisherId)}/${encodeURIComponent(offerId)}/outcome`,
      outcome,
    );
  }
  /** Internal view of an offer (draft with secrets, slots, ETag). */
  offer(
    publisherId: string,
    offerId: string,
  ): Promise<{
    draft: Record<string, any>;
    etag: string;
    migrated: boolean;
    preview: Record<string, any> | null;
    production: Record<string, any> | null;
    versions: string[];
    /** Product and plan GUIDs and the PIA-only fields by durable id, once the offer was seen through PIA. */
    pia: {
      product: string;
      plans: Record<string, string>;
      extras: Record<string, Record<string, any>>;
    } | null;
  }> {
    return this.call("GET", `/offers/${encodeURIComponent(publisherId)}/${encodeURIComponent(offerId)}`);
  }
  /** An out-of-band edit (JSON merge patch of the Draft), as from the portal. */
  editOffer(publisherId: string, offerId: string, patch: Record<string, unknown>): Promise<{ etag: string }> {
    return this.call("PATCH", `/offers/${encodeURIComponent(publisherId)}/${encodeURIComponent(offerId)}`, patch);
  }
  /** Makes an offer vanish. */
  deleteOffer(publisherId: string, offerId: string): Promise<void> {
    return this.call("DELETE", `/offers/${encodeURIComponent(publisherId)}/${encodeURIComponent(offerId)}`);
  }
  /** The request log after sequence number `since`. */
  requests(since = 0): Promise<LogEntry[]> {
    return this.call("GET", `/requests?since=${since}`);
  }
  /** Clears the request log. */
  clearRequests(): Promise<void> {
    return this.call("DELETE", "/requests");
  }
  /**
   * API and token requests received and not yet answered or dropped. A delayed request counts
   * until its delay ends, even when its client gave up.
   */
  async inflight(): Promise<number> {
    return (await this.call<{ inflight: number }>("GET", "/inflight")).inflight;
  }
  /**
   * Resolves once no request is in flight, so that a request a client gave up on has acted and
   * is logged before a test judges the state or clears the log. Fails after `timeoutMs`.
   */
  async untilQuiet(timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const n = await this.inflight();
      if (n === 0) return;
      if (Date.now() > deadline)
        throw new Error(`the emulator still has ${n} request(s) in flight after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  /** Every operation with its computed status. */
  operations(): Promise<
    Array<{
      id: string;
      publisherId: string;
      offerId: string;
      type: string;
      /** The Product Ingestion API submission number, once the publication was seen through PIA. */
      submission?: string;
      status: string;
      steps: unknown[];
      createdAt: string;
    }>
  > {
    return this.call("GET", "/operations");
  }
  /** Every Product Ingestion API configure job with its computed status (one store with CPP). */
  piaJobs(): Promise<
    Array<{
      jobId: string;
      jobStatus: string;
      jobResult: string;
      createdAt: string;
      /** The resource type of each resource the job was posted with. */
      resources: string[];
      /** `publisher/offer` the job wrote, once processed. */
      offer?: string;
      operationId?: string;
      errors: unknown[];
    }>
  > {
    return this.call("GET", "/pia/jobs");
  }
  /** Moves the emulated clock forward and/or changes its speed. */
  clock(change: { advanceMs?: number; timeScale?: number }): Promise<{ now: string; timeScale: number }> {
    return this.call("POST", "/clock", change);
  }
}
