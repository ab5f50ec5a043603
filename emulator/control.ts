// SPDX-License-Identifier: Apache-2.0
import { randomUUID } from "node:crypto";
import type { EmulatedClock } from "./clock.js";
import { mergeModes } from "./modes.js";
import { viewOperation } from "./operations.js";
import { defineOwn, restoreSecrets } from "./secrets.js";
import type { Reply, Service } from "./service.js";
import { mintFederatedToken, oidcIssuer } from "./oidc.js";
import { parseSeed } from "./seed-input.js";
import { knownTenants, offerKey, type EmulatorState, type Fault, type ForcedOutcome, type Principal } from "./state.js";
import { decodePath, documentProblem } from "./validation.js";
import { VM_STEPS } from "./operations.js";
import { viewJob } from "./pia/jobs.js";
import { validateHeaderName, validateHeaderValue } from "node:http";

/** What the control API needs from the emulator. */
export interface ControlContext {
  state: EmulatorState;
  /** The URL the request was addressed to (its Host, or the public URL). */
  base: string;
  service: Service;
  clock: EmulatedClock;
  reset(): void;
  changed(): void;
  /** Requests received and not yet answered (optional so other hosts of the control API work). */
  inflight?(): number;
}

/**
 * The control API for tests and demos (`/_emulator/...`, docs/emulator.md): reset, seed, modes,
 * faults, forced outcomes, out-of-band edits, request log, operations, clock.
 */
export function handleControl(
  method: string,
  path: string,
  query: URLSearchParams,
  body: any,
  ctx: ControlContext,
): Reply {
  const { state, service } = ctx;
  const ok = (b: unknown = {}) => ({ status: 200, body: b });
  try {
    const seg = decodePath(path);
    if (!seg) return bad(`the path ${JSON.stringify(path)} is not valid percent-encoding`);
    if (method === "POST" && path === "/reset") {
      ctx.reset();
      return ok();
    }
    if (method === "POST" && path === "/seed") return ok(seed(ctx, body ?? {}));
    if (method === "POST" && path === "/federated-token") {
      return ok(mintFederatedToken(body, state, ctx.clock, ctx.base));
    }
    if (method === "GET" && path === "/federated-issuer") return ok({ issuer: oidcIssuer(ctx.base) });
    if (path === "/modes") {
      if (method === "GET") return ok(state.modes);
      if (method === "PATCH" || method === "PUT") {
        state.modes = mergeModes(state.modes, body ?? {});
        ctx.changed();
        return ok(state.modes);
      }
    }
    if (path === "/faults") {
      if (method === "GET") return ok(state.faults);
      if (method === "DELETE") {
        state.faults = [];
        return ok();
      }
      if (method === "POST") {
        const fault = { id: randomUUID(), ...parseFault(body) };
        state.faults.push(fault);
        return ok({ id: fault.id });
      }
    }
    if (path === "/requests") {
      if (method === "DELETE") {
        state.log = [];
        return ok();
      }
      if (method === "GET") {
        const since = Number(query.get("since") ?? 0);
        return ok(state.log.filter((e) => e.seq > since));
      }
    }
    if (method === "GET" && path === "/inflight") return ok({ inflight: ctx.inflight?.() ?? 0 });
    if (method === "GET" && path === "/operations") {
      const now = ctx.clock.now();
      return ok(
        state.operations.map((op) => {
          const view = viewOperation(op, now, state.modes);
          return {
            id: op.id,
            publisherId: op.publisherId,
            offerId: op.offerId,
            type: op.type,
            ...(op.submission ? { submission: op.submission } : {}),
            status: view.state,
            steps: view.steps,
            createdAt: new Date(op.createdAt).toISOString(),
          };
        }),
      );
    }
    if (method === "GET" && path === "/pia/jobs") {
      // Every Product Ingestion API configure job, as the service computes it now.
      const now = ctx.clock.now();
      return ok(
        (state.piaJobs ?? []).map((job) => {
          const op = job.applied?.operationId
            ? state.operations.find((o) => o.id === job.applied?.operationId)
            : undefined;
          const view = viewJob(job, op, now, state.modes);
          return {
            jobId: job.id,
            jobStatus: view.jobStatus,
            jobResult: view.jobResult,
            createdAt: new Date(job.createdAt).toISOString(),
            resources: job.resources.map(
              (r) =>
                String(r?.$schema ?? "")
                  .split("/schema/")[1]
                  ?.split("/")[0] ?? "",
            ),
            ...(job.applied?.offerKey ? { offer: job.applied.offerKey } : {}),
            ...(op ? { operationId: op.id } : {}),
            errors: view.errors,
          };
        }),
      );
    }
    if (method === "POST" && path === "/clock") {
      const change = (body ?? {}) as { advanceMs?: unknown; timeScale?: unknown };
      if (typeof change !== "object" || Array.isArray(change))
        return bad("clock: the body must be {advanceMs?, timeScale?}");
      const finite = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
      if (change.advanceMs !== undefined && !(finite(change.advanceMs) && change.advanceMs >= 0)) {
        return bad("clock: advanceMs must be a number of milliseconds ≥ 0");
      }
      if (change.timeScale !== undefined && !(finite(change.timeScale) && change.timeScale > 0)) {
        return bad("clock: timeScale must be a positive number");
      }
      if (typeof change.advanceMs === "number") ctx.clock.advance(change.advanceMs);
      if (typeof change.timeScale === "number") ctx.clock.setScale(change.timeScale);
      ctx.changed();
      return ok({ now: new Date(ctx.clock.now()).toISOString(), timeScale: ctx.clock.scale });
    }
    if (seg[0] === "offers" && seg.length >= 3) {
      const [, pub, offerId, action] = seg;
      const record = service.offer(pub, offerId);
      if (!record) return { status: 404, body: { error: `no offer ${pub}/${offerId}` } };
      if (method === "POST" && action === "outcome") {
        const outcome = body as ForcedOutcome;
        if (!["fail", "block", "reject", "cancel"].includes(outcome?.outcome))
          return bad("outcome must be fail, block, reject or cancel");
        if (outcome.step !== undefined && !VM_STEPS.some((st) => st.id === outcome.step)) {
          return bad(`step must be one of ${VM_STEPS.map((st) => st.id).join(", ")}`);
        }
        if (outcome.message !== undefined && typeof outcome.message !== "string") {
          return bad("message must be a string");
        }
        const forced: ForcedOutcome = {
          outcome: outcome.outcome,
          step: outcome.step ?? "displaycertify",
          ...(outcome.message ? { message: outcome.message } : {}),
        };
        service.settle(record);
        const last = service.latestOp(record, ["publish", "goLive"]);
        if (last && last.view.state === "running") last.op.forced = forced;
        else record.pendingOutcome = forced;
        ctx.changed();
        return ok();
      }
      if (action === undefined && method === "GET") {
        service.settle(record);
        return ok({
          draft: restoreSecrets(record.draft, record.secrets),
          etag: record.etag,
          migrated: record.migrated,
          preview: record.preview ?? null,
          production: record.production ?? null,
          versions: Object.keys(record.versions),
          // The Product Ingestion API's ids and what only it holds (secrets unmasked), once seen through it.
          pia: record.pia ?? null,
        });
      }
      if (action === undefined && method === "PATCH") {
        if (typeof body !== "object" || body === null || Array.isArray(body)) {
          return bad("an edit is a JSON merge patch: a JSON object");
        }
        const current = restoreSecrets(record.draft, record.secrets);
        const next = mergePatch(current, body);
        const problem = documentProblem(offerId, next, record.migrated);
        if (problem) return bad(`the edited document is not valid: ${problem.message}`);
        const stored = service.store(pub, offerId, next);
        return ok({ etag: stored.etag });
      }
      if (action === undefined && method === "DELETE") {
        delete state.offers[offerKey(pub, offerId)];
        state.operations = state.operations.filter((o) => !(o.publisherId === pub && o.offerId === offerId));
        ctx.changed();
        return ok();
      }
    }
    return { status: 404, body: { error: `no control route ${method} ${path}` } };
  } catch (e) {
    return bad((e as Error).message);
  }
}

/** A checked `POST /faults` body; throws naming the bad field (→ 400, nothing injected). */
function parseFault(body: unknown): Omit<Fault, "id"> {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw new Error("a fault is a JSON object {path, …}");
  const b = body as Record<string, unknown>;
  if (typeof b.path !== "string" || b.path === "") throw new Error("a fault needs a path (substring, or /regex/)");
  if (b.path.length > 2 && b.path.startsWith("/") && b.path.endsWith("/")) {
    try {
      new RegExp(b.path.slice(1, -1));
    } catch (e) {
      // Refused here rather than stored: a stored rule that never matches would fail silently.
      throw new Error(
        `fault: path ${b.path} is not a valid regular expression (${(e as Error).message}); fix it, or give a plain substring`,
        { cause: e },
      );
    }
  }
  if (b.method !== undefined && typeof b.method !== "string") throw new Error("fault: method must be a string");
  const count = b.count ?? 1;
  if (!(Number.isInteger(count) && (count as number) >= 1)) throw new Error("fault: count must be an integer ≥ 1");
  if (
    b.status !== undefined &&
    !(Number.isInteger(b.status) && (b.status as number) >= 200 && (b.status as number) <= 599)
  )
    throw new Error("fault: status must be an HTTP status 200–599");
  if (b.retryAfter !== undefined && typeof b.retryAfter !== "number" && typeof b.retryAfter !== "string")
    throw new Error("fault: retryAfter must be seconds or an HTTP date");
  if (typeof b.retryAfter === "string") validateHeaderValue("Retry-After", b.retryAfter);
  if (b.delayMs !== undefined && !(typeof b.delayMs === "number" && b.delayMs >= 0 && b.delayMs <= 600_000))
    throw new Error("fault: delayMs must be 0–600000");
  if (b.reset !== undefined && typeof b.reset !== "boolean") throw new Error("fault: reset must be true or false");
  const headers: Record<string, string> = {};
  if (b.headers !== undefined) {
    if (typeof b.headers !== "object" || b.headers === null || Array.isArray(b.headers))
      throw new Error("fault: headers must be an object of strings");
    for (const [k, v] of Object.entries(b.headers)) {
      if (typeof v !== "string") throw new Error(`fault: header ${k} must be a string`);
      validateHeaderName(k);
      validateHeaderValue(k, v);
      defineOwn(headers, k, v);
    }
  }
  return {
    path: b.path,
    count: count as number,
    ...(b.method !== undefined ? { method: b.method as string } : {}),
    ...(b.status !== undefined ? { status: b.status as number } : {}),
    ...(b.retryAfter !== undefined ? { retryAfter: b.retryAfter as number | string } : {}),
    ...(b.body !== undefined ? { body: b.body } : {}),
    ...(b.headers !== undefined ? { headers } : {}),
    ...(b.delayMs !== undefined ? { delayMs: b.delayMs as number } : {}),
    ...(b.reset !== undefined ? { reset: b.reset as boolean } : {}),
  };
}

function bad(message: string): Reply {
  return { status: 400, body: { error: message } };
}

/** `POST /seed`: validated whole before anything is applied, so a bad seed changes nothing. */
function seed(ctx: ControlContext, input: unknown): Record<string, number> {
  const { state, service } = ctx;
  const body = parseSeed(input, oidcIssuer(ctx.base));
  for (const t of body.tenants) if (!knownTenants(state).has(t)) state.tenants = [...(state.tenants ?? []), t];
  for (const p of body.publishers) {
    if (!state.publishers.some((x) => x.id === p.id))
      state.publishers.push({ id: p.id, displayText: p.displayText ?? p.id });
  }
  for (const p of body.principals) {
    const principal: Principal = { ...p, tenantId: p.tenantId ?? state.tenantId, objectId: p.objectId ?? randomUUID() };
    state.principals = state.principals.filter(
      (x) => !(x.clientId === principal.clientId && x.tenantId === principal.tenantId),
    );
    state.principals.push(principal);
  }
  for (const o of body.offers) {
    if (!state.publishers.some((x) => x.id === o.publisherId))
      state.publishers.push({ id: o.publisherId, displayText: o.publisherId });
    service.store(o.publisherId, o.offer.id as string, o.offer, o.migrated === true);
  }
  ctx.changed();
  return {
    publishers: state.publishers.length,
    principals: state.principals.length,
    offers: Object.keys(state.offers).length,
  };
}

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: any, patch: any): any {
  if (patch === null || typeof patch !== "object" || Array.isArray(patch)) return patch;
  const out: Record<string, any> = target && typeof target === "object" && !Array.isArray(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else defineOwn(out, k, mergePatch(Object.hasOwn(out, k) ? out[k] : undefined, v));
  }
  return out;
}
