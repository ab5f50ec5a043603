// SPDX-License-Identifier: Apache-2.0
/**
 * What every resource on the Product Ingestion API shares: the per-product write lock and the
 * draft read (docs/internals/api-notes.md §P6).
 */
import { isCloudPartnerError } from "../client/index.js";
import type { OfferDefinition } from "../offer/types.js";
import { piaToDefinition, PRODUCT_TYPES, type PiaOfferTypeId, type TranslationProblem } from "../pia-offer/index.js";
import type { PiaResource, PiaTarget } from "../pia/models.js";
import { KeyedSerial } from "../util/serial.js";
import { piaClient } from "./context.js";

const writes = new KeyedSerial();

/**
 * Runs `task` after every write this process started earlier on the same product (an account's
 * offer id): PIA cannot tell two writers apart, so one process never races itself.
 */
export function productLock<T>(account: string | undefined, offerId: string, task: () => Promise<T>): Promise<T> {
  return writes.run(`${account ?? ""}\n${offerId}`, task);
}

/** True for the offer types the Product Ingestion API back end translates. */
export function isPiaOfferType(offerTypeId: unknown): offerTypeId is PiaOfferTypeId {
  return typeof offerTypeId === "string" && Object.hasOwn(PRODUCT_TYPES, offerTypeId);
}

/** The offer type of a product's `type`, or undefined for one the back end does not translate. */
export function offerTypeOfProduct(type: string | undefined): PiaOfferTypeId | undefined {
  return (Object.entries(PRODUCT_TYPES) as Array<[PiaOfferTypeId, string]>).find(([, t]) => t === type)?.[0];
}

/** What a resource tree read through PIA says of an offer. */
export interface DraftRead {
  resources: readonly PiaResource[];
  /** The definition in the normal form, with the SAS signatures in place. */
  definition: OfferDefinition;
  productId: string;
  planIds: Record<string, string>;
  problems: TranslationProblem[];
}

/**
 * Reads a resource tree (the draft, or `target`) by product id when known, else by the offer
 * id; undefined when there is no product.
 */
export async function readDraft(
  ref: { offerId: string; account?: string },
  offerTypeId: PiaOfferTypeId,
  productId?: string,
  target: PiaTarget = "draft",
): Promise<DraftRead | undefined> {
  const pia = piaClient(ref.account);
  let product = productId;
  if (!product) {
    product = (await pia.findProduct(ref.offerId))?.id;
    if (!product) return undefined;
  }
  let tree;
  try {
    tree = await pia.getResourceTree(product, { target });
  } catch (e) {
    if (isCloudPartnerError(e, "CPP_NOT_FOUND")) return undefined;
    throw e;
  }
  const read = piaToDefinition(tree, { offerTypeId });
  return {
    resources: tree.resources,
    definition: read.definition,
    productId: read.ids.product ?? product,
    planIds: read.ids.plans,
    problems: read.problems,
  };
}
