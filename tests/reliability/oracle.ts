// SPDX-License-Identifier: Apache-2.0
/**
 * The fault matrix's oracle: pure judgement of one cell's run against what the cell declared up
 * front. It sees only data gathered from the emulator's internal view once the emulator was
 * quiet (no request in flight), so it can be handed crafted runs by unit tests
 * (tests/unit/reliability/oracle.test.ts) and must catch each kind of damage: a lost write, a
 * stale write over a concurrent edit, a double publish, a request landing after the cell closed,
 * a Product Ingestion API write sent twice, a next run that does not converge.
 */
import { isDeepStrictEqual } from "node:util";
import type { CloudPartnerErrorCode } from "../../provider/client/errors.js";

/** What a cell must end with: convergence, or one specific code (never CPP_UNEXPECTED). */
export type ExpectedOutcome = "converges" | Exclude<CloudPartnerErrorCode, "CPP_UNEXPECTED">;

/** What the offer's Draft must hold once the emulator is quiet. */
export type DraftExpectation =
  /** exactly the intended document (the cell's `intended`) */
  | "intended"
  /** exactly what it held before the operation (after any concurrent edit the cell made) */
  | "unchanged"
  /** one or the other, never a mix (the write may have landed while its answer was lost) */
  | "unchanged-or-intended"
  /** no offer at all (it vanished; nothing may bring it back) */
  | "absent";

/** A cell's declared expectation. */
export interface CellExpectation {
  outcome: ExpectedOutcome;
  draft: DraftExpectation;
  /** Operations of each type the service started for the cell's offer during the cell. */
  operations: { publish: 0 | 1; goLive: 0 | 1 };
  /** What the error message must say (e.g. name the step and what the publisher must do). */
  message?: RegExp;
  /**
   * Product Ingestion API configure jobs the service accepted for the offer during the cell
   * (both runs): PIA has no ETag and a configure is never retried, so a write sent twice shows
   * here and nowhere else (the Draft looks the same). Judged only when declared.
   */
  configureJobs?: number;
  /**
   * The next run (the row's `next`, no fault armed) must converge and leave the intended
   * document: a failed run must leave nothing that stops the next `pulumi up`.
   */
  next?: "converges";
}

/** One API request of the emulator's log, already filtered to the cell's offer. */
export interface ObservedRequest {
  seq: number;
  method: string;
  path: string;
  status: number;
}

/** Everything observed of one cell, gathered once the emulator was quiet. */
export interface CellRun {
  outcome: { kind: "converged" } | { kind: "error"; code: unknown; message: string };
  /** Draft definition before the operation (after the cell's concurrent edit, if any); undefined = absent. */
  before: unknown;
  /** Draft definition once quiet; undefined = absent. */
  after: unknown;
  /** The document the operation means to leave in the Draft. */
  intended: unknown;
  /** Values a concurrent edit wrote that must survive, as paths (`a/b/c`, keys may hold dots) to values. */
  concurrentEdit?: Record<string, unknown>;
  /** Operations the service started for the offer during the cell. */
  operations: { publish: number; goLive: number };
  /** The offer's requests, including any logged after the cell closed. */
  requests: ObservedRequest[];
  /** The log's last sequence number when the cell closed (quiet, state read). */
  closedAtSeq: number;
  /** Faults still armed once the operation ended (one no request matched). */
  faultsLeft?: number;
  /** Configure jobs the service accepted for the offer during the cell (PIA cells). */
  configureJobs?: number;
  /** The next run's outcome and the Draft once quiet after it (rows with `next`). */
  next?: { outcome: CellRun["outcome"]; after: unknown };
}

/** Judges a run; returns the violations (empty when the cell holds). Pure. */
export function judge(expected: CellExpectation, run: CellRun): string[] {
  const problems: string[] = [];
  const o = run.outcome;
  if (o.kind === "error" && o.code === "CPP_UNEXPECTED")
    problems.push(`untyped failure (CPP_UNEXPECTED): ${o.message}`);
  if (expected.outcome === "converges") {
    if (o.kind !== "converged") problems.push(`expected convergence, got ${String(o.code)}: ${o.message}`);
  } else if (o.kind === "converged") {
    problems.push(`expected ${expected.outcome}, but the operation converged`);
  } else {
    if (o.code !== expected.outcome) problems.push(`expected ${expected.outcome}, got ${String(o.code)}: ${o.message}`);
    if (expected.message && !expected.message.test(o.message))
      problems.push(`the message does not match ${expected.message}: ${o.message}`);
  }

  const absent = run.after === undefined;
  const isIntended = !absent && isDeepStrictEqual(run.after, run.intended);
  const isUnchanged = isDeepStrictEqual(run.after, run.before);
  switch (expected.draft) {
    case "intended":
      if (!isIntended)
        problems.push(
          `lost write: the Draft does not hold the intended document${describeDiff(run.intended, run.after)}`,
        );
      break;
    case "unchanged":
      if (!isUnchanged)
        problems.push(
          `the Draft changed although the operation did not converge${describeDiff(run.before, run.after)}`,
        );
      break;
    case "unchanged-or-intended":
      if (!isUnchanged && !isIntended)
        problems.push(`the Draft is neither as before nor as intended${describeDiff(run.intended, run.after)}`);
      break;
    case "absent":
      if (!absent) problems.push("the offer vanished, yet it exists again afterwards");
      break;
  }
  for (const [path, value] of Object.entries(run.concurrentEdit ?? {})) {
    if (!isDeepStrictEqual(at(run.after, path), value)) {
      problems.push(
        `stale write: the concurrent edit of ${path} (${JSON.stringify(value)}) was overwritten with ${JSON.stringify(at(run.after, path))}`,
      );
    }
  }

  for (const type of ["publish", "goLive"] as const) {
    const n = run.operations[type];
    if (n !== expected.operations[type]) {
      problems.push(
        `${type} operations started: ${n}, expected ${expected.operations[type]}${n > 1 ? " (a double publish)" : ""}`,
      );
    }
  }
  if (expected.configureJobs !== undefined) {
    const n = run.configureJobs;
    if (n !== expected.configureJobs) {
      problems.push(
        `configure jobs accepted for the offer: ${n ?? "not counted"}, expected ${expected.configureJobs}${n !== undefined && n > expected.configureJobs ? " (a write sent twice)" : ""}`,
      );
    }
  }
  if (expected.next === "converges") {
    const next = run.next;
    if (!next) problems.push("a next run is declared, but none ran");
    else {
      if (next.outcome.kind !== "converged")
        problems.push(
          `the next run (no fault armed) did not converge: ${String(next.outcome.code)}: ${next.outcome.message}`,
        );
      if (next.after === undefined || !isDeepStrictEqual(next.after, run.intended))
        problems.push(
          `after the next run the Draft does not hold the intended document${describeDiff(run.intended, next.after)}`,
        );
    }
  }
  if ((run.faultsLeft ?? 0) > 0)
    problems.push(`${run.faultsLeft} armed fault(s) matched no request: the cell did not run what it names`);
  const late = run.requests.filter((r) => r.seq > run.closedAtSeq);
  if (late.length > 0) {
    problems.push(
      `${late.length} request(s) landed after the cell closed: ${late.map((r) => `${r.method} ${r.path} → ${r.status}`).join(", ")}`,
    );
  }
  return problems;
}

/** The value at a path of keys separated by `/` (offer keys contain dots). */
function at(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  for (const key of path.split("/")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** Where two documents first differ, for a message a person can act on. */
function describeDiff(want: unknown, got: unknown, path = ""): string {
  if (isDeepStrictEqual(want, got)) return "";
  if (
    want === null ||
    got === null ||
    typeof want !== "object" ||
    typeof got !== "object" ||
    Array.isArray(want) !== Array.isArray(got)
  ) {
    return ` (at ${path || "the root"}: want ${short(want)}, got ${short(got)})`;
  }
  const keys = new Set([...Object.keys(want), ...Object.keys(got)]);
  for (const k of keys) {
    const d = describeDiff(
      (want as Record<string, unknown>)[k],
      (got as Record<string, unknown>)[k],
      path ? `${path}/${k}` : k,
    );
    if (d) return d;
  }
  return "";
}

function short(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? "nothing" : s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
