// SPDX-License-Identifier: Apache-2.0
/**
 * Fault-matrix rows of VmImageVersion. The fault matrix (tests/reliability/fault-matrix.test.ts)
 * loads every `*-rows.js` next to it and runs its `rows`: each row prepares an offer without
 * faults, arms a fault, applies VmImageVersion through the provider object exactly as the engine
 * calls it, and is judged on the service's Draft once the emulator is quiet — the outcome and
 * the Draft (`intended`: the document the operation means to leave) are declared up front.
 *
 * The row and harness types are the matrix's own (tests/reliability/matrix.ts);
 * tests/reliability/image-version.test.ts runs the rows too.
 */
import { sasUrl, VM_IMAGES, vmDefinitionWithoutImages } from "../helpers/images.js";
import { HTTP_FAULTS, type CellContext, type MatrixHarness, type MatrixRow } from "./matrix.js";

/** The HTTP-level faults every row is tried under (the matrix's own list). */
export const IMAGE_HTTP_FAULTS = HTTP_FAULTS;
/** What a cell keeps between its steps (the matrix's CellContext). */
export type ImageCellContext = CellContext;
/** What a row may use (the matrix's MatrixHarness). */
export type ImageMatrixHarness = MatrixHarness;
/** One cell (the matrix's MatrixRow). */
export type ImageMatrixRow = MatrixRow;

/** One operation of VmImageVersion and the request HTTP faults hit. */
interface Operation {
  name: string;
  target(ctx: ImageCellContext): [string, string];
  prepare(h: ImageMatrixHarness): Promise<ImageCellContext>;
  act(h: ImageMatrixHarness, ctx: ImageCellContext): Promise<unknown>;
  /** The byol plan's image map the operation means to leave, given the one before. */
  images(before: Record<string, unknown>): Record<string, unknown>;
}

const url = (v: string) => sasUrl(`row-${v}`);
/** The entry VmImageVersion writes on a VM offer for version `v` (no data disks). */
const entry = (v: string) => ({ osVhdUrl: url(v), lunVhdDetails: [] });

/** An offer whose plans leave their images to VmImageVersion, with `versions` already on byol. */
async function offerWith(h: ImageMatrixHarness, versions: string[], removeLast = false): Promise<ImageCellContext> {
  const offerId = h.newOfferId("imgrow");
  const offer = h.env.provider("offer");
  const definition = vmDefinitionWithoutImages();
  const { inputs } = await offer.check({}, { publisherId: h.publisherId, offerId, definition });
  await offer.create(inputs);
  const ctx: ImageCellContext = { offerId };
  for (const [i, v] of versions.entries()) {
    const onDelete = removeLast && i === versions.length - 1 ? "remove" : undefined;
    const { id, outs } = await h.env.provider("vmImageVersion").create(await checked(h, offerId, v, { onDelete }));
    Object.assign(ctx, { id, outs });
  }
  return ctx;
}

/** Checked inputs of version `v` of the byol plan. */
async function checked(h: ImageMatrixHarness, offerId: string, v: string, extra: object = {}): Promise<any> {
  const news = { publisherId: h.publisherId, offerId, planId: "byol", version: v, osVhdUrl: url(v), ...extra };
  const { inputs, failures } = await h.env.provider("vmImageVersion").check({}, news);
  if (failures) throw new Error(`test inputs fail check: ${JSON.stringify(failures)}`);
  return inputs;
}

const PUT = (ctx: ImageCellContext): [string, string] => ["PUT", `/offers/${ctx.offerId}`];
const PARALLEL = ["2.0.0", "2.0.1", "2.0.2", "2.0.3"];

const OPERATIONS: Operation[] = [
  {
    name: "VmImageVersion create",
    target: PUT,
    prepare: async (h) => {
      const ctx = await offerWith(h, ["1.0.0"]);
      return { ...ctx, news: await checked(h, ctx.offerId, "1.0.1") };
    },
    act: (h, c) => h.env.provider("vmImageVersion").create(c.news),
    images: (before) => ({ ...before, "1.0.1": entry("1.0.1") }),
  },
  {
    name: "VmImageVersion update (move, onDelete remove)",
    target: PUT,
    prepare: async (h) => {
      const ctx = await offerWith(h, ["0.9.0", "1.0.0"], true);
      return { ...ctx, news: await checked(h, ctx.offerId, "1.1.0", { onDelete: "remove" }) };
    },
    act: (h, c) => h.env.provider("vmImageVersion").update(c.id, c.outs, c.news),
    images: (before) => {
      const out: Record<string, unknown> = { ...before, "1.1.0": entry("1.1.0") };
      delete out["1.0.0"];
      return out;
    },
  },
  {
    name: "VmImageVersion ×4 parallel",
    target: PUT,
    prepare: async (h) => {
      const ctx = await offerWith(h, []);
      return { ...ctx, news: await Promise.all(PARALLEL.map((v) => checked(h, ctx.offerId, v))) };
    },
    act: (h, c) => Promise.all((c.news as unknown[]).map((i) => h.env.provider("vmImageVersion").create(i))),
    images: (before) => ({ ...before, ...Object.fromEntries(PARALLEL.map((v) => [v, entry(v)])) }),
  },
  {
    name: "VmImageVersion delete (onDelete remove)",
    target: PUT,
    prepare: (h) => offerWith(h, ["1.0.0", "1.0.1"], true),
    act: (h, c) => h.env.provider("vmImageVersion").delete(c.id, c.outs),
    images: (before) => {
      const out = { ...before };
      delete out["1.0.1"];
      return out;
    },
  },
];

/** The Draft definition with the byol plan's image map as `images` makes it. */
function intendedOf(op: Operation): ImageMatrixRow["intended"] {
  return (_ctx, before) =>
    before && {
      ...before,
      plans: before.plans.map((p: any) =>
        p.planId === "byol" ? { ...p, [VM_IMAGES]: op.images(p[VM_IMAGES] ?? {}) } : p,
      ),
    };
}

const none = { publish: 0 as const, goLive: 0 as const };
const pick = (op: Operation) => ({ prepare: op.prepare, act: op.act, intended: intendedOf(op) });
const op = (name: string) => OPERATIONS.find((o) => o.name === name)!;
const PORTAL_EDIT = { displayText: "Portal edit" };

/** Every VmImageVersion row: HTTP faults × operations, then concurrent edits and a vanished offer. */
export const rows: ImageMatrixRow[] = [
  // Reads and read-modify-writes under If-Match are retried (a PUT whose answer was lost is
  // answered 412 on retry; the next read finds the version written): all converge.
  ...IMAGE_HTTP_FAULTS.flatMap((fault) =>
    OPERATIONS.map((o): ImageMatrixRow => ({
      fault,
      operation: o.name,
      expect: { outcome: "converges", draft: "intended", operations: none },
      ...pick(o),
      arm: async (h, ctx) => h.inject(fault, ...o.target(ctx)),
    })),
  ),
  // A portal edit, then two 412s: the resource re-reads, converges and keeps the edit.
  ...["VmImageVersion create", "VmImageVersion ×4 parallel"].map((name): ImageMatrixRow => ({
    fault: "concurrent edit (412)",
    operation: name,
    expect: { outcome: "converges", draft: "intended", operations: none },
    ...pick(op(name)),
    arm: async (h, ctx) => {
      await h.env.control("PATCH", `/offers/${h.publisherId}/${ctx.offerId}`, { definition: PORTAL_EDIT });
      await h.env.control("POST", "/faults", { method: "PUT", path: `/offers/${ctx.offerId}`, status: 412, count: 2 });
      return { concurrentEdit: { displayText: PORTAL_EDIT.displayText } };
    },
  })),
  // Nothing may bring a vanished offer back: create says to create it; delete has nothing to do.
  ...(
    [
      ["VmImageVersion create", "CPP_OFFER_NOT_FOUND"],
      ["VmImageVersion delete (onDelete remove)", "converges"],
    ] as const
  ).map(([name, outcome]): ImageMatrixRow => ({
    fault: "offer vanished (404)",
    operation: name,
    expect: { outcome, draft: "absent", operations: none },
    ...pick(op(name)),
    arm: async (h, ctx) => {
      await h.env.control("DELETE", `/offers/${h.publisherId}/${ctx.offerId}`);
    },
  })),
];
