// SPDX-License-Identifier: Apache-2.0
/**
 * The fault matrix's rows and the procedure that runs one cell. A row says what it prepares, the
 * fault it arms, the operation it runs, the document it means to leave in the Draft, and — up
 * front — the outcome it expects (tests/reliability/oracle.ts). Rows for a resource live in a
 * file `tests/reliability/<name>-rows.ts` exporting `rows: MatrixRow[]`; the matrix test loads
 * every such file, so another resource plugs in by adding one (offer-rows.ts is the model).
 */
import type { CellExpectation, CellRun, ObservedRequest } from "./oracle.js";
import { captureConsole, type ProviderEnv } from "../helpers/provider-env.js";

/** The HTTP-level faults every resource's rows are tried under (inject with MatrixHarness.inject). */
export const HTTP_FAULTS = [
  "429 + Retry-After",
  "500",
  "503",
  "connection reset",
  "slower than the timeout",
  "token expired (401)",
] as const;
export type HttpFault = (typeof HTTP_FAULTS)[number];

/** What a cell keeps between its steps: at least the offer it works on (requests are filtered by it). */
export interface CellContext {
  offerId: string;
  [key: string]: unknown;
}

/** What a row may use: the emulator, the provider objects, and the matrix's own tools. */
export interface MatrixHarness {
  env: ProviderEnv;
  publisherId: string;
  /** A fresh offer id, unique in this run (`prefix-N`). */
  newOfferId(prefix?: string): string;
  /** The offer's Draft `definition` as the emulator holds it (normalised), or undefined when absent. */
  draft(offerId: string): Promise<any>;
  /** Arms an HTTP fault for the next request matching method and path. */
  inject(fault: HttpFault, method: string, path: string): Promise<void>;
  /** Operation step durations: `instant` (the matrix's default) or `long` (hours: it stays running). */
  steps(speed: "instant" | "long"): Promise<void>;
}

/** One cell of the matrix. */
export interface MatrixRow {
  fault: string;
  operation: string;
  /** Declared before the run; the cell fails when the run differs (oracle.ts). */
  expect: CellExpectation;
  /** Sets the scene with no fault armed; returns the context. */
  prepare(h: MatrixHarness): Promise<CellContext>;
  /** Arms the fault; may return values a concurrent edit wrote, which must survive. */
  arm(h: MatrixHarness, ctx: CellContext): Promise<{ concurrentEdit?: Record<string, unknown> } | void>;
  /** The operation, exactly as the engine calls the provider. */
  act(h: MatrixHarness, ctx: CellContext): Promise<unknown>;
  /** The Draft definition the operation means to leave, given the Draft before it. */
  intended(ctx: CellContext, before: any): unknown;
}

/** A cell's run as the matrix records it (the oracle's input plus report figures). */
export interface CellRecord {
  row: MatrixRow;
  offerId: string;
  run: CellRun;
  violations: string[];
  /** API requests of the cell's offer, failed answers among them, publish POSTs. */
  apiRequests: number;
  failedAnswers: number;
  publishPosts: number;
  seconds: number;
}

/** The offer's own requests: its path, or an operation URL naming it (`pub$offer$…`). */
export function requestsOf(offerId: string, log: ObservedRequest[]): ObservedRequest[] {
  const esc = offerId.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const mine = new RegExp(`(/offers/|\\$)${esc}(/|\\$|$)`);
  return log.filter((r) => mine.test(r.path));
}

/** Waits until the emulator has no request in flight (a delayed fault is served, or dropped). */
export async function quiet(env: ProviderEnv, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { inflight } = await env.control("GET", "/inflight");
    if (inflight === 0) return;
    if (Date.now() > deadline)
      throw new Error(`the emulator still has ${inflight} request(s) in flight after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Runs one cell: baseline (no faults, instant steps), prepare, arm, read the Draft, act, wait
 * until the emulator is quiet, then read the Draft, the offer's operations and requests, and
 * judge. Late requests (after `closedAtSeq`) are judged again when the whole matrix ends.
 */
export async function runCell(
  h: MatrixHarness,
  row: MatrixRow,
  judge: (e: CellExpectation, r: CellRun) => string[],
): Promise<CellRecord> {
  const { env } = h;
  const started = Date.now();
  await env.control("DELETE", "/faults");
  await h.steps("instant");
  const ctx = await row.prepare(h);
  await quiet(env);
  const opsOf = async () => {
    const ops = ((await env.control("GET", "/operations")) as Array<{ offerId: string; type: string }>).filter(
      (o) => o.offerId === ctx.offerId,
    );
    return {
      publish: ops.filter((o) => o.type === "publish").length,
      goLive: ops.filter((o) => o.type === "goLive").length,
    };
  };
  const opsBefore = await opsOf();
  const armed = (await row.arm(h, ctx)) ?? {};
  const before = await h.draft(ctx.offerId);
  const startSeq = await lastSeq(env);
  const { error } = await captureConsole(() => row.act(h, ctx));
  await quiet(env);
  const closedAtSeq = await lastSeq(env);
  const after = await h.draft(ctx.offerId);
  const opsAfter = await opsOf();
  const log = (await env.control("GET", `/requests?since=${startSeq}`)) as Array<ObservedRequest & { kind: string }>;
  const requests = requestsOf(
    ctx.offerId,
    log.filter((r) => r.kind === "api"),
  ).map(({ seq, method, path, status }) => ({ seq, method, path, status }));
  const e = error as { code?: unknown; message?: string } | undefined;
  const run: CellRun = {
    outcome:
      error === undefined
        ? { kind: "converged" }
        : { kind: "error", code: e?.code, message: String(e?.message ?? error) },
    before,
    after,
    intended: row.intended(ctx, before),
    ...(armed.concurrentEdit ? { concurrentEdit: armed.concurrentEdit } : {}),
    operations: { publish: opsAfter.publish - opsBefore.publish, goLive: opsAfter.goLive - opsBefore.goLive },
    requests,
    closedAtSeq,
  };
  return {
    row,
    offerId: ctx.offerId,
    run,
    violations: judge(row.expect, run),
    apiRequests: requests.length,
    failedAnswers: requests.filter((r) => r.status >= 400 || r.status === 0).length,
    publishPosts: requests.filter((r) => r.method === "POST" && r.path.endsWith("/publish")).length,
    seconds: (Date.now() - started) / 1000,
  };
}

async function lastSeq(env: ProviderEnv): Promise<number> {
  const log = (await env.control("GET", "/requests")) as Array<{ seq: number }>;
  return log.reduce((m, r) => Math.max(m, r.seq), 0);
}
