// SPDX-License-Identifier: Apache-2.0
/** Retry settings, in the Azure SDK's standard names. */
export interface RetryOptions {
  /** Retries after the first attempt (default 4). */
  maxRetries?: number;
  /** Base delay of the exponential backoff (default 1000 ms). */
  retryDelayInMs?: number;
  /** Cap of one backoff delay (default 30000 ms). */
  maxRetryDelayInMs?: number;
  /** A longer `Retry-After` fails fast with CPP_THROTTLED instead of waiting (default 60000 ms). */
  maxRetryAfterInMs?: number;
}

/** Defaults of {@link RetryOptions}. */
export const DEFAULT_RETRY: Required<RetryOptions> = {
  maxRetries: 4,
  retryDelayInMs: 1000,
  maxRetryDelayInMs: 30_000,
  maxRetryAfterInMs: 60_000,
};

/** HTTP statuses worth retrying for idempotent methods. */
export const RETRY_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** HTTP methods that may be retried: a POST (publish, go-live, cancel) never is. */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(["GET", "PUT", "HEAD", "DELETE", "OPTIONS"]);

/** Parses `Retry-After` (delta-seconds or an HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Response headers as node and got give them: lower-cased names, a value or a list of values. */
export type ResponseHeaders = Record<string, string | string[] | undefined>;

/**
 * The headers that say how long to wait, in the order Azure SDKs read them: `retry-after-ms`
 * and `x-ms-retry-after-ms` (milliseconds, more precise) before `Retry-After` (seconds or a date).
 */
export const RETRY_AFTER_HEADERS = ["retry-after-ms", "x-ms-retry-after-ms", "retry-after"] as const;

/**
 * The server's requested wait from response headers, and the header it came from: the first
 * of {@link RETRY_AFTER_HEADERS} with a valid value. Pure.
 */
export function serverRetryAfter(
  headers: ResponseHeaders,
  now: number,
): { delayInMs: number; header: string } | undefined {
  for (const name of RETRY_AFTER_HEADERS) {
    const raw = headers[name];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value === undefined) continue;
    const delayInMs = name === "retry-after" ? parseRetryAfter(value, now) : parseMilliseconds(value);
    if (delayInMs !== undefined) return { delayInMs, header: name };
  }
  return undefined;
}

function parseMilliseconds(value: string): number | undefined {
  const v = value.trim();
  return /^\d+(\.\d+)?$/.test(v) ? Math.round(Number(v)) : undefined;
}

/** The decision for one retry. */
export type RetryDecision = { retry: true; delayInMs: number } | { retry: false; reason: string };

/**
 * Decides whether attempt `attempt` (1 = the first retry) happens and after how long: the
 * server's wait when given (`retryAfter`: a `Retry-After` value, or the response headers read
 * by {@link serverRetryAfter}), failing fast when it exceeds the cap; otherwise exponential
 * backoff with jitter in [½, 1] of the capped delay. Pure; `random` is injected.
 */
export function computeRetryDelay(
  attempt: number,
  retryAfter: string | ResponseHeaders | undefined,
  options: RetryOptions,
  now: number,
  random: () => number,
): RetryDecision {
  const o = { ...DEFAULT_RETRY, ...options };
  if (attempt > o.maxRetries) return { retry: false, reason: `gave up after ${o.maxRetries} retries` };
  // A plain string is a `Retry-After` value; a header map is searched as Azure SDKs do.
  const found = serverRetryAfter(typeof retryAfter === "object" ? retryAfter : { "retry-after": retryAfter }, now);
  if (found !== undefined) {
    const server = found.delayInMs;
    const name = found.header === "retry-after" ? "Retry-After" : found.header;
    if (server > o.maxRetryAfterInMs)
      return {
        retry: false,
        reason: `the service asked to wait ${Math.ceil(server / 1000)} s (${name}), longer than the ${Math.ceil(o.maxRetryAfterInMs / 1000)} s allowed`,
      };
    return { retry: true, delayInMs: server };
  }
  const capped = Math.min(o.maxRetryDelayInMs, o.retryDelayInMs * 2 ** (attempt - 1));
  return { retry: true, delayInMs: Math.round(capped / 2 + (random() * capped) / 2) };
}

/** Sleeps `ms`, rejecting early with the signal's reason when aborted. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error("aborted"));
    const timer = setTimeout(
      () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason ?? new Error("aborted"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
