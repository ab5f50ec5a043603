// SPDX-License-Identifier: Apache-2.0
/**
 * The fault matrix's rows and the procedure that runs one cell. A row says what it prepares, the
 * fault it arms, the operation it runs, the document it means to leave in the Draft, and — up
 * front — the outcome it expects (tests/reliability/oracle.ts). Rows for a resource live in a
 * file `tests/reliability/<name>-rows.ts` exporting `rows: MatrixRow[]`; the matrix test loads
 * every such file, so another resource plugs in by adding one (offer-rows.ts is the model).
 *
 * The matrix has one emulator and one provider configuration, on CPP. A row with
 * `api: "productIngestion"` runs on the Product Ingestion API instead: runCell sets the stack
 * config `cloudpartner:api` before the row prepares (as `pulumi config set` between two runs: a
 * new provider process, no client or token kept) and makes PIA configure jobs end at once
 * (modes `piaJobQueueMs`/`piaJobRunMs` 0, as CPP steps are instant). pia-rows.ts holds those rows.
 */
import type { CellExpectation, CellRun, ExpectedOutcome, ObservedRequest } from "./oracle.js";
import { sampleDefinition } from "../helpers/offers.js";
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

/**
 * A POST is never retried (the service may have acted on it), except after a 401, which the
 * service refuses before acting: so a POST target fails with the fault's own code.
 */
export const POST_OUTCOME: Record<HttpFault, ExpectedOutcome> = {
  "429 + Retry-After": "CPP_THROTTLED",
  "500": "CPP_SERVICE_ERROR",
  "503": "CPP_SERVICE_ERROR",
  "connection reset": "CPP_NETWORK_ERROR",
  "slower than the timeout": "CPP_TIMEOUT",
  "token expired (401)": "converges",
};

/**
 * The HTTP timeout the matrix's provider runs with. An unfaulted request must never reach it,
 * even when a GC pause or a second suite on the machine holds the in-process emulator.
 */
export const MATRIX_HTTP_TIMEOUT_SECONDS = 1;

/**
 * Emulator faults for HTTP_FAULTS (docs/emulator.md, `POST /faults`). "Slower than the timeout"
 * answers 1.5 s after the client's timeout: the client gives up, the emulator still serves it.
 */
export const HTTP_FAULT_SPEC: Record<HttpFault, Record<string, unknown>> = {
  "429 + Retry-After": { status: 429, retryAfter: 1 },
  "500": { status: 500 },
  "503": { status: 503, retryAfter: 0 },
  "connection reset": { reset: true },
  "slower than the timeout": { delayMs: MATRIX_HTTP_TIMEOUT_SECONDS * 1000 + 1500 },
  "token expired (401)": { status: 401, body: { Message: "Authorization has been denied for this request." } },
};

/** The back end a row runs on: the stack config `cloudpartner:api` (`cpp` when the row says nothing). */
export type MatrixApi = "cpp" | "productIngestion";

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
  /** The back end (default `cpp`); runCell configures the provider for it (see the module comment). */
  api?: MatrixApi;
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
  /**
   * The next `pulumi up` after the faulted run, with no fault armed (for a failed create or
   * update the engine calls the same method with the same state and inputs again); required
   * when `expect.next` is declared. It is part of the cell: operations and configure jobs are
   * counted over both runs.
   */
  next?(h: MatrixHarness, ctx: CellContext): Promise<unknown>;
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
  /** For a PIA cell: what names its requests (see requestsOf), for the check once the matrix ends. */
  pia?: PiaIds;
}

/**
 * What names a cell's Product Ingestion API requests: its offer's product GUID (absent while
 * there is no product) and the ids of every configure job the service holds for the offer.
 */
export interface PiaIds {
  product?: string;
  jobIds: string[];
}

/**
 * The offer's own requests: its path, or an operation URL naming it (`pub$offer$…`); with `pia`,
 * also the Product Ingestion API requests that name it: the product lookup by external id
 * (`product?externalId=<offerId>`), a path or query holding its product GUID (resource tree,
 * submissions, plans), and the status of one of its configure jobs (`configure/<jobId>/…`).
 * A `POST configure` names nothing in its URL: runCell counts those of its own window, and a
 * configure that lands after a cell closed shows as a configure job the offer did not have then
 * (fault-matrix.test.ts).
 */
export function requestsOf<R extends ObservedRequest & { query?: string }>(
  offerId: string,
  log: R[],
  pia?: PiaIds,
): R[] {
  const esc = offerId.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const mine = new RegExp(`(/offers/|\\$)${esc}(/|\\$|$)`);
  const byExternalId = new RegExp(`[?&]externalId=${esc}(&|$)`, "i");
  const jobs = new Set(pia?.jobIds ?? []);
  const names = (r: R): boolean => {
    const query = r.query ?? "";
    if (byExternalId.test(query)) return true;
    if (pia?.product && (r.path.split("/").includes(pia.product) || query.includes(pia.product))) return true;
    const job = /\/configure\/([^/]+)/.exec(r.path)?.[1];
    return job !== undefined && jobs.has(job);
  };
  return log.filter((r) => mine.test(r.path) || (pia !== undefined && names(r)));
}

/** Waits until the emulator has no request in flight (a delayed fault is served, or dropped). */
export function quiet(env: ProviderEnv, timeoutMs = 15_000): Promise<void> {
  return env.emulator.control.untilQuiet(timeoutMs);
}

/**
 * Runs one cell: baseline (no faults, instant steps, the row's back end), prepare, arm, read the
 * Draft, act, wait until the emulator is quiet, read the Draft; then the next run when the row
 * has one (faults cleared), quiet again; then read the offer's operations, configure jobs and
 * requests, and judge. Late requests (after `closedAtSeq`) are judged again when the whole
 * matrix ends.
 */
export async function runCell(
  h: MatrixHarness,
  row: MatrixRow,
  judge: (e: CellExpectation, r: CellRun) => string[],
): Promise<CellRecord> {
  const { env } = h;
  const started = Date.now();
  const onPia = row.api === "productIngestion";
  await env.control("DELETE", "/faults");
  await h.steps("instant");
  await useApi(env, row.api ?? "cpp");
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
  const jobsBefore = onPia ? await piaJobsOf(h, ctx.offerId) : [];
  const armed = (await row.arm(h, ctx)) ?? {};
  const before = await h.draft(ctx.offerId);
  const startSeq = await lastSeq(env);
  const { error } = await captureConsole(() => row.act(h, ctx));
  await quiet(env);
  // An armed fault no request matched: the cell did not run what it names.
  const faultsLeft = ((await env.control("GET", "/faults")) as unknown[]).length;
  const after = await h.draft(ctx.offerId);
  let next: CellRun["next"];
  if (row.next) {
    await env.control("DELETE", "/faults");
    const { error: nextError } = await captureConsole(() => row.next!(h, ctx));
    await quiet(env);
    next = { outcome: outcomeOf(nextError), after: await h.draft(ctx.offerId) };
  }
  const closedAtSeq = await lastSeq(env);
  const opsAfter = await opsOf();
  const pia = onPia ? await piaIdsOf(h, ctx.offerId) : undefined;
  const log = (await env.control("GET", `/requests?since=${startSeq}`)) as Array<
    ObservedRequest & { kind: string; query?: string }
  >;
  const own = requestsOf(
    ctx.offerId,
    log.filter((r) => r.kind === "api" || (onPia && r.kind === "pia")),
    pia,
  );
  // A POST configure names no offer; within the cell's own window it is the cell's.
  const configurePosts = onPia ? log.filter((r) => r.kind === "pia" && isConfigurePost(r)) : [];
  const requests = [...own, ...configurePosts]
    .sort((a, b) => a.seq - b.seq)
    .map(({ seq, method, path, status }) => ({ seq, method, path, status }));
  const run: CellRun = {
    outcome: outcomeOf(error),
    before,
    after,
    intended: row.intended(ctx, before),
    ...(armed.concurrentEdit ? { concurrentEdit: armed.concurrentEdit } : {}),
    operations: { publish: opsAfter.publish - opsBefore.publish, goLive: opsAfter.goLive - opsBefore.goLive },
    requests,
    closedAtSeq,
    faultsLeft,
    ...(pia ? { configureJobs: pia.jobIds.filter((j) => !jobsBefore.includes(j)).length } : {}),
    ...(next ? { next } : {}),
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
    ...(pia ? { pia } : {}),
  };
}

function outcomeOf(error: unknown): CellRun["outcome"] {
  if (error === undefined) return { kind: "converged" };
  const e = error as { code?: unknown; message?: string };
  return { kind: "error", code: e?.code, message: String(e?.message ?? error) };
}

/** A Product Ingestion API write: `POST …/configure` (not a job's cancel). */
export function isConfigurePost(r: { method: string; path: string }): boolean {
  return r.method === "POST" && /\/configure$/.test(r.path);
}

/** The ids of the configure jobs the service holds for an offer (control API `GET /pia/jobs`). */
export async function piaJobsOf(h: Pick<MatrixHarness, "env" | "publisherId">, offerId: string): Promise<string[]> {
  const jobs = (await h.env.control("GET", "/pia/jobs")) as Array<{ jobId: string; offer?: string }>;
  return jobs.filter((j) => j.offer === `${h.publisherId}/${offerId}`).map((j) => j.jobId);
}

/** The offer's product GUID (control API `GET /offers/…` → `pia.product`) and its configure jobs. */
export async function piaIdsOf(h: Pick<MatrixHarness, "env" | "publisherId">, offerId: string): Promise<PiaIds> {
  const held = await h.env.control("GET", `/offers/${h.publisherId}/${offerId}`).catch((e: Error) => {
    if (/→ 404/.test(e.message)) return undefined;
    throw e;
  });
  const product = (held?.pia as { product?: string } | null | undefined)?.product;
  return { ...(product ? { product } : {}), jobIds: await piaJobsOf(h, offerId) };
}

const apiInUse = new WeakMap<ProviderEnv, MatrixApi>();

/**
 * Points the provider at the row's back end, as `pulumi config set cloudpartner:api` between two
 * runs does (a new provider process: no client, token or kept read), only when it changes; the
 * matrix's env starts on CPP. PIA cells run with configure jobs that end at once.
 */
async function useApi(env: ProviderEnv, api: MatrixApi): Promise<void> {
  if ((apiInUse.get(env) ?? "cpp") !== api) {
    env.reconfigure({ "cloudpartner:api": api === "cpp" ? undefined : api });
    apiInUse.set(env, api);
  }
  if (api !== "productIngestion") return;
  await env.control("PATCH", "/modes", { piaJobQueueMs: 0, piaJobRunMs: 0 });
  if (warmed.has(env)) return;
  warmed.add(env);
  // The emulator compiles its JSON Schemas on the first configure it validates, which on a busy
  // machine has taken longer than the matrix's HTTP timeout: one create outside any cell pays
  // for it (its own outcome does not matter), and the cells then meet a warm emulator.
  const offer = env.provider("offer");
  await captureConsole(async () => {
    const { inputs } = await offer.check(
      {},
      { publisherId: "contoso", offerId: "matrix-warm-up", definition: sampleDefinition({ forPia: true }) },
    );
    await offer.create(inputs);
  });
  await quiet(env);
}

/** Environments whose emulator has served a first configure (see {@link useApi}). */
const warmed = new WeakSet<ProviderEnv>();

/** The request log's last sequence number. */
export async function lastSeq(env: ProviderEnv): Promise<number> {
  const log = (await env.control("GET", "/requests")) as Array<{ seq: number }>;
  return log.reduce((m, r) => Math.max(m, r.seq), 0);
}
