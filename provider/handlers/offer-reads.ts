// SPDX-License-Identifier: Apache-2.0
/**
 * The reads behind the program-side lookups (`getOffer`, `listOffers`), on the API the settings
 * choose: the handlers' back end seen from the program. resources/lookups.ts loads this module
 * only when a lookup runs, so a program that looks nothing up loads no client.
 */
import { createHash } from "node:crypto";
import type { CloudPartnerClient, OfferSummary } from "../client/index.js";
import { CloudPartnerError } from "../client/errors.js";
import { projectRemoteDefinition, type WireOffer } from "../offer/document.js";
import type { OfferDefinition } from "../offer/types.js";
import { piaToDefinition, PRODUCT_TYPES } from "../pia-offer/index.js";
import type { PiaClient } from "../pia/client.js";
import type { PiaTarget } from "../pia/models.js";
import { clientFor, piaClientFor, resolveFor } from "./context.js";
import { offerTypeOfProduct } from "./pia-draft.js";
import type { ProviderSettings } from "./settings.js";

/** A slot of an offer: the Draft, what is in preview, or what is live. */
export type Slot = "draft" | "preview" | "production";

/** One slot of an offer as read. */
export interface SlotRead {
  offerTypeId: string;
  definition: OfferDefinition;
  version?: number;
  status?: string;
  changedTime?: string;
  etag?: string;
  productId?: string;
}

/** One offer of a publisher's list. */
export interface OfferListItem {
  offerId: string;
  offerTypeId: string;
  displayText: string;
  status?: string;
  version?: number;
  changedTime?: string;
}

const CPP_SLOTS = { draft: "Draft", preview: "Preview", production: "Production" } as const;
const PIA_TARGETS: Record<Slot, PiaTarget> = { draft: "draft", preview: "preview", production: "live" };

// One client per API and settings in the program's process, as the provider keeps one per account.
const clients = new Map<string, CloudPartnerClient | PiaClient>();

function cached<T extends CloudPartnerClient | PiaClient>(s: ProviderSettings, make: () => T): T {
  const key = createHash("sha256").update(JSON.stringify(s)).digest("hex");
  let c = clients.get(key) as T | undefined;
  if (!c) {
    c = make();
    clients.set(key, c);
  }
  return c;
}

/** Reads one slot of an offer with the settings of `account` from the program's config getter. */
export async function readOfferSlot(
  get: (key: string) => string | undefined,
  args: { publisherId: string; offerId: string; slot: Slot; account?: string },
): Promise<SlotRead> {
  const s = resolveFor(get, args.account);
  if (s.api === "productIngestion") {
    const pia = cached(s, () => piaClientFor(s));
    const product = await pia.findProduct(args.offerId);
    if (!product?.id) throw notFound(args);
    const offerTypeId = offerTypeOfProduct(product.type);
    if (!offerTypeId) {
      throw new CloudPartnerError(
        "CPP_INVALID_ID",
        `offer ${args.publisherId}/${args.offerId} is a Partner Center product of type "${product.type}", which the Product Ingestion API back end does not read`,
        { fix: 'read it with cloudpartner:api "cpp"' },
      );
    }
    const tree = await pia.getResourceTree(product.id, { target: PIA_TARGETS[args.slot] });
    return { offerTypeId, definition: piaToDefinition(tree, { offerTypeId }).definition, productId: product.id };
  }
  const got = await cached(s, () => clientFor(s)).getOffer(args.publisherId, args.offerId, {
    slot: CPP_SLOTS[args.slot],
    includeAllPricing: true,
  });
  const v = got.value;
  return {
    offerTypeId: String(v.offerTypeId),
    definition: projectRemoteDefinition(v as WireOffer),
    ...(typeof v.version === "number" ? { version: v.version } : {}),
    ...(typeof v.status === "string" ? { status: v.status } : {}),
    ...(typeof v.changedTime === "string" ? { changedTime: v.changedTime } : {}),
    ...(got.etag ? { etag: got.etag } : {}),
  };
}

/** Lists a publisher's offers (on PIA: the account's VM and core-VM products). */
export async function listPublisherOffers(
  get: (key: string) => string | undefined,
  args: { publisherId: string; account?: string },
): Promise<OfferListItem[]> {
  const s = resolveFor(get, args.account);
  if (s.api === "productIngestion") {
    const products = await cached(s, () => piaClientFor(s)).listProducts();
    const types = new Set(Object.values(PRODUCT_TYPES));
    return products
      .filter((p) => types.has(p.type) && typeof p.identity?.externalId === "string")
      .map((p) => ({
        offerId: p.identity.externalId!,
        offerTypeId: offerTypeOfProduct(p.type)!,
        displayText: p.alias,
      }));
  }
  const list = await cached(s, () => clientFor(s)).listOffers(args.publisherId);
  return list.map(summary);
}

function summary(o: OfferSummary): OfferListItem {
  return {
    offerId: o.id,
    offerTypeId: o.offerTypeId,
    displayText: o.definition?.displayText ?? "",
    status: o.status,
    version: o.version,
    ...(o.changedTime ? { changedTime: o.changedTime } : {}),
  };
}

function notFound(args: { publisherId: string; offerId: string }): CloudPartnerError {
  return new CloudPartnerError(
    "CPP_NOT_FOUND",
    `offer ${args.publisherId}/${args.offerId} has no product in Partner Center (or the principal cannot see it)`,
    { fix: "check the publisher and offer ids" },
  );
}
