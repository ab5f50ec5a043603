// SPDX-License-Identifier: Apache-2.0
import { createTokenProvider, type CredentialOptions, type TokenProvider } from "./auth.js";
import { CloudPartnerError } from "./errors.js";
import { quoteETag } from "./etag.js";
import { resolveOperationUrl } from "./location.js";
import type {
  OfferDocument,
  OfferStatusDocument,
  OfferSummary,
  OfferType,
  OperationDetail,
  OperationSummary,
  Publisher,
} from "./models.js";
import { pollOperation, type PollOptions } from "./poller.js";
import { serverRetryAfter, type RetryOptions } from "./retry.js";
import { offerScope, SharedReads } from "./shared-reads.js";
import { invalidResponse, Transport, type TransportResponse } from "./transport.js";
import { assertSecureUrl } from "./url-policy.js";

/** The public endpoint of the Cloud Partner Portal API. */
export const DEFAULT_ENDPOINT = "https://cloudpartner.azure.com";
/** The API version this client speaks. */
export const API_VERSION = "2017-10-31";

/** Options of {@link CloudPartnerClient}. */
export interface CloudPartnerClientOptions {
  /** A service-principal credential, or any token provider. */
  credential: CredentialOptions | TokenProvider;
  /** API base URL (default `https://cloudpartner.azure.com`); plain http only on loopback. */
  endpoint?: string;
  apiVersion?: string;
  retry?: RetryOptions;
  /** Timeout of one attempt (default 60000 ms). */
  timeoutInMs?: number;
  /** Injectable wait, so tests need not sleep. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Jitter source. */
  random?: () => number;
  /** Monotonic clock in milliseconds that ages kept reads (default `performance.now`); tests pass their own. */
  now?: () => number;
  onRetry?: (info: { method: string; url: string; attempt: number; delayInMs: number; reason: string }) => void;
  /** Text put before the User-Agent `pulumi-cloudpartner/<version> (node/<version>; <platform>)`. */
  userAgentPrefix?: string;
}

/** Every call accepts an abort signal. */
export interface RequestOptions {
  abortSignal?: AbortSignal;
}

/** A value and the ETag that came with it. */
export interface WithETag<T> {
  value: T;
  etag?: string;
}

/**
 * How a PUT guards against concurrent change: create only (no If-Match: an existing offer →
 * 409), optimistic (If-Match: the ETag read), or last writer wins (If-Match: *).
 */
export type PutConcurrency = { mode: "createOnly" } | { mode: "ifMatch"; etag: string } | { mode: "lastWriterWins" };

const SLOTS = { draft: "Draft", preview: "Preview", production: "Production" } as const;

/**
 * Typed client of the Cloud Partner Portal API (2017-10-31): a method per endpoint E1–E14 of
 * docs/internals/api-notes.md, one HTTP stack (retries for idempotent methods only, Retry-After honoured, 401 →
 * one token refresh), typed errors with stable codes, and one operation poller.
 */
export class CloudPartnerClient {
  /** The API base URL in use. */
  readonly endpoint: string;
  private readonly apiVersion: string;
  private readonly transport: Transport;
  private readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Concurrent identical GETs of an offer share one request (see shared-reads.ts). */
  private readonly sharedReads: SharedReads;

  constructor(options: CloudPartnerClientOptions) {
    this.endpoint = assertSecureUrl(options.endpoint ?? DEFAULT_ENDPOINT, "endpoint").origin;
    this.apiVersion = options.apiVersion ?? API_VERSION;
    this.sharedReads = new SharedReads(options.now);
    const tokens = "getToken" in options.credential ? options.credential : createTokenProvider(options.credential);
    this.sleep = options.sleep;
    this.transport = new Transport({
      tokens,
      retry: options.retry,
      timeoutInMs: options.timeoutInMs,
      sleep: options.sleep,
      random: options.random,
      onRetry: options.onRetry,
      userAgentPrefix: options.userAgentPrefix,
    });
  }

  /** E1: publishers the caller's principal may use. */
  async listPublishers(o: RequestOptions = {}): Promise<Publisher[]> {
    return this.array<Publisher>(await this.get(["api", "publishers"], o));
  }

  /** E2: offer types. */
  async listOfferTypes(o: RequestOptions = {}): Promise<OfferType[]> {
    return this.array<OfferType>(await this.get(["api", "offerTypes"], o));
  }

  /** E3: offer summaries of a publisher. */
  async listOffers(publisherId: string, o: RequestOptions = {}): Promise<OfferSummary[]> {
    return this.array<OfferSummary>(await this.get(["api", "publishers", publisherId, "offers"], o, publisherId));
  }

  /**
   * E4–E6: an offer's Draft (default), a slot, or a version, with its ETag when the service sends
   * one. Identical calls in flight at the same time, without an abort signal, share one request
   * (each gets its own copy); one made after this client started writing the offer sends its own.
   */
  async getOffer(
    publisherId: string,
    offerId: string,
    o: RequestOptions & {
      slot?: "Draft" | "Preview" | "Production";
      version?: number;
      includeAllPricing?: boolean;
      /**
       * Accept a copy of this document that this client received at most this many milliseconds
       * ago (counted from when its request was sent), if it has not written the offer since; the
       * refresh handlers pass it so that an offer's resources share one read (shared-reads.ts).
       */
      maxAgeMs?: number;
    } = {},
  ): Promise<WithETag<OfferDocument>> {
    const base = ["api", "publishers", publisherId, "offers", offerId];
    const path =
      o.version !== undefined
        ? [...base, "versions", String(o.version)]
        : o.slot && o.slot.toLowerCase() !== "draft"
          ? [...base, "slot", SLOTS[o.slot.toLowerCase() as keyof typeof SLOTS] ?? o.slot]
          : base;
    const url = this.url(path, o.includeAllPricing ? { includeAllPricing: "true" } : undefined);
    const res = await this.offerRead(publisherId, offerId, url, o.abortSignal, o.maxAgeMs);
    return { value: this.object<OfferDocument>(res, "offer"), etag: etagOf(res) };
  }

  /** E7: create or replace an offer document. */
  async putOffer(
    publisherId: string,
    offerId: string,
    offer: OfferDocument,
    o: RequestOptions & { concurrency: PutConcurrency },
  ): Promise<WithETag<OfferDocument> & { created: boolean }> {
    const headers: Record<string, string> = {};
    if (o.concurrency.mode === "ifMatch") headers["if-match"] = quoteETag(o.concurrency.etag);
    if (o.concurrency.mode === "lastWriterWins") headers["if-match"] = "*";
    const res = await this.sharedReads.write(offerScope(publisherId, offerId), () =>
      this.transport.send({
        method: "PUT",
        url: this.url(["api", "publishers", publisherId, "offers", offerId]),
        body: offer,
        headers,
        abortSignal: o.abortSignal,
        publisherId,
      }),
    );
    return { value: this.object<OfferDocument>(res, "offer"), etag: etagOf(res), created: res.status === 201 };
  }

  /** E8: publishing status with steps (identical calls in flight share one request, as getOffer's). */
  async getOfferStatus(publisherId: string, offerId: string, o: RequestOptions = {}): Promise<OfferStatusDocument> {
    const url = this.url(["api", "publishers", publisherId, "offers", offerId, "status"]);
    const res = await this.offerRead(publisherId, offerId, url, o.abortSignal);
    return this.object<OfferStatusDocument>(res, "status");
  }

  /** E9: start publishing; returns the operation URL to poll. Never retried (POST). */
  async beginPublish(
    publisherId: string,
    offerId: string,
    o: RequestOptions & { notificationEmails?: string[] } = {},
  ): Promise<{ operationUrl: string }> {
    return this.begin("publish", publisherId, offerId, o);
  }

  /** E10: start going live; returns the operation URL to poll. Never retried (POST). */
  async beginGoLive(
    publisherId: string,
    offerId: string,
    o: RequestOptions & { notificationEmails?: string[] } = {},
  ): Promise<{ operationUrl: string }> {
    return this.begin("golive", publisherId, offerId, o);
  }

  /** E11: cancel the running operation: 200 (done) or 202 with the cancel operation's URL. */
  async cancelOperation(
    publisherId: string,
    offerId: string,
    o: RequestOptions & { notificationEmails?: string[] } = {},
  ): Promise<{ operationUrl?: string; status: number }> {
    const res = await this.sharedReads.write(offerScope(publisherId, offerId), () =>
      this.transport.send({
        method: "POST",
        url: this.url(["api", "publishers", publisherId, "offers", offerId, "cancel"]),
        body: metadata(o.notificationEmails),
        abortSignal: o.abortSignal,
        publisherId,
      }),
    );
    const location = locationOf(res);
    return {
      status: res.status,
      ...(location ? { operationUrl: resolveOperationUrl(location, this.endpoint, this.apiVersion) } : {}),
    };
  }

  /** E12: operations (submissions) of an offer, newest first, optionally filtered by state. */
  async listOperations(
    publisherId: string,
    offerId: string,
    o: RequestOptions & { status?: string } = {},
  ): Promise<OperationSummary[]> {
    const url = this.url(
      ["api", "publishers", publisherId, "offers", offerId, "submissions", ""],
      o.status ? { status: o.status } : undefined,
    );
    const res = await this.transport.send({ method: "GET", url, abortSignal: o.abortSignal, publisherId });
    return this.array<OperationSummary>(res);
  }

  /** E13: one operation by id. */
  async getOperation(
    publisherId: string,
    offerId: string,
    operationId: string,
    o: RequestOptions = {},
  ): Promise<OperationDetail> {
    return this.getOperationByUrl(this.operationUrl(publisherId, offerId, operationId), o);
  }

  /** The E13 URL of an operation (for an id found in the E12 list). */
  operationUrl(publisherId: string, offerId: string, operationId: string): string {
    return this.url(["api", "publishers", publisherId, "offers", offerId, "operations", operationId]);
  }

  /** E13/E14 by URL (from a Location header); refuses other hosts so the token never leaves. */
  async getOperationByUrl(url: string, o: RequestOptions = {}): Promise<OperationDetail> {
    return (await this.fetchOperation(url, o.abortSignal)).operation;
  }

  /** Polls an operation (see poller.ts): until it ends, or reaches sign-off with `until: "signoff"`. */
  async pollOperation(operationUrl: string, o: PollOptions = {}): Promise<OperationDetail> {
    return pollOperation((signal) => this.fetchOperation(operationUrl, signal), operationUrl, {
      sleep: this.sleep,
      ...o,
    });
  }

  private async fetchOperation(
    url: string,
    abortSignal?: AbortSignal,
  ): Promise<{ operation: OperationDetail; retryAfterInMs?: number }> {
    const resolved = resolveOperationUrl(url, this.endpoint, this.apiVersion);
    if (new URL(resolved).origin !== this.endpoint) {
      throw new CloudPartnerError(
        "CPP_CONFIGURATION",
        `refusing to send the token to ${new URL(resolved).origin}: operation URLs must be on ${this.endpoint}`,
      );
    }
    const res = await this.transport.send({ method: "GET", url: resolved, abortSignal });
    // The docs' example wraps the operation in an array; clients parse an object (§13.7).
    const body = Array.isArray(res.body) && res.body.length === 1 ? { ...res, body: res.body[0] } : res;
    const operation = this.object<OperationDetail>(body, "operation");
    if (typeof operation.status !== "string") throw invalid(res, "an operation without a status");
    // retry-after-ms and x-ms-retry-after-ms before Retry-After, as Azure SDKs read them.
    return { operation, retryAfterInMs: serverRetryAfter(res.headers, Date.now())?.delayInMs };
  }

  private async begin(
    action: "publish" | "golive",
    publisherId: string,
    offerId: string,
    o: RequestOptions & { notificationEmails?: string[] },
  ): Promise<{ operationUrl: string }> {
    const res = await this.sharedReads.write(offerScope(publisherId, offerId), () =>
      this.transport.send({
        method: "POST",
        url: this.url(["api", "publishers", publisherId, "offers", offerId, action]),
        body: metadata(o.notificationEmails),
        abortSignal: o.abortSignal,
        publisherId,
      }),
    );
    const location = locationOf(res);
    if (location) return { operationUrl: resolveOperationUrl(location, this.endpoint, this.apiVersion) };
    // No header: find the running operation in the submissions list (docs/internals/api-notes.md §9.1 step 5).
    const running = await this.listOperations(publisherId, offerId, { status: "running", abortSignal: o.abortSignal });
    if (running[0]?.id)
      return {
        operationUrl: this.url(["api", "publishers", publisherId, "offers", offerId, "operations", running[0].id]),
      };
    throw invalid(res, `an accepted ${action} without a Location header or a running operation`);
  }

  /**
   * A GET of an offer's document or status; joins an identical one in flight (or reuses one within
   * `maxAgeMs`) unless the caller can abort it.
   */
  private offerRead(
    publisherId: string,
    offerId: string,
    url: string,
    abortSignal?: AbortSignal,
    maxAgeMs?: number,
  ): Promise<TransportResponse> {
    const send = () => this.transport.send({ method: "GET", url, abortSignal, publisherId });
    // A caller's abort would end the shared request for everyone, so such reads are never shared.
    return abortSignal ? send() : this.sharedReads.read(offerScope(publisherId, offerId), url, send, maxAgeMs);
  }

  private async get(path: string[], o: RequestOptions, publisherId?: string): Promise<TransportResponse> {
    return this.transport.send({ method: "GET", url: this.url(path), abortSignal: o.abortSignal, publisherId });
  }

  private url(segments: string[], query?: Record<string, string>): string {
    const path = segments.map((s) => encodeURIComponent(s)).join("/");
    const url = new URL(`${this.endpoint}/${path}`);
    url.searchParams.set("api-version", this.apiVersion);
    for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, v);
    return url.toString();
  }

  private object<T>(res: TransportResponse, what: string): T {
    if (typeof res.body !== "object" || res.body === null || Array.isArray(res.body))
      throw invalid(res, `a response without the expected ${what} object`);
    return res.body as T;
  }

  private array<T>(res: TransportResponse): T[] {
    if (!Array.isArray(res.body)) throw invalid(res, "a response that is not the expected array");
    return res.body as T[];
  }
}

function metadata(emails?: string[]): { metadata: { "notification-emails": string } } | Record<string, never> {
  return emails && emails.length > 0 ? { metadata: { "notification-emails": emails.join(",") } } : {};
}

function etagOf(res: TransportResponse): string | undefined {
  const v = res.headers.etag;
  return Array.isArray(v) ? v[0] : v;
}

function locationOf(res: TransportResponse): string | undefined {
  const pick = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const header = pick(res.headers.location) ?? pick(res.headers["operation-location"]);
  if (header) return header;
  // The cancel page says the location may come in the body (docs/internals/api-notes.md §8 E11).
  const body = res.body as { location?: unknown; Location?: unknown } | undefined;
  const fromBody = body?.location ?? body?.Location;
  return typeof fromBody === "string" ? fromBody : undefined;
}

function invalid(res: TransportResponse, what: string): CloudPartnerError {
  return invalidResponse(res, what);
}
