// SPDX-License-Identifier: Apache-2.0
import { randomUUID } from "node:crypto";
import got, { type Got } from "got";
import {
  CloudPartnerError,
  codeForStatus,
  fixFor,
  isCloudPartnerError,
  parseErrorBody,
  type ServiceApi,
} from "./errors.js";
import { redact } from "./redact.js";
import { abortableSleep, computeRetryDelay, IDEMPOTENT_METHODS, RETRY_STATUSES, type RetryOptions } from "./retry.js";
import type { TokenProvider } from "./auth.js";
import { USER_AGENT } from "../util/package-info.js";

/** One request as the client methods describe it. */
export interface TransportRequest {
  method: "GET" | "PUT" | "POST";
  /** Absolute URL (api-version already set). */
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  abortSignal?: AbortSignal;
  /** Publisher in the path, for error advice. */
  publisherId?: string;
  /** The `x-ms-client-request-id` to send (default: a fresh UUID for this call). */
  clientRequestId?: string;
  /** Retry settings of this call, replacing the transport's (a job poll retries by polling again). */
  retry?: RetryOptions;
  /** The API of the request, for error advice (default `cpp`). */
  api?: ServiceApi;
  /**
   * What to do when this request got no answer (network error or timeout): replaces the
   * default advice (for a POST, the CPP API's). A write that is never retried says here how to
   * find out whether it was applied.
   */
  unansweredFix?: string;
}

/** A successful response: status, lower-cased headers and the parsed JSON body (undefined when empty). */
export interface TransportResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** The `x-ms-client-request-id` sent, for errors raised on a response that looked wrong. */
  clientRequestId?: string;
}

/** Transport settings (see CloudPartnerClientOptions). */
export interface TransportOptions {
  tokens: TokenProvider;
  retry?: RetryOptions;
  timeoutInMs?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  now?: () => number;
  onRetry?: (info: { method: string; url: string; attempt: number; delayInMs: number; reason: string }) => void;
  /** Text put before the package's own User-Agent (Azure SDKs' `userAgentPrefix`). */
  userAgentPrefix?: string;
}

/**
 * The client's one HTTP stack: a single got instance (JSON, per-attempt timeout, no redirects,
 * got's own retries off) plus our retry loop, so delays are injectable and abortable. Retries
 * only idempotent methods, on 408/429/5xx and network errors, honouring `retry-after-ms`,
 * `x-ms-retry-after-ms` and `Retry-After`; on 401 refreshes the token once (skipCache) and tries
 * again. Like Azure SDKs, every call carries a fresh `x-ms-client-request-id` (kept across that
 * call's retries, so the service's logs group them) and a versioned User-Agent, and every error
 * quotes the ids Microsoft support asks for.
 */
export class Transport {
  private readonly http: Got;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => number;

  constructor(private readonly options: TransportOptions) {
    this.http = got.extend({
      throwHttpErrors: false,
      followRedirect: false,
      retry: { limit: 0 },
      timeout: { request: options.timeoutInMs ?? 60_000 },
      headers: {
        accept: "application/json",
        "user-agent": options.userAgentPrefix ? `${options.userAgentPrefix} ${USER_AGENT}` : USER_AGENT,
      },
    });
    this.sleep = options.sleep ?? abortableSleep;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
  }

  /** Sends a request, retrying as the rules allow; throws a CloudPartnerError on failure. */
  async send(request: TransportRequest): Promise<TransportResponse> {
    const req = { ...request, clientRequestId: request.clientRequestId ?? randomUUID() };
    const idempotent = IDEMPOTENT_METHODS.has(req.method);
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      this.throwIfAborted(req);
      const token = await this.options.tokens.getToken({ forceRefresh: refreshed, abortSignal: req.abortSignal });
      let status: number;
      let headers: TransportResponse["headers"];
      let text: string;
      try {
        const res = await this.http(req.url, {
          method: req.method,
          headers: {
            ...req.headers,
            authorization: `Bearer ${token}`,
            "content-type": "application/json",
            "x-ms-client-request-id": req.clientRequestId,
          },
          body: req.body === undefined ? undefined : JSON.stringify(req.body),
          signal: req.abortSignal,
          responseType: "text",
        });
        status = res.statusCode;
        headers = res.headers;
        text = res.body;
      } catch (e) {
        this.throwIfAborted(req);
        const error = networkError(req, e);
        if (idempotent) {
          const d = computeRetryDelay(
            attempt,
            undefined,
            req.retry ?? this.options.retry ?? {},
            this.now(),
            this.random,
          );
          if (d.retry) {
            await this.wait(req, attempt, d.delayInMs, error.message);
            continue;
          }
        }
        throw error;
      }
      if (status === 401 && !refreshed) {
        // The cached token may have expired or been revoked: one retry with a fresh token.
        refreshed = true;
        attempt--;
        continue;
      }
      if (status >= 400) {
        if (idempotent && RETRY_STATUSES.has(status)) {
          const d = computeRetryDelay(attempt, headers, req.retry ?? this.options.retry ?? {}, this.now(), this.random);
          if (d.retry) {
            await this.wait(req, attempt, d.delayInMs, `HTTP ${status}`);
            continue;
          }
          throw httpError(req, status, headers, text, d.reason);
        }
        throw httpError(req, status, headers, text);
      }
      return { status, headers, body: parseBody(req, status, headers, text), clientRequestId: req.clientRequestId };
    }
  }

  private async wait(req: TransportRequest, attempt: number, delayInMs: number, reason: string): Promise<void> {
    this.options.onRetry?.({ method: req.method, url: redact(req.url), attempt, delayInMs, reason: redact(reason) });
    try {
      await this.sleep(delayInMs, req.abortSignal);
    } catch (e) {
      this.throwIfAborted(req);
      throw e;
    }
  }

  private throwIfAborted(req: TransportRequest): void {
    if (req.abortSignal?.aborted) {
      throw new CloudPartnerError("CPP_ABORTED", `${req.method} ${pathOf(req.url)} was aborted${supportIds(req)}`, {
        method: req.method,
        url: req.url,
        clientRequestId: req.clientRequestId,
      });
    }
  }
}

function header(headers: TransportResponse["headers"], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

function parseBody(
  req: TransportRequest,
  status: number,
  headers: TransportResponse["headers"],
  text: string,
): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    const page = parseErrorBody(text);
    const ids = serviceIds(headers);
    const what = `HTTP ${status} with a body that is not JSON (${page.message ?? "unparseable"})`;
    throw new CloudPartnerError(
      "CPP_INVALID_RESPONSE",
      `${req.method} ${pathOf(req.url)}: ${what}; a gateway or proxy may be in the way${supportIds(req, ids)}`,
      {
        statusCode: status,
        method: req.method,
        url: req.url,
        clientRequestId: req.clientRequestId,
        ...ids,
      },
    );
  }
}

function networkError(req: TransportRequest, e: unknown): CloudPartnerError {
  if (isCloudPartnerError(e)) return e;
  const err = e as { code?: string; name?: string; message?: string };
  const timeout = err.name === "TimeoutError" || err.code === "ETIMEDOUT";
  // A POST that got no answer may or may not have been processed. On the CPP API running again
  // is safe: a publish or go-live already running is answered with the running operation, not a
  // new one. A Product Ingestion API write is never sent twice: whether it was applied is found
  // by reading (the caller's `unansweredFix` says what to read).
  const fix =
    req.unansweredFix ??
    (req.api === "pia"
      ? req.method === "POST"
        ? "the request may or may not have reached the service, and it is not sent again: read the resources it writes before sending it again"
        : "check connectivity to the Product Ingestion API endpoint, then run again"
      : req.method === "POST"
        ? "the request may or may not have reached the service; run the deployment again (a publish or go-live already running is resumed, not started twice)"
        : "check connectivity to the endpoint (cloudpartner:endpoint), then run again");
  return new CloudPartnerError(
    timeout ? "CPP_TIMEOUT" : "CPP_NETWORK_ERROR",
    `${req.method} ${pathOf(req.url)}: ${timeout ? "timed out" : `network error ${err.code ?? ""}`.trim()} (${err.message ?? String(e)}). Fix: ${fix}${supportIds(req)}`,
    {
      method: req.method,
      url: req.url,
      fix,
      // Not got's error itself: its options hold the request's headers (the bearer token) and body.
      cause: safeCause(err),
      clientRequestId: req.clientRequestId,
    },
  );
}

/** What a network error may carry as `cause`: its name, code and redacted message only. */
function safeCause(err: { code?: string; name?: string; message?: string }): Error {
  const cause = new Error(redact(err.message ?? "network error"));
  cause.name = err.name ?? "Error";
  if (err.code !== undefined) (cause as NodeJS.ErrnoException).code = err.code;
  return cause;
}

function httpError(
  req: TransportRequest,
  status: number,
  headers: TransportResponse["headers"],
  text: string,
  retryNote?: string,
): CloudPartnerError {
  const code = codeForStatus(status);
  const body = parseErrorBody(text);
  // A write refused with 5xx or 408 may still have been processed (a gateway's answer after the
  // service took it): its own advice says how to find out, and it is not for retrying.
  const uncertain = req.unansweredFix !== undefined && (status >= 500 || status === 408);
  const fix = uncertain
    ? req.unansweredFix
    : fixFor(code, { publisherId: req.publisherId, method: req.method, api: req.api });
  const { requestId, correlationId } = serviceIds(headers);
  const parts = [`${req.method} ${pathOf(req.url)}: HTTP ${status}`];
  if (body.code) parts.push(body.code);
  let message = parts.join(" ");
  if (body.message) message += `: ${body.message}`;
  // The Product Ingestion API's inner errors carry codes (schemaValidationError, …): name them.
  const details =
    req.api === "pia" && body.innerErrors?.length
      ? body.innerErrors.map((d) => [d.target, d.code, d.message].filter(Boolean).join(": "))
      : body.details;
  if (details?.length) message += ` (${details.join("; ")})`;
  if (retryNote) message += `; ${retryNote}`;
  // The service's message may end with its own full stop: one is enough.
  if (fix) message = `${message.replace(/\.$/, "")}. Fix: ${fix}`;
  message += supportIds(req, { requestId, correlationId });
  return new CloudPartnerError(code, message, {
    statusCode: status,
    serviceCode: body.code,
    requestId,
    correlationId,
    clientRequestId: req.clientRequestId,
    method: req.method,
    url: req.url,
    fix,
    ...(uncertain ? { retryable: false } : {}),
    stepMessages: body.details,
    ...(req.api === "pia" && (body.code !== undefined || body.message !== undefined)
      ? {
          serviceErrors: [
            {
              ...(body.code !== undefined ? { code: body.code } : {}),
              ...(body.message !== undefined ? { message: body.message } : {}),
              details: body.innerErrors ?? [],
            },
          ],
        }
      : {}),
  });
}

/**
 * The service's ids of a response: its request id and the correlation id (docs/internals/api-notes.md
 * §2; Microsoft Graph, which serves the Product Ingestion API, names its request id `request-id`).
 */
function serviceIds(headers: TransportResponse["headers"]): { requestId?: string; correlationId?: string } {
  const requestId =
    header(headers, "x-ms-requestid") ?? header(headers, "x-ms-request-id") ?? header(headers, "request-id");
  const correlationId = header(headers, "x-ms-correlationid") ?? header(headers, "x-ms-correlation-request-id");
  return { ...(requestId ? { requestId } : {}), ...(correlationId ? { correlationId } : {}) };
}

/**
 * The ids a support ticket needs, as the end of an error message: ours (sent as
 * `x-ms-client-request-id`) and, when the service answered, its request and correlation ids.
 */
export function supportIds(
  req: { clientRequestId?: string },
  ids: { requestId?: string; correlationId?: string } = {},
): string {
  const parts = [
    req.clientRequestId && `client request id ${req.clientRequestId}`,
    ids.requestId && `request id ${ids.requestId}`,
    ids.correlationId && `correlation id ${ids.correlationId}`,
  ].filter(Boolean);
  return parts.length > 0 ? ` [for a support request quote: ${parts.join(", ")}]` : "";
}

/**
 * The error of a successful response whose body is not what the call expects (CPP_INVALID_RESPONSE):
 * `what` says what came, and the message ends with the ids a support ticket needs.
 */
export function invalidResponse(res: TransportResponse, what: string): CloudPartnerError {
  const ids = serviceIds(res.headers);
  return new CloudPartnerError(
    "CPP_INVALID_RESPONSE",
    `the service sent ${what} (HTTP ${res.status})${supportIds(res, ids)}`,
    {
      statusCode: res.status,
      clientRequestId: res.clientRequestId,
      ...ids,
    },
  );
}
