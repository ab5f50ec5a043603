// SPDX-License-Identifier: Apache-2.0
import { isCloudPartnerError, type OfferDocument } from "../client/index.js";
import {
  COREVM_ONLY_INPUTS,
  desiredEntry,
  entryFingerprint,
  fromWireDisks,
  IMAGE_MAP_KEYS,
  imageKindOf,
  imageMapOf,
  imageRuleProblems,
  MAX_VERSIONS_PER_PLAN,
  publishedImages,
  withHiddenVersion,
  withoutVersion,
  withVersion,
  type ImageOfferKind,
  type PublishedImages,
} from "../images/map.js";
import {
  DEFAULT_ON_DELETE,
  type ImageDeleteMode,
  type VmImageVersionInputs,
  type VmImageVersionOutputs,
} from "../images/types.js";
import type { ResourceDiff } from "../offer/diff.js";
import { stripForPut, type WireOffer } from "../offer/document.js";
import { jsonClone, jsonEqual, type JsonRecord } from "../util/json.js";
import { containsUnknown } from "../util/unknown.js";
import type { InputFailure } from "../validation/failure.js";
import { validateVmImageVersionInputs } from "../validation/vm-image-version.js";
import { api, client, configuredApi, readOfferForRefresh } from "./context.js";
import { editPlanImagesOnPia, piaImageFailures, readPlanOnPia } from "./vm-image-version-pia.js";
import { describeFailure, ResourceError } from "./errors.js";
import { info, warn } from "./log.js";
import { PROVIDER_VERSION } from "./version.js";

/** Read-modify-write attempts before giving up on an offer that keeps changing. */
const MAX_ATTEMPTS = 8;

/** The inputs a program sets; a change of any of them is an update (the identity keys replace). */
const COMPARED = [
  "version",
  "osVhdUrl",
  "dataDisks",
  "label",
  "mediaName",
  "description",
  "publishedDate",
  "onDelete",
  "allowLowerVersion",
  "account",
] as const;

type PlanRef = { publisherId: string; offerId: string; planId: string; account?: string };

function planRef(i: PlanRef): string {
  return `${i.publisherId}/${i.offerId}/${i.planId}`;
}

function imageId(i: PlanRef & { version: string }): string {
  return `${planRef(i)}/${i.version}`;
}

/** check: defaults (`dataDisks: []`, `onDelete`) and validation; SAS expiry warnings are printed. */
export async function check(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<{ inputs: Record<string, unknown>; failures?: InputFailure[] }> {
  // The delete mode in effect is stored with the resource, so a later change of the default
  // never changes what deleting an existing resource does.
  const inputs = { ...news, dataDisks: news.dataDisks ?? [], onDelete: news.onDelete ?? DEFAULT_ON_DELETE };
  const checked = validateVmImageVersionInputs(inputs, olds ?? {}, Date.now());
  const onPia = configuredApi(typeof news.account === "string" ? news.account : undefined) === "productIngestion";
  const failures = [...checked.failures, ...(onPia ? piaImageFailures(inputs) : [])];
  const warnings = checked.warnings;
  const name = `VmImageVersion ${String(news.planId)}/${String(news.version)}`;
  for (const w of warnings) warn(`${name}: ${w}`);
  return failures.length > 0 ? { inputs, failures } : { inputs };
}

/** diff: the plan's identity replaces; a new version moves the resource (one write, see apply). */
export async function diff(
  _id: string,
  olds: VmImageVersionOutputs,
  news: VmImageVersionInputs,
): Promise<ResourceDiff> {
  const replaces = (["publisherId", "offerId", "planId"] as const).filter(
    (k) => !containsUnknown(news[k]) && olds[k] !== news[k],
  );
  if (replaces.length > 0) return { changes: true, replaces: [...replaces] };
  const changed = COMPARED.some((k) => containsUnknown(news[k]) || !jsonEqual(olds[k], news[k]));
  // A hidden entry (showInGui false, set in the portal) is drift the next up undoes.
  return { changes: changed || olds.providerVersion !== PROVIDER_VERSION || olds.hidden === true, replaces: [] };
}

/** create: add this version to the plan's image map. */
export async function create(inputs: VmImageVersionInputs): Promise<{ id: string; outs: VmImageVersionOutputs }> {
  return { id: imageId(inputs), outs: await apply(inputs) };
}

/**
 * update: the same read → compare → write. When the version changed, the old version is taken
 * out (or hidden, or kept: `onDelete`) in the same write, so rotating a slot of a "newest N"
 * list never leaves the plan with N + 1 versions, and a publish that depends on the resource
 * sees the plan as rotated.
 */
export async function update(
  _id: string,
  olds: VmImageVersionOutputs,
  news: VmImageVersionInputs,
): Promise<{ outs: VmImageVersionOutputs }> {
  return { outs: await apply(news, olds.version !== news.version ? olds.version : undefined) };
}

/** What one read-modify-write of a plan's image map decided. */
export type Edit = { map: Record<string, JsonRecord> } | { keep: true };

/**
 * GET the offer, edit one plan's image map with `edit`, PUT it back with the ETag just read.
 * A 412 means another writer (often a sibling VmImageVersion applied in parallel) got in
 * between: read again and edit again, bounded, so every parallel write lands and nothing else
 * in the offer changes. `edit` runs on a fresh read each attempt.
 */
export type EditFn = (kind: ImageOfferKind, map: Record<string, JsonRecord>, ctx: EditContext) => Promise<Edit>;
/** What an edit may ask of the API it runs on. */
export interface EditContext {
  /** The plan's images in the published slots (read once, when first asked). */
  published(): Promise<PublishedImages>;
  /** How many versions a plan may hold on this API. */
  maxVersions: number;
}
export type EditResult = { kind?: ImageOfferKind; offerTypeId?: string; etag?: string; found: boolean };

async function editPlanImages(
  name: string,
  ref: PlanRef,
  edit: EditFn,
  missing: "fail" | "ignore",
): Promise<EditResult> {
  if (api(ref.account) === "productIngestion") return editPlanImagesOnPia(name, ref, edit, missing);
  const c = client(ref.account);
  try {
    for (let attempt = 1; ; attempt++) {
      const current = await c.getOffer(ref.publisherId, ref.offerId, { includeAllPricing: true });
      const doc = jsonClone(current.value) as WireOffer;
      const kind = imageKindOf(doc.offerTypeId);
      if (!kind) {
        throw new ResourceError(
          `${name}: offer ${ref.publisherId}/${ref.offerId} has type "${doc.offerTypeId}", which has no VM images; ` +
            "VmImageVersion works with microsoft-azure-virtualmachines and microsoft-azure-corevm offers.",
          "CPP_IMAGE_OFFER_TYPE",
        );
      }
      const plan = doc.definition?.plans?.find((p) => p.planId === ref.planId);
      if (!plan) {
        if (missing === "ignore") return { kind, offerTypeId: doc.offerTypeId, etag: current.etag, found: false };
        throw new ResourceError(
          `${name}: offer ${ref.publisherId}/${ref.offerId} has no plan "${ref.planId}". Add the plan (without ` +
            `${IMAGE_MAP_KEYS[kind]}) to the Offer's definition.plans, and make this VmImageVersion ` +
            "depend on the Offer.",
          "CPP_PLAN_NOT_FOUND",
        );
      }
      const map = imageMapOf(plan, kind);
      let published: Promise<PublishedImages> | undefined;
      const ctx: EditContext = {
        published: () => (published ??= readPublished(ref, doc, kind)),
        maxVersions: MAX_VERSIONS_PER_PLAN,
      };
      const result = await edit(kind, jsonClone(map), ctx);
      if ("keep" in result || jsonEqual(result.map, map)) {
        return { kind, offerTypeId: doc.offerTypeId, etag: current.etag, found: true };
      }
      plan[IMAGE_MAP_KEYS[kind]] = result.map;
      stripForPut(doc);
      try {
        const put = await c.putOffer(ref.publisherId, ref.offerId, doc as OfferDocument, {
          concurrency: current.etag ? { mode: "ifMatch", etag: current.etag } : { mode: "lastWriterWins" },
        });
        return { kind, offerTypeId: doc.offerTypeId, etag: put.etag, found: true };
      } catch (e) {
        if (!isCloudPartnerError(e, "CPP_PRECONDITION_FAILED") || attempt >= MAX_ATTEMPTS) throw e;
        info(`${name}: the offer changed while the image version was written (attempt ${attempt}); reading it again.`);
        await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 100 * attempt)));
      }
    }
  } catch (e) {
    if (isCloudPartnerError(e, "CPP_NOT_FOUND")) {
      if (missing === "ignore") return { found: false };
      throw new ResourceError(
        `${name}: offer ${ref.publisherId}/${ref.offerId} does not exist. Create it with an Offer resource and make ` +
          "this VmImageVersion depend on it.",
        "CPP_OFFER_NOT_FOUND",
        e,
      );
    }
    if (isCloudPartnerError(e, "CPP_PRECONDITION_FAILED")) {
      throw new ResourceError(
        `${name}: the offer kept changing during ${MAX_ATTEMPTS} read-modify-write attempts; run \`pulumi up\` again.`,
        "CPP_CHANGED_OUTSIDE",
        e,
      );
    }
    throw describeFailure(name, e);
  }
}

/** The plan's images in the Preview and Production slots (none when never published). */
async function readPublished(ref: PlanRef, doc: WireOffer, kind: ImageOfferKind): Promise<PublishedImages> {
  if (doc.status === undefined || doc.status === "neverPublished") return { versions: [] };
  const plans: Array<JsonRecord | undefined> = [];
  for (const slot of ["Preview", "Production"] as const) {
    try {
      const published = await client(ref.account).getOffer(ref.publisherId, ref.offerId, { slot });
      plans.push((published.value as WireOffer).definition?.plans?.find((p) => p.planId === ref.planId));
    } catch (e) {
      if (!isCloudPartnerError(e, "CPP_NOT_FOUND")) throw e;
    }
  }
  return publishedImages(plans, kind);
}

/** Writes this version (and takes `leaving` out per onDelete, when the resource moved). */
async function apply(inputs: VmImageVersionInputs, leaving?: string): Promise<VmImageVersionOutputs> {
  const name = `VmImageVersion ${imageId(inputs)}`;
  const now = Date.now();
  let entry: JsonRecord = {};
  let warned = false;
  const coreVmFieldsSet = COREVM_ONLY_INPUTS.filter((k) => inputs[k] !== undefined);
  const result = await editPlanImages(
    name,
    inputs,
    async (kind, map, ctx) => {
      const published = await ctx.published();
      const { problems, warnings } = imageRuleProblems({
        kind,
        planId: inputs.planId,
        version: inputs.version,
        map,
        dataDiskCount: inputs.dataDisks.length,
        // Only a removed version leaves the map; a kept or hidden one still counts.
        leaving: inputs.onDelete === "remove" ? leaving : undefined,
        published,
        allowLowerVersion: inputs.allowLowerVersion,
        coreVmFieldsSet: [...coreVmFieldsSet],
        maxVersions: ctx.maxVersions,
      });
      if (problems.length > 0) {
        throw new ResourceError(`${name}: ${problems.map((p) => p.message).join(" ")}`, problems[0].code);
      }
      if (inputs.onDelete === "hide" && kind === "vm") {
        throw new ResourceError(
          `${name}: onDelete "hide" needs a core-VM offer (its images have showInGui); a VM offer's versions cannot ` +
            'be hidden. Use onDelete "remove" or "retain".',
          "CPP_IMAGE_HIDE_UNSUPPORTED",
        );
      }
      // Once per apply, not once per read of a 412 retry.
      if (!warned) for (const w of warnings) warn(`${name}: ${w}`);
      warned = true;
      entry = desiredEntry(kind, inputs, map[inputs.version], now);
      let next = withVersion(map, inputs.version, entry);
      if (leaving !== undefined && leaving !== inputs.version && next[leaving]) {
        next = retire(next, leaving, inputs.onDelete, kind);
      }
      return { map: next };
    },
    "fail",
  );
  if (leaving !== undefined && leaving !== inputs.version) {
    info(`${name}: moved from version ${leaving}, which was ${retiredAs(inputs.onDelete, result.kind)}.`);
  }
  return {
    ...inputs,
    offerTypeId: result.offerTypeId,
    imageMapKey: result.kind && IMAGE_MAP_KEYS[result.kind],
    fingerprint: entryFingerprint(inputs.planId, inputs.version, entry),
    // The engine's host rejects undefined members (the Product Ingestion API has no ETag).
    ...(result.etag !== undefined ? { etag: result.etag } : {}),
    providerVersion: PROVIDER_VERSION,
  };
}

/** The map after a version leaves per the delete mode (`hide` falls back to keeping it on VM offers). */
function retire(
  map: Record<string, JsonRecord>,
  version: string,
  mode: ImageDeleteMode,
  kind: ImageOfferKind,
): Record<string, JsonRecord> {
  if (mode === "remove") return withoutVersion(map, version);
  if (mode === "hide" && kind === "corevm") return withHiddenVersion(map, version);
  return map;
}

function retiredAs(mode: ImageDeleteMode, kind?: ImageOfferKind): string {
  if (mode === "remove") return "taken out of the Draft (the next publish drops it)";
  if (mode === "hide" && kind === "corevm") return "hidden (showInGui: false)";
  return "kept in the plan (onDelete: retain)";
}

/**
 * read (refresh): this version's entry in the Draft. A vanished offer, plan or version drops
 * the resource (the next up adds it again). Optional core-VM fields are reported only when the
 * program set them, so defaults filled in by this package or the service do not show as drift.
 */
export async function read(
  id: string,
  props?: VmImageVersionOutputs,
): Promise<{ id: string; props?: VmImageVersionOutputs; inputs?: VmImageVersionInputs }> {
  if (!props?.publisherId || !props.offerId || !props.planId || !props.version) return { id, props };
  try {
    let doc: WireOffer;
    let etag: string | undefined;
    if (api(props.account) === "productIngestion") {
      const found = await readPlanOnPia(props);
      if (!found) return { id: "" };
      doc = found;
    } else {
      const current = await readOfferForRefresh(props.publisherId, props.offerId, props.account);
      doc = current.value as WireOffer;
      etag = current.etag;
    }
    const kind = imageKindOf(doc.offerTypeId);
    const plan = doc.definition?.plans?.find((p) => p.planId === props.planId);
    const entry = kind && plan ? imageMapOf(plan, kind)[props.version] : undefined;
    if (!kind || !entry) return { id: "" };
    const inputs: VmImageVersionInputs = {
      publisherId: props.publisherId,
      offerId: props.offerId,
      planId: props.planId,
      version: props.version,
      osVhdUrl: typeof entry.osVhdUrl === "string" ? entry.osVhdUrl : "",
      dataDisks: fromWireDisks(entry.lunVhdDetails),
      onDelete: props.onDelete ?? DEFAULT_ON_DELETE,
    };
    for (const key of COREVM_ONLY_INPUTS) {
      if (props[key] !== undefined) inputs[key] = typeof entry[key] === "string" ? String(entry[key]) : undefined;
    }
    if (props.allowLowerVersion !== undefined) inputs.allowLowerVersion = props.allowLowerVersion;
    if (props.account !== undefined) inputs.account = props.account;
    const outs: VmImageVersionOutputs = {
      ...props,
      ...inputs,
      offerTypeId: doc.offerTypeId,
      imageMapKey: IMAGE_MAP_KEYS[kind],
      fingerprint: entryFingerprint(props.planId, props.version, entry),
      ...((etag ?? props.etag) !== undefined ? { etag: etag ?? props.etag } : {}),
    };
    if (entry.showInGui === false) outs.hidden = true;
    else delete outs.hidden;
    return { id, props: outs, inputs };
  } catch (e) {
    if (isCloudPartnerError(e, "CPP_NOT_FOUND")) return { id: "" };
    throw describeFailure(`VmImageVersion ${id}`, e);
  }
}

/**
 * delete: per `onDelete` — `retain` (default) writes nothing; `remove` takes the version out of
 * the Draft (a later publish drops it from the marketplace); `hide` sets `showInGui: false` on
 * a core-VM offer. A vanished offer, plan or version is already gone.
 */
export async function remove(id: string, props: VmImageVersionOutputs): Promise<void> {
  const mode = props?.onDelete ?? DEFAULT_ON_DELETE;
  const name = `VmImageVersion ${id}`;
  if (mode === "retain" || !props?.publisherId) {
    info(
      `${name} removed from the stack; the version stays in the plan (onDelete: "retain"). ` +
        'Set onDelete: "remove" to take versions out when their resource goes.',
    );
    return;
  }
  let present = false;
  const result = await editPlanImages(
    name,
    props,
    async (kind, map) => {
      present = map[props.version] !== undefined;
      if (!present) return { keep: true };
      if (mode === "hide" && kind === "vm") {
        warn(`${name}: onDelete "hide" is not possible on a VM offer (no showInGui); the version stays in the plan.`);
        return { keep: true };
      }
      const next = retire(map, props.version, mode, kind);
      if (Object.keys(next).length === 0) {
        warn(`${name}: plan "${props.planId}" has no disk version left; publishing fails until one is added.`);
      }
      return { map: next };
    },
    "ignore",
  );
  if (result.found && present && !(mode === "hide" && result.kind === "vm")) {
    info(`${name}: ${retiredAs(mode, result.kind)}.`);
  }
}
