// SPDX-License-Identifier: Apache-2.0
/**
 * VmImageVersion on the Product Ingestion API (docs/internals/api-notes.md §P3.4): a plan's image
 * versions are one array of its technical configuration, and the array posted is the new set
 * (a missing published version is a deletion the service refuses). So an edit reads the tree,
 * changes the plan's image map as on CPP, and posts the whole technical configuration, serialised
 * with every other write of this process to the offer; a version that leaves the map but was
 * published is kept as `deprecated` instead. The write is read back after its job.
 */
import { imageKindOf, imageMapOf, IMAGE_MAP_KEYS, publishedImages, type PublishedImages } from "../images/map.js";
import type { WireOffer } from "../offer/document.js";
import type { OfferDefinition } from "../offer/types.js";
import {
  definitionToPia,
  knownIdsOf,
  planIdsByReference,
  referenceKey,
  resourceContentKey,
  resourceTypeOf,
  TECHNICAL_CONFIGURATION_TYPES,
  type PiaOfferTypeId,
} from "../pia-offer/index.js";
import { itemPath } from "../pia-offer/reader.js";
import type { PiaResource } from "../pia/models.js";
import { jsonClone, jsonEqual, type JsonRecord } from "../util/json.js";
import { piaClient, settings } from "./context.js";
import { describeFailure, ResourceError } from "./errors.js";
import { offerTypeOfProduct, productLock, readDraft, type DraftRead } from "./pia-draft.js";
import type { EditFn, EditResult } from "./vm-image-version.js";

/**
 * Versions one SKU may hold on PIA: Azure caps a SKU at 100 (observed; CPP's limit of 8 does not
 * apply). Deprecated versions count, as they stay in the array.
 */
export const PIA_MAX_VERSIONS = 100;

/** Core-VM entry fields PIA has no place for (an image version is a number, a state and its images). */
const CPP_ONLY_ENTRY_FIELDS = ["mediaName", "label", "description", "publishedDate"];

type PlanRef = { publisherId: string; offerId: string; planId: string; account?: string };

/** The offer as a refresh of a VmImageVersion needs it: its type and draft definition (normal form). */
export async function readPlanOnPia(ref: PlanRef): Promise<WireOffer | undefined> {
  const product = await piaClient(ref.account).findProduct(ref.offerId);
  const offerTypeId = offerTypeOfProduct(product?.type);
  if (!product?.id || !offerTypeId) return undefined;
  const draft = await readDraft(ref, offerTypeId, product.id);
  return draft ? { offerTypeId, definition: draft.definition } : undefined;
}

/** {@link EditFn} applied through PIA: the counterpart of the CPP read-modify-write. */
export async function editPlanImagesOnPia(
  name: string,
  ref: PlanRef,
  edit: EditFn,
  missing: "fail" | "ignore",
): Promise<EditResult> {
  return productLock(ref.account, ref.offerId, () =>
    editOnPia(name, ref, edit, missing).catch((e: unknown) => {
      throw describeFailure(name, e);
    }),
  );
}

async function editOnPia(name: string, ref: PlanRef, edit: EditFn, missing: "fail" | "ignore"): Promise<EditResult> {
  const pia = piaClient(ref.account);
  const product = await pia.findProduct(ref.offerId);
  if (!product?.id) {
    if (missing === "ignore") return { found: false };
    throw new ResourceError(
      `${name}: offer ${ref.publisherId}/${ref.offerId} does not exist in Partner Center. Create it with an Offer resource and make this VmImageVersion depend on it.`,
      "CPP_OFFER_NOT_FOUND",
    );
  }
  const productId = product.id;
  const offerTypeId = offerTypeOfProduct(product.type);
  const kind = imageKindOf(offerTypeId);
  if (!offerTypeId || !kind) {
    throw new ResourceError(
      `${name}: the product is of type "${product.type}", which has no VM images; VmImageVersion works with ` +
        "microsoft-azure-virtualmachines and microsoft-azure-corevm offers.",
      "CPP_IMAGE_OFFER_TYPE",
    );
  }
  const draft = await readDraft(ref, offerTypeId, productId);
  const plan = draft?.definition.plans.find((p) => p.planId === ref.planId);
  const tc = draft && technicalConfiguration(draft.resources, ref.planId);
  if (!draft || !plan || !tc) {
    if (missing === "ignore") return { kind, offerTypeId, found: false };
    throw new ResourceError(
      `${name}: offer ${ref.publisherId}/${ref.offerId} has no plan "${ref.planId}". Add the plan (without ` +
        `${IMAGE_MAP_KEYS[kind]}) to the Offer's definition.plans, and make this VmImageVersion depend on the Offer.`,
      "CPP_PLAN_NOT_FOUND",
    );
  }
  const map = imageMapOf(plan, kind);
  let published: Promise<PublishedImages> | undefined;
  const readPublished = () => (published ??= publishedOnPia(ref, offerTypeId, productId, kind));
  const result = await edit(kind, jsonClone(map), { published: readPublished, maxVersions: PIA_MAX_VERSIONS });
  if ("keep" in result) return { kind, offerTypeId, found: true };
  const next = await deprecateInsteadOfRemoving(map, result.map, readPublished);
  const versions = translatedVersions(
    name,
    draft,
    { offerId: ref.offerId, offerTypeId, planId: ref.planId },
    IMAGE_MAP_KEYS[kind],
    next,
  );
  if (sameVersions(tc, versions)) return { kind, offerTypeId, found: true };
  const { validations: _read, ...kept } = tc;
  const resource: PiaResource = {
    ...kept,
    $schema: pia.schemaUrl(TECHNICAL_CONFIGURATION_TYPES[offerTypeId]),
    vmImageVersions: versions,
  };
  const deadline = Date.now() + settings(ref.account).operationTimeoutSeconds * 1000;
  const job = await pia.configureAndWait([resource], { deadline });
  const after = await readDraft(ref, offerTypeId, productId);
  const afterTc = after && technicalConfiguration(after.resources, ref.planId);
  if (!afterTc || !sameVersions(afterTc, versions)) {
    throw new ResourceError(
      `${name}: after configure job ${job.jobId} plan "${ref.planId}" does not hold the image versions written: another writer changed them in between, and one of the two updates is lost. Run \`pulumi refresh\`, then \`pulumi up\`.`,
      "CPP_LOST_UPDATE",
    );
  }
  return { kind, offerTypeId, found: true };
}

/** A published version the edit took out stays, deprecated: PIA refuses to delete it. */
async function deprecateInsteadOfRemoving(
  before: Record<string, JsonRecord>,
  after: Record<string, JsonRecord>,
  published: () => Promise<PublishedImages>,
): Promise<Record<string, JsonRecord>> {
  const gone = Object.keys(before).filter((v) => after[v] === undefined);
  if (gone.length === 0) return after;
  const live = new Set((await published()).versions);
  const next = { ...after };
  for (const v of gone) if (live.has(v)) next[v] = { ...before[v], showInGui: false };
  return next;
}

/** The plan's `vmImageVersions` for an image map, through the offer translation (one way to write an image). */
function translatedVersions(
  name: string,
  draft: DraftRead,
  { offerId, offerTypeId, planId }: { offerId: string; offerTypeId: PiaOfferTypeId; planId: string },
  imageKey: string,
  map: Record<string, JsonRecord>,
): JsonRecord[] {
  const definition = jsonClone(draft.definition) as OfferDefinition;
  const plan = definition.plans.find((p) => p.planId === planId)!;
  const entries: Record<string, JsonRecord> = {};
  for (const [version, entry] of Object.entries(map)) {
    const open = jsonClone(entry);
    for (const field of CPP_ONLY_ENTRY_FIELDS) delete open[field];
    entries[version] = open;
  }
  (plan as JsonRecord)[imageKey] = entries;
  const { resources, problems } = definitionToPia({
    offerId,
    offerTypeId,
    definition,
    known: knownIdsOf(draft.resources, { product: draft.productId, plans: draft.planIds }),
  });
  const base = itemPath("definition.plans", planId) + "." + imageKey;
  const own = problems.filter((p) => p.path === base || p.path.startsWith(base));
  if (own.length > 0) {
    throw new ResourceError(
      `${name}: ${own.map((p) => `${p.path}: ${p.reason}; ${p.fix}`).join("; ")}`,
      "CPP_API_UNSUPPORTED",
    );
  }
  const tc = technicalConfiguration(resources, planId, draft.planIds[planId]);
  return (tc?.vmImageVersions as JsonRecord[] | undefined) ?? [];
}

/** The plan's images in the preview and live trees (none when never published there). */
async function publishedOnPia(
  ref: PlanRef,
  offerTypeId: PiaOfferTypeId,
  productId: string,
  kind: Parameters<typeof publishedImages>[1],
): Promise<PublishedImages> {
  const plans: Array<JsonRecord | undefined> = [];
  for (const target of ["preview", "live"] as const) {
    const tree = await readDraft(ref, offerTypeId, productId, target);
    plans.push(tree?.definition.plans.find((p) => p.planId === ref.planId));
  }
  return publishedImages(plans, kind);
}

/** The technical configuration of a plan in a list of resources (by plan id, or by the plan's durable id). */
function technicalConfiguration(
  resources: readonly PiaResource[],
  planId: string,
  planDurableId?: string,
): PiaResource | undefined {
  const planIds = planIdsByReference(resources);
  return resources.find((r) => {
    const type = resourceTypeOf(r);
    if (!type?.endsWith("plan-technical-configuration")) return false;
    const key = referenceKey(r.plan);
    return planIds.get(key ?? "") === planId || (planDurableId !== undefined && key === `id:${planDurableId}`);
  });
}

/** Whether a technical configuration holds exactly these image versions (compared as the service keeps them). */
function sameVersions(tc: PiaResource, versions: JsonRecord[]): boolean {
  const key = (v: unknown) => resourceContentKey({ $schema: "", vmImageVersions: v } as PiaResource);
  return key(tc.vmImageVersions ?? []) === key(versions) || jsonEqual(tc.vmImageVersions ?? [], versions);
}

/** check on PIA: the core-VM entry fields a PIA image version has no place for. */
export function piaImageFailures(inputs: Record<string, unknown>): Array<{ property: string; reason: string }> {
  return CPP_ONLY_ENTRY_FIELDS.filter((k) => inputs[k] !== undefined).map((property) => ({
    property,
    reason:
      `a Product Ingestion API image version has no ${property} (it holds a version number, a state and its images; ` +
      'cloudpartner:api is "productIngestion"); remove it',
  }));
}
