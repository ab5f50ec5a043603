// SPDX-License-Identifier: Apache-2.0
import { randomUUID } from "node:crypto";
import type { EmulatedClock } from "./clock.js";
import { mergeModes } from "./modes.js";
import { viewOperation } from "./operations.js";
import { restoreSecrets } from "./secrets.js";
import type { Reply, Service } from "./service.js";
import { mintFederatedToken, oidcIssuer } from "./oidc.js";
import { parseSeed } from "./seed-input.js";
import { knownTenants, offerKey, type EmulatorState, type ForcedOutcome, type Principal } from "./state.js";

/** What the control API needs from the emulator. */
export interface ControlContext {
  state: EmulatorState;
  /** The URL the request was addressed to (its Host, or the public URL). */
  base: string;
  service: Service;
  clock: EmulatedClock;
  reset(): void;
  changed(): void;
}

/**
 * The control API for tests and demos (`/_emulator/...`, docs/emulator.md): reset, seed, modes,
 * faults, forced outcomes, out-of-band edits, request log, operations, clock.
 */
export function handleControl(method: string, path: string, query: URLSearchParams, body: any, ctx: ControlContext): Reply {
  const { state, service } = ctx;
  const seg = path.split("/").filter(Boolean).map(decodeURIComponent);
  const ok = (b: unknown = {}) => ({ status: 200, body: b });
  try {
    if (method === "POST" && path === "/reset") { ctx.reset(); return ok(); }
    if (method === "POST" && path === "/seed") return ok(seed(ctx, body ?? {}));
    if (method === "POST" && path === "/federated-token") return ok(mintFederatedToken(body, state, ctx.clock, ctx.base));
    if (method === "GET" && path === "/federated-issuer") return ok({ issuer: oidcIssuer(ctx.base) });
    if (path === "/modes") {
      if (method === "GET") return ok(state.modes);
      if (method === "PATCH" || method === "PUT") { state.modes = mergeModes(state.modes, body ?? {}); ctx.changed(); return ok(state.modes); }
    }
    if (path === "/faults") {
      if (method === "GET") return ok(state.faults);
      if (method === "DELETE") { state.faults = []; return ok(); }
      if (method === "POST") {
        if (typeof body?.path !== "string") return bad("a fault needs a path (substring, or /regex/)");
        const fault = { id: randomUUID(), count: 1, ...body };
        state.faults.push(fault);
        return ok({ id: fault.id });
      }
    }
    if (path === "/requests") {
      if (method === "DELETE") { state.log = []; return ok(); }
      if (method === "GET") {
        const since = Number(query.get("since") ?? 0);
        return ok(state.log.filter((e) => e.seq > since));
      }
    }
    if (method === "GET" && path === "/operations") {
      const now = ctx.clock.now();
      return ok(state.operations.map((op) => {
        const view = viewOperation(op, now, state.modes);
        return { id: op.id, publisherId: op.publisherId, offerId: op.offerId, type: op.type, status: view.state, steps: view.steps, createdAt: new Date(op.createdAt).toISOString() };
      }));
    }
    if (method === "POST" && path === "/clock") {
      if (typeof body?.advanceMs === "number") ctx.clock.advance(body.advanceMs);
      if (typeof body?.timeScale === "number" && body.timeScale > 0) ctx.clock.setScale(body.timeScale);
      ctx.changed();
      return ok({ now: new Date(ctx.clock.now()).toISOString(), timeScale: ctx.clock.scale });
    }
    if (seg[0] === "offers" && seg.length >= 3) {
      const [, pub, offerId, action] = seg;
      const record = service.offer(pub, offerId);
      if (!record) return { status: 404, body: { error: `no offer ${pub}/${offerId}` } };
      if (method === "POST" && action === "outcome") {
        const outcome = body as ForcedOutcome;
        if (!["fail", "block", "reject", "cancel"].includes(outcome?.outcome)) return bad("outcome must be fail, block, reject or cancel");
        const forced: ForcedOutcome = { outcome: outcome.outcome, step: outcome.step ?? "displaycertify", ...(outcome.message ? { message: outcome.message } : {}) };
        service.settle(record);
        const last = service.latestOp(record, ["publish", "goLive"]);
        if (last && (last.view.state === "running")) last.op.forced = forced;
        else record.pendingOutcome = forced;
        ctx.changed();
        return ok();
      }
      if (action === undefined && method === "GET") {
        service.settle(record);
        return ok({ draft: restoreSecrets(record.draft, record.secrets), etag: record.etag, migrated: record.migrated, preview: record.preview ?? null, production: record.production ?? null, versions: Object.keys(record.versions) });
      }
      if (action === undefined && method === "PATCH") {
        const current = restoreSecrets(record.draft, record.secrets);
        const next = mergePatch(current, body);
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

function bad(message: string): Reply {
  return { status: 400, body: { error: message } };
}

/** `POST /seed`: validated whole before anything is applied, so a bad seed changes nothing. */
function seed(ctx: ControlContext, input: unknown): Record<string, number> {
  const { state, service } = ctx;
  const body = parseSeed(input, oidcIssuer(ctx.base));
  for (const t of body.tenants) if (!knownTenants(state).has(t)) state.tenants = [...(state.tenants ?? []), t];
  for (const p of body.publishers) {
    if (!state.publishers.some((x) => x.id === p.id)) state.publishers.push({ id: p.id, displayText: p.displayText ?? p.id });
  }
  for (const p of body.principals) {
    const principal: Principal = { ...p, tenantId: p.tenantId ?? state.tenantId, objectId: p.objectId ?? randomUUID() };
    state.principals = state.principals.filter((x) => !(x.clientId === principal.clientId && x.tenantId === principal.tenantId));
    state.principals.push(principal);
  }
  for (const o of body.offers) {
    if (!state.publishers.some((x) => x.id === o.publisherId)) state.publishers.push({ id: o.publisherId, displayText: o.publisherId });
    service.store(o.publisherId, o.offer.id as string, o.offer, o.migrated === true);
  }
  ctx.changed();
  return { publishers: state.publishers.length, principals: state.principals.length, offers: Object.keys(state.offers).length };
}

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: any, patch: any): any {
  if (patch === null || typeof patch !== "object" || Array.isArray(patch)) return patch;
  const out = target && typeof target === "object" && !Array.isArray(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}
