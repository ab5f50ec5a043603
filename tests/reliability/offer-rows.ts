// SPDX-License-Identifier: Apache-2.0
/**
 * Fault-matrix rows of Offer, VmPricing and OfferPublish (the model for other resources' rows,
 * see matrix.ts). Every row declares its outcome up front; the reasons are in the comments.
 */
import type { ExpectedOutcome } from "./oracle.js";
import {
  HTTP_FAULTS,
  POST_OUTCOME,
  type CellContext,
  type HttpFault,
  type MatrixHarness,
  type MatrixRow,
} from "./matrix.js";
import { sampleDefinition } from "../helpers/offers.js";
import { captureConsole } from "../helpers/provider-env.js";

/** One operation as the engine runs it, and the request HTTP faults hit. */
interface Operation {
  name: string;
  /** The request an HTTP fault is armed on (a path fragment naming the offer). */
  target(ctx: CellContext): [string, string];
  prepare(h: MatrixHarness): Promise<CellContext>;
  act(h: MatrixHarness, ctx: CellContext): Promise<unknown>;
  intended(ctx: CellContext, before: any): unknown;
  /** Operations it starts when it converges. */
  starts: { publish: 0 | 1; goLive: 0 | 1 };
}

const perCore = (price: number) => ({
  isByol: false,
  freeTrialDurationInMonths: 0,
  coreMultiplier: { currency: "USD", single: price },
});

async function offerInputs(h: MatrixHarness, priced: boolean, planIds?: string[], summary?: string): Promise<any> {
  const definition = sampleDefinition({ pricedPlans: priced, summary });
  if (planIds) definition.plans = planIds.map((planId) => ({ ...definition.plans[0], planId }));
  const offerId = h.newOfferId();
  return (await h.env.provider("offer").check({}, { publisherId: h.publisherId, offerId, definition })).inputs;
}

/** Creates an offer through the provider (no fault armed yet). */
async function offer(h: MatrixHarness, priced: boolean, planIds?: string[]): Promise<CellContext> {
  const inputs = await offerInputs(h, priced, planIds);
  const { outs } = await h.env.provider("offer").create(inputs);
  return { offerId: inputs.offerId, inputs, outs };
}

/** Starts a publish that stays running (long steps) and returns its partial-failure properties. */
async function runningPublish(h: MatrixHarness): Promise<CellContext> {
  const ctx = await offer(h, true);
  await h.steps("long");
  const pubInputs = {
    publisherId: h.publisherId,
    offerId: ctx.offerId,
    target: "preview",
    timeoutSeconds: 0.3,
    // The partial failure is what this row follows (without it the run ends green, as in a pipeline).
    failOnTimeout: true,
    __provider: "p",
  };
  const { error } = await captureConsole(() => h.env.provider("offerPublish").create(pubInputs));
  const props = (error as { properties?: unknown })?.properties;
  if (!props) throw new Error(`the publish was expected to stay running: ${String(error)}`);
  return { ...ctx, pubInputs, props };
}

const path = (ctx: CellContext) => `/offers/${ctx.offerId}`;
const unchanged = (_ctx: CellContext, before: any) => before;

const OPERATIONS: Operation[] = [
  {
    name: "Offer create",
    target: (c) => ["PUT", path(c)],
    prepare: async (h) => {
      const inputs = await offerInputs(h, true);
      return { offerId: inputs.offerId, inputs };
    },
    act: (h, c) => h.env.provider("offer").create(c.inputs),
    intended: (c) => (c.inputs as any).definition,
    starts: { publish: 0, goLive: 0 },
  },
  {
    name: "Offer update",
    target: (c) => ["PUT", path(c)],
    prepare: (h) => offer(h, true),
    act: (h, c) =>
      h.env.provider("offer").update("id", c.outs, {
        ...(c.inputs as any),
        definition: sampleDefinition({ pricedPlans: true, summary: "Updated" }),
      }),
    intended: () => sampleDefinition({ pricedPlans: true, summary: "Updated" }),
    starts: { publish: 0, goLive: 0 },
  },
  {
    name: "Offer read",
    target: (c) => ["GET", path(c)],
    prepare: (h) => offer(h, true),
    act: (h, c) => h.env.provider("offer").read(`${h.publisherId}/${c.offerId}`, c.outs),
    intended: unchanged,
    starts: { publish: 0, goLive: 0 },
  },
  {
    name: "Offer adopt",
    target: (c) => ["GET", path(c)],
    prepare: (h) => offer(h, true),
    act: (h, c) =>
      h.env.provider("offer").create({
        ...(c.inputs as any),
        adopt: true,
        definition: sampleDefinition({ pricedPlans: true, summary: "Adopted" }),
      }),
    intended: () => sampleDefinition({ pricedPlans: true, summary: "Adopted" }),
    starts: { publish: 0, goLive: 0 },
  },
  {
    name: "VmPricing apply",
    target: (c) => ["GET", path(c)],
    prepare: (h) => offer(h, false),
    act: (h, c) =>
      h.env.provider("vmPricing").create({
        publisherId: h.publisherId,
        offerId: c.offerId,
        planId: "payg",
        pricing: { kind: "perCore", pricePerCoreUsd: 0.3 },
      }),
    intended: (_c, before) =>
      before && {
        ...before,
        plans: before.plans.map((p: any) => (p.planId === "payg" ? { ...p, virtualMachinePricing: perCore(0.3) } : p)),
      },
    starts: { publish: 0, goLive: 0 },
  },
  {
    name: "VmPricing ×4 parallel",
    target: (c) => ["PUT", path(c)],
    prepare: (h) => offer(h, false, ["a", "b", "c", "d"]),
    act: (h, c) =>
      Promise.all(
        ["a", "b", "c", "d"].map((planId, i) =>
          h.env.provider("vmPricing").create({
            publisherId: h.publisherId,
            offerId: c.offerId,
            planId,
            pricing: { kind: "perCore", pricePerCoreUsd: i + 1 },
          }),
        ),
      ),
    intended: (_c, before) =>
      before && {
        ...before,
        plans: before.plans.map((p: any, i: number) => ({ ...p, virtualMachinePricing: perCore(i + 1) })),
      },
    starts: { publish: 0, goLive: 0 },
  },
  {
    name: "OfferPublish create",
    target: (c) => ["POST", `${path(c)}/publish`],
    prepare: (h) => offer(h, true),
    act: (h, c) =>
      h.env
        .provider("offerPublish")
        .create({ publisherId: h.publisherId, offerId: c.offerId, target: "preview", __provider: "p" }),
    intended: unchanged,
    starts: { publish: 1, goLive: 0 },
  },
  {
    name: "OfferPublish resume",
    // The operation URL names the offer as `pub$offer$…` (docs/internals/api-notes.md §9.1).
    target: (c) => ["GET", `$${c.offerId}$`],
    prepare: (h) => runningPublish(h),
    act: async (h, c) => {
      await h.steps("instant"); // the service finishes the steps; the resume sees sign-off
      return h.env.provider("offerPublish").update("id", c.props, { ...(c.pubInputs as any), timeoutSeconds: 20 });
    },
    intended: unchanged,
    starts: { publish: 0, goLive: 0 },
  },
  {
    name: "OfferPublish go-live",
    target: (c) => ["POST", `${path(c)}/golive`],
    prepare: async (h) => {
      const ctx = await offer(h, true);
      const pubInputs = { publisherId: h.publisherId, offerId: ctx.offerId, target: "preview", __provider: "p" };
      const { result, error } = await captureConsole(() => h.env.provider("offerPublish").create(pubInputs));
      if (error) throw error;
      return { ...ctx, pubInputs, pubOuts: (result as any).outs };
    },
    act: (h, c) =>
      h.env.provider("offerPublish").update("id", c.pubOuts, {
        ...(c.pubInputs as any),
        target: "live",
        // The approval of what the preview holds (what a reviewer commits).
        approvedContentHash: (c.pubOuts as any).publishedContentHash,
      }),
    intended: unchanged,
    starts: { publish: 0, goLive: 1 },
  },
  {
    name: "OfferPublish delete (cancel)",
    target: (c) => ["POST", `${path(c)}/cancel`],
    prepare: (h) => runningPublish(h),
    act: (h, c) => h.env.provider("offerPublish").delete("id", c.props),
    intended: unchanged,
    starts: { publish: 0, goLive: 0 },
  },
];

function httpRow(fault: HttpFault, op: Operation): MatrixRow {
  const post = op.target({ offerId: "x" })[0] === "POST";
  // Idempotent requests (GET, PUT with If-Match) are retried and converge.
  const outcome: ExpectedOutcome = post ? POST_OUTCOME[fault] : "converges";
  // A POST that was slower than the timeout is still served once its delay ends: the
  // operation it asked for starts although the client gave up (a later `up` finds it).
  const startsAnyway = post && fault === "slower than the timeout";
  const starts = outcome === "converges" || startsAnyway ? op.starts : { publish: 0 as const, goLive: 0 as const };
  return {
    fault,
    operation: op.name,
    expect: { outcome, draft: outcome === "converges" ? "intended" : "unchanged", operations: starts },
    prepare: op.prepare,
    arm: async (h, ctx) => {
      const [method, p] = op.target(ctx);
      await h.inject(fault, method, p);
    },
    act: op.act,
    intended: op.intended,
  };
}

const op = (name: string): Operation => OPERATIONS.find((o) => o.name === name)!;
const PORTAL_EDIT = { displayText: "Portal edit" };

/** Another writer (the portal) changes the offer after the provider read it. */
async function portalEdit(h: MatrixHarness, ctx: CellContext): Promise<{ concurrentEdit: Record<string, unknown> }> {
  await h.env.control("PATCH", `/offers/${h.publisherId}/${ctx.offerId}`, { definition: PORTAL_EDIT });
  return { concurrentEdit: { displayText: PORTAL_EDIT.displayText } };
}

const concurrentRows: MatrixRow[] = [
  {
    fault: "concurrent edit (412)",
    operation: "Offer update",
    // The ETag in state is stale: the update must refuse, keep the edit, and say what to do.
    expect: {
      outcome: "CPP_CHANGED_OUTSIDE",
      draft: "unchanged",
      operations: { publish: 0, goLive: 0 },
      message: /changed outside Pulumi.*(refresh|pulumi up)/s,
    },
    ...pick(op("Offer update")),
    arm: portalEdit,
  },
  {
    fault: "concurrent edit (412)",
    operation: "Offer adopt",
    // Edited before the adopt read it, and (injected 412) again between its read and write.
    expect: { outcome: "CPP_PRECONDITION_FAILED", draft: "unchanged", operations: { publish: 0, goLive: 0 } },
    ...pick(op("Offer adopt")),
    arm: async (h, ctx) => {
      const edit = await portalEdit(h, ctx);
      await h.env.control("POST", "/faults", { method: "PUT", path: path(ctx), status: 412, count: 1 });
      return edit;
    },
  },
  ...["VmPricing apply", "VmPricing ×4 parallel"].map((name): MatrixRow => ({
    fault: "concurrent edit (412)",
    operation: name,
    // Read-modify-write: re-reads on 412 and converges, keeping the edit (it is in `before`).
    expect: { outcome: "converges", draft: "intended", operations: { publish: 0, goLive: 0 } },
    ...pick(op(name)),
    arm: async (h, ctx) => {
      const edit = await portalEdit(h, ctx);
      await h.env.control("POST", "/faults", { method: "PUT", path: path(ctx), status: 412, count: 2 });
      return edit;
    },
  })),
];

const vanished = (name: string, outcome: ExpectedOutcome): MatrixRow => ({
  fault: "offer vanished (404)",
  operation: name,
  // Nothing may bring a vanished offer back; a refresh (read) drops the resource.
  expect: { outcome, draft: "absent", operations: { publish: 0, goLive: 0 } },
  ...pick(op(name)),
  arm: async (h, ctx) => {
    await h.env.control("DELETE", `/offers/${h.publisherId}/${ctx.offerId}`);
  },
});
const vanishedRows: MatrixRow[] = [
  // The PUT carries the stale ETag; the service answers 412 for a missing offer as for a changed one.
  vanished("Offer update", "CPP_CHANGED_OUTSIDE"),
  vanished("Offer read", "converges"),
  vanished("VmPricing apply", "CPP_OFFER_NOT_FOUND"),
  vanished("OfferPublish create", "CPP_NOT_FOUND"),
];

/** Forced outcomes of a step (emulator `POST /offers/:pub/:offer/outcome`). */
const STEP_FAULTS: Array<{ fault: string; outcome: string; code: ExpectedOutcome; message: (step: string) => RegExp }> =
  [
    {
      fault: "operation failed at a step",
      outcome: "fail",
      code: "CPP_OPERATION_FAILED",
      message: (s) =>
        new RegExp(
          `failed at step "${s}".*Forced by the fault matrix.*Nothing is submitted again by itself.*Fix: address`,
        ),
    },
    {
      fault: "operation canceled outside",
      outcome: "cancel",
      code: "CPP_OPERATION_CANCELED",
      message: () => /canceled outside this deployment.*Nothing is submitted again by itself.*Fix: change the offer/,
    },
    // Blocked: the service holds the step until the publisher acts; the wait ends at once.
    {
      fault: "operation blocked",
      outcome: "block",
      code: "CPP_OPERATION_BLOCKED",
      message: (s) => new RegExp(`blocked at step "${s}".*Fix: resolve what step "${s}" asks for.*pulumi up`),
    },
    {
      fault: "operation rejected",
      outcome: "reject",
      code: "CPP_OPERATION_REJECTED",
      message: (s) => new RegExp(`rejected at step "${s}".*Forced by the fault matrix.*Fix: address each reason`),
    },
  ];
const stepRows: MatrixRow[] = STEP_FAULTS.flatMap((f) =>
  (["OfferPublish create", "OfferPublish go-live"] as const).map((name): MatrixRow => {
    const goLive = name === "OfferPublish go-live";
    return {
      fault: f.fault,
      operation: name,
      // The operation starts, then ends (or is held) at the forced step; the Draft is untouched.
      expect: {
        outcome: f.code,
        draft: "unchanged",
        operations: goLive ? { publish: 0, goLive: 1 } : { publish: 1, goLive: 0 },
        message: f.message(goLive ? "Live" : "Provisioning"),
      },
      ...pick(op(name)),
      arm: async (h, ctx) => {
        await h.env.control("POST", `/offers/${h.publisherId}/${ctx.offerId}/outcome`, {
          outcome: f.outcome,
          step: goLive ? "live" : "displayprovision",
          message: "Forced by the fault matrix",
        });
      },
    };
  }),
);

const restartRow: MatrixRow = {
  fault: "emulator restarted mid-operation",
  operation: "OfferPublish resume",
  // The emulator persists its state; restarted on the same port it continues the operation,
  // and the resume finds it: no second publish.
  expect: { outcome: "converges", draft: "intended", operations: { publish: 0, goLive: 0 } },
  ...pick(op("OfferPublish resume")),
  arm: async (h) => {
    await h.env.restart();
  },
};

function pick(o: Operation): Pick<MatrixRow, "prepare" | "act" | "intended"> {
  return { prepare: o.prepare, act: o.act, intended: o.intended };
}

/** Every row of the three resources: HTTP faults × operations, then the special cases. */
export const rows: MatrixRow[] = [
  ...HTTP_FAULTS.flatMap((fault) => OPERATIONS.map((o) => httpRow(fault, o))),
  ...concurrentRows,
  ...vanishedRows,
  ...stepRows,
  restartRow,
];
