// SPDX-License-Identifier: Apache-2.0
/**
 * Fault-matrix rows of the resources on the Product Ingestion API (`cloudpartner:api:
 * productIngestion`; every row says `api: "productIngestion"`, and runCell configures the
 * provider for it, see matrix.ts): Offer create and update, VmPricing create, VmImageVersion
 * create and OfferPublish create (preview), each under the matrix's HTTP faults, injected on the
 * PIA requests that matter to it: the one write (`POST configure`), the poll of its job, the
 * resource-tree read, the product lookup by offer id.
 *
 * What differs from CPP, and what the rows hold the provider to:
 * - PIA has no ETag and a `POST configure` is never sent twice by the client: its answer may be
 *   lost after the service took it. So every row counts the configure jobs the service accepted
 *   for the offer (`configureJobs`): exactly one, whatever the fault — a write sent twice looks
 *   like one in the Draft and shows only there.
 * - A configure that fails surfaces its error (never retried, the advice says it is not sent
 *   again), and the next `pulumi up` (the row's `next`) must converge without writing a second
 *   time: it reads first and finds what landed, or writes what did not.
 * Reads (product, resource tree) are retried by the transport; a failed job poll counts as
 * pending and the wait polls again: those rows converge in one run.
 */
import { sasUrl, VM_IMAGES, vmDefinitionWithoutImages } from "../helpers/images.js";
import { sampleDefinition } from "../helpers/offers.js";
import { captureConsole } from "../helpers/provider-env.js";
import {
  HTTP_FAULTS,
  lastSeq,
  POST_OUTCOME,
  type CellContext,
  type HttpFault,
  type MatrixHarness,
  type MatrixRow,
} from "./matrix.js";
import type { CellExpectation, ExpectedOutcome } from "./oracle.js";
import type { ResourceKind } from "../../provider/resources/provider.js";

/** The PIA requests a fault is armed on: method and an emulator fault path (`/…/` is a regex of the path). */
const TARGETS = {
  // The write (not `configure/<job>/cancel`): the request whose answer may be lost.
  "POST configure": ["POST", "/\\/configure$/"],
  // The wait's poll of the job the write started (no retries of its own: the wait polls again).
  "GET job status": ["GET", "/\\/configure\\/[^/]+\\/status$/"],
  // The first read of the draft (for a create: the read back after the job).
  "GET resource tree": ["GET", "/\\/resource-tree\\/product\\//"],
  // `product?externalId=<offer id>`: how a resource without a product id in state finds it.
  "GET product lookup": ["GET", "/\\/product-ingestion\\/product$/"],
} as const;
type Target = keyof typeof TARGETS;

/** One operation on PIA as the engine runs it, and the requests its faults are armed on. */
interface Operation {
  name: string;
  targets: Target[];
  prepare(h: MatrixHarness): Promise<CellContext>;
  act(h: MatrixHarness, ctx: CellContext): Promise<unknown>;
  intended(ctx: CellContext, before: any): unknown;
  /** Operations it starts (over the whole cell, the next run included). */
  starts: { publish: 0 | 1; goLive: 0 | 1 };
  /**
   * What its write starts runs for hours on the service (a certification): when the write of
   * the faulted run landed, the next run comes while it is still in progress, and must follow
   * it. The cell runs that with long steps, and lets certification end once the next run
   * follows the submission (see {@link followedToSignoff}).
   */
  longRunning?: true;
}

const NS = "microsoft-azure-marketplace.";
const VM = "microsoft-azure-virtualmachines.";

/** A definition PIA accepts (no marketplace URL identifier), plans priced or not. */
const piaDefinition = (o: { priced?: boolean; summary?: string } = {}) =>
  sampleDefinition({ forPia: true, pricedPlans: o.priced ?? true, summary: o.summary });

/**
 * The Draft a PIA write of `definition` leaves (one store for both APIs): the values that are
 * PIA's "not set" — a lead destination of `None`, a plan not hidden from solution templates, no
 * open ports — read back as absent, as after any PIA write.
 */
function storedByPia(definition: any): any {
  const offer = { ...definition.offer };
  if (offer[`${NS}leadDestination`] === "None") delete offer[`${NS}leadDestination`];
  const plans = definition.plans.map((p: any) => {
    const plan = { ...p };
    if (plan[`${VM}hideSKUForSolutionTemplate`] === false) delete plan[`${VM}hideSKUForSolutionTemplate`];
    if (Array.isArray(plan[`${VM}openPorts`]) && plan[`${VM}openPorts`].length === 0) delete plan[`${VM}openPorts`];
    return plan;
  });
  return { ...definition, offer, plans };
}

/** Checked Offer inputs of a fresh offer id (no product yet). */
async function offerInputs(h: MatrixHarness, definition: unknown): Promise<any> {
  const offerId = h.newOfferId("pia");
  const { inputs, failures } = await h.env
    .provider("offer")
    .check({}, { publisherId: h.publisherId, offerId, definition });
  if (failures) throw new Error(`test inputs fail check: ${JSON.stringify(failures)}`);
  return inputs;
}

/** Runs a preparing step with the provider's console lines kept out of the test output. */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const { result, error } = await captureConsole(fn);
  if (error !== undefined) throw error;
  return result as T;
}

/** Creates an offer through PIA (no fault armed yet). */
async function piaOffer(h: MatrixHarness, definition: unknown): Promise<CellContext> {
  const inputs = await offerInputs(h, definition);
  const { id, outs } = await quietly<any>(() => h.env.provider("offer").create(inputs));
  return { offerId: inputs.offerId, inputs, id, outs };
}

/** Checked inputs of another provider kind (what the engine passes after check). */
async function checked(h: MatrixHarness, kind: ResourceKind, news: Record<string, unknown>): Promise<any> {
  const { inputs, failures } = await h.env.provider(kind).check({}, news);
  if (failures) throw new Error(`test inputs fail check: ${JSON.stringify(failures)}`);
  return inputs;
}

const perCore = (price: number) => ({
  isByol: false,
  freeTrialDurationInMonths: 0,
  coreMultiplier: { currency: "USD", single: price },
});
const image = (v: string) => ({ osVhdUrl: sasUrl(`pia-row-${v}`), lunVhdDetails: [] });
const UPDATED = () => piaDefinition({ summary: "Updated through PIA" });
const ALL: Target[] = ["POST configure", "GET job status", "GET resource tree", "GET product lookup"];

const OPERATIONS: Operation[] = [
  {
    name: "Offer create (PIA)",
    targets: ALL,
    prepare: async (h) => {
      const inputs = await offerInputs(h, piaDefinition());
      return { offerId: inputs.offerId, inputs };
    },
    act: (h, c) => h.env.provider("offer").create(c.inputs),
    intended: (c) => storedByPia((c.inputs as any).definition),
    starts: { publish: 0, goLive: 0 },
  },
  {
    name: "Offer update (PIA)",
    // The update reads by the product id in state: no product lookup.
    targets: ["POST configure", "GET job status", "GET resource tree"],
    prepare: async (h) => {
      const ctx = await piaOffer(h, piaDefinition());
      const news = (await h.env.provider("offer").check(ctx.inputs, { ...(ctx.inputs as any), definition: UPDATED() }))
        .inputs;
      return { ...ctx, news };
    },
    act: (h, c) => h.env.provider("offer").update(c.id, c.outs, c.news),
    intended: () => storedByPia(UPDATED()),
    starts: { publish: 0, goLive: 0 },
  },
  {
    name: "VmPricing create (PIA)",
    targets: ALL,
    prepare: async (h) => {
      const ctx = await piaOffer(h, piaDefinition({ priced: false }));
      const news = await checked(h, "vmPricing", {
        publisherId: h.publisherId,
        offerId: ctx.offerId,
        planId: "payg",
        pricing: { kind: "perCore", pricePerCoreUsd: 0.3 },
      });
      return { ...ctx, news };
    },
    act: (h, c) => h.env.provider("vmPricing").create(c.news),
    intended: (_c, before) =>
      before && {
        ...before,
        plans: before.plans.map((p: any) => (p.planId === "payg" ? { ...p, virtualMachinePricing: perCore(0.3) } : p)),
      },
    starts: { publish: 0, goLive: 0 },
  },
  {
    name: "VmImageVersion create (PIA)",
    targets: ALL,
    // Version 1.0.0 is there already: the whole-array write must keep it.
    prepare: async (h) => {
      const ctx = await piaOffer(h, vmDefinitionWithoutImages(undefined, { forPia: true }));
      const version = (v: string) =>
        checked(h, "vmImageVersion", {
          publisherId: h.publisherId,
          offerId: ctx.offerId,
          planId: "byol",
          version: v,
          osVhdUrl: image(v).osVhdUrl,
        });
      const first = await version("1.0.0");
      await quietly(() => h.env.provider("vmImageVersion").create(first));
      return { ...ctx, news: await version("1.0.1") };
    },
    act: (h, c) => h.env.provider("vmImageVersion").create(c.news),
    intended: (_c, before) =>
      before && {
        ...before,
        plans: before.plans.map((p: any) =>
          p.planId === "byol" ? { ...p, [VM_IMAGES]: { ...(p[VM_IMAGES] ?? {}), "1.0.1": image("1.0.1") } } : p,
        ),
      },
    starts: { publish: 0, goLive: 0 },
  },
  {
    name: "OfferPublish create (PIA preview)",
    // The preview submission is itself a configure job; the draft is read for its content hash.
    // A landed submission still in certification at the next run (long steps) is followed.
    targets: ALL,
    prepare: (h) => piaOffer(h, piaDefinition()),
    act: createPreview,
    intended: (_c, before) => before,
    starts: { publish: 1, goLive: 0 },
    longRunning: true,
  },
  {
    name: "OfferPublish create (PIA preview, signed off before the next run)",
    // A landed submission that passed before the next run (instant steps): the next run finds the
    // preview holding the draft's content and follows it; it submits no second preview.
    targets: ["POST configure"],
    prepare: (h) => piaOffer(h, piaDefinition()),
    act: createPreview,
    intended: (_c, before) => before,
    starts: { publish: 1, goLive: 0 },
  },
];

/** OfferPublish's create of a preview, as the engine calls it. */
function createPreview(h: MatrixHarness, c: CellContext): Promise<unknown> {
  return h.env
    .provider("offerPublish")
    .create({ publisherId: h.publisherId, offerId: c.offerId, target: "preview", __provider: "p" });
}

/** A failed `POST configure` is a POST like any other: not retried, except after a 401. */
const CONFIGURE_OUTCOME = POST_OUTCOME;

/** The advice of a configure whose answer may be lost (5xx, reset, timeout): read before writing again. */
const NOT_SENT_AGAIN = /may or may not have reached the service, and it is not sent again/;

/**
 * The next run of an operation whose landed write is still in progress on the service (long
 * steps): once the run follows the submission (a poll of `submission/<product>/<number>`: it
 * found the one in progress instead of submitting again), certification ends (instant steps)
 * and the run reaches sign-off. Waits on the emulator's log, not on the wall clock.
 */
async function followedToSignoff(h: MatrixHarness, op: Operation, ctx: CellContext): Promise<unknown> {
  const since = await lastSeq(h.env);
  let settled = false;
  const run = op.act(h, ctx).finally(() => (settled = true));
  const follows = (r: { seq: number; kind: string; method: string; path: string }) =>
    r.seq > since && r.kind === "pia" && r.method === "GET" && /\/submission\/[^/]+\/\d+$/.test(r.path);
  const deadline = Date.now() + 15_000;
  while (!settled && Date.now() < deadline) {
    const log = (await h.env.control("GET", `/requests?since=${since}`)) as Parameters<typeof follows>[0][];
    if (log.some(follows)) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  await h.steps("instant");
  return run;
}

function row(fault: HttpFault, op: Operation, target: Target): MatrixRow {
  const outcome: ExpectedOutcome = target === "POST configure" ? CONFIGURE_OUTCOME[fault] : "converges";
  const failed = outcome !== "converges";
  // Delayed past the client's timeout, the POST is still served: its job runs and its write lands
  // (or its submission starts) although the client gave up. The other failures are answered
  // before the emulator acts: nothing is written.
  const landed = failed && fault === "slower than the timeout";
  const inProgress = landed && op.longRunning === true;
  const expect: CellExpectation = {
    outcome,
    draft: !failed || landed ? "intended" : "unchanged",
    // Over the cell: the faulted run and, after a failure, the next one. A write or a publish is
    // made once, by whichever run got it through.
    operations: op.starts,
    configureJobs: 1,
    ...(failed ? { next: "converges" as const } : {}),
    ...(failed && outcome !== "CPP_THROTTLED" ? { message: NOT_SENT_AGAIN } : {}),
  };
  return {
    api: "productIngestion",
    fault: `${fault} on ${target}`,
    operation: op.name,
    expect,
    prepare: op.prepare,
    arm: async (h) => {
      if (inProgress) await h.steps("long");
      const [method, path] = TARGETS[target];
      await h.inject(fault, method, path);
    },
    act: op.act,
    intended: op.intended,
    // The engine keeps no new state after a failed create or update: the next `up` calls the
    // same method with the same inputs (and old state) again.
    ...(failed ? { next: inProgress ? (h, ctx) => followedToSignoff(h, op, ctx) : op.act } : {}),
  };
}

/** Every PIA row: HTTP faults × operations × the requests that matter to each. */
export const rows: MatrixRow[] = HTTP_FAULTS.flatMap((fault) =>
  OPERATIONS.flatMap((op) => op.targets.map((target) => row(fault, op, target))),
);
