// SPDX-License-Identifier: Apache-2.0
/**
 * VmImageVersion rows for the fault matrix (tests/reliability/fault-matrix.test.ts): each row
 * prepares an offer without faults, applies VmImageVersion through the provider object exactly
 * as the engine calls it, and checks the Draft on the service afterwards. `check` is the
 * service-side invariant: versions this operation does not own are intact, and when the
 * operation succeeded its write is there in full (when it failed, it is there in full or not
 * at all). The matrix runs `prepare`, arms a fault on `target`, runs `act`, then `check`.
 */
import { sasUrl, VM_IMAGES, vmDefinitionWithoutImages } from "../helpers/images.js";
import type { ProviderEnv } from "../helpers/provider-env.js";

const PUB = "contoso";
let n = 0;

/** What a row's preparation hands to its action and check (`inputs.offerId` names the offer). */
export interface ImageRowContext {
  inputs: { offerId: string };
  [key: string]: unknown;
}

/** One operation of the matrix. */
export interface ImageVersionRow {
  operation: string;
  /** The request HTTP faults are armed on: method and a path substring. */
  target: [string, string];
  prepare(env: ProviderEnv): Promise<ImageRowContext>;
  act(env: ProviderEnv, ctx: ImageRowContext): Promise<unknown>;
  /** True when the Draft is as it must be after `act` returned `result` (undefined: it failed). */
  check(env: ProviderEnv, ctx: ImageRowContext, result: unknown): Promise<boolean>;
}

async function newOffer(env: ProviderEnv): Promise<string> {
  const offerId = `imgrow-${process.pid}-${++n}`;
  const offer = env.provider("offer");
  const { inputs } = await offer.check({}, { publisherId: PUB, offerId, definition: vmDefinitionWithoutImages() });
  await offer.create(inputs);
  return offerId;
}

/** Checked inputs of version `v` of the byol plan, its VHD at `sasUrl("row-<v>")`. */
async function checked(env: ProviderEnv, offerId: string, v: string, extra: object = {}): Promise<any> {
  const news = { publisherId: PUB, offerId, planId: "byol", version: v, osVhdUrl: url(v), ...extra };
  const { inputs, failures } = await env.provider("vmImageVersion").check({}, news);
  if (failures) throw new Error(`test inputs fail check: ${JSON.stringify(failures)}`);
  return inputs;
}

const url = (v: string) => sasUrl(`row-${v}`);
const REMOVE = { onDelete: "remove" };

/** The byol plan's image map in the Draft (control API, so no fault touches it). */
export async function draftImages(env: ProviderEnv, offerId: string): Promise<Record<string, { osVhdUrl?: string }>> {
  const record = await env.control("GET", `/offers/${PUB}/${offerId}`);
  return record.draft.definition.plans.find((p: { planId: string }) => p.planId === "byol")[VM_IMAGES] ?? {};
}

/** True when the map holds version `v` with its own URL. */
const has = (map: Record<string, { osVhdUrl?: string }>, v: string) => map[v]?.osVhdUrl === url(v);

/** The rows; offers are named `imgrow-<pid>-<n>`, so `target` paths hit only them. */
export const IMAGE_VERSION_ROWS: ImageVersionRow[] = [
  {
    operation: "VmImageVersion create",
    target: ["PUT", "/offers/imgrow-"],
    async prepare(env) {
      const offerId = await newOffer(env);
      await env.provider("vmImageVersion").create(await checked(env, offerId, "1.0.0"));
      return { inputs: { offerId }, news: await checked(env, offerId, "1.0.1") };
    },
    act: (env, c) => env.provider("vmImageVersion").create(c.news),
    async check(env, c, result) {
      const map = await draftImages(env, c.inputs.offerId);
      const landed = has(map, "1.0.1");
      return has(map, "1.0.0") && (result === undefined ? landed || map["1.0.1"] === undefined : landed);
    },
  },
  {
    operation: "VmImageVersion update (move, onDelete remove)",
    target: ["PUT", "/offers/imgrow-"],
    async prepare(env) {
      const offerId = await newOffer(env);
      const image = env.provider("vmImageVersion");
      await image.create(await checked(env, offerId, "0.9.0"));
      const { outs } = await image.create(await checked(env, offerId, "1.0.0", REMOVE));
      return { inputs: { offerId }, outs, news: await checked(env, offerId, "1.1.0", REMOVE) };
    },
    act: (env, c) => env.provider("vmImageVersion").update("id", c.outs, c.news),
    async check(env, c, result) {
      const map = await draftImages(env, c.inputs.offerId);
      const moved = has(map, "1.1.0") && map["1.0.0"] === undefined;
      const untouched = has(map, "1.0.0") && map["1.1.0"] === undefined;
      return has(map, "0.9.0") && (result === undefined ? moved || untouched : moved);
    },
  },
  {
    operation: "VmImageVersion ×4 parallel",
    target: ["PUT", "/offers/imgrow-"],
    async prepare(env) {
      const offerId = await newOffer(env);
      const versions = ["2.0.0", "2.0.1", "2.0.2", "2.0.3"];
      return { inputs: { offerId }, versions, news: await Promise.all(versions.map((v) => checked(env, offerId, v))) };
    },
    act: (env, c) => Promise.all((c.news as unknown[]).map((i) => env.provider("vmImageVersion").create(i))),
    async check(env, c, result) {
      const map = await draftImages(env, c.inputs.offerId);
      const versions = c.versions as string[];
      // Whatever landed is complete; after success, all of them.
      const complete = Object.keys(map).every((v) => versions.includes(v) && has(map, v));
      return complete && (result === undefined || versions.every((v) => map[v] !== undefined));
    },
  },
  {
    operation: "VmImageVersion delete (remove)",
    target: ["PUT", "/offers/imgrow-"],
    async prepare(env) {
      const offerId = await newOffer(env);
      const image = env.provider("vmImageVersion");
      await image.create(await checked(env, offerId, "1.0.0"));
      const { id, outs } = await image.create(await checked(env, offerId, "1.0.1", REMOVE));
      return { inputs: { offerId }, id, outs };
    },
    act: async (env, c) => {
      await env.provider("vmImageVersion").delete(c.id, c.outs);
      return "deleted";
    },
    async check(env, c, result) {
      const map = await draftImages(env, c.inputs.offerId);
      return has(map, "1.0.0") && (result === undefined || map["1.0.1"] === undefined);
    },
  },
];
