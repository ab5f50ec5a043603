// SPDX-License-Identifier: Apache-2.0
/**
 * Reading offers outside a deployment, on the API resolved settings choose (`api`): the
 * program-side lookups (`getOffer`, `listOffers`) and `cloudpartner-export`. The clients are
 * built as the resources build theirs (handlers/context.ts), so a lookup or an export reaches
 * an API exactly as an `Offer` of the same settings does. resources/lookups.ts loads this module
 * with a dynamic import only when a lookup runs: a program that looks nothing up loads no client.
 */
import { createHash } from "node:crypto";
import { CloudPartnerError, isCloudPartnerError, type OfferSummary } from "../client/index.js";
import { clientFor, piaClientFor, resolveFor } from "../handlers/context.js";
import { offerTypeOfProduct } from "../handlers/pia-draft.js";
import type { ProviderSettings } from "../handlers/settings.js";
import { projectRemoteDefinition, type WireOffer } from "../offer/document.js";
import { piaToDefinition, PRODUCT_TYPES } from "../pia-offer/index.js";
import type { PiaClient } from "../pia/client.js";
import type { PiaTarget } from "../pia/models.js";
import type { GetOfferResult, ListOffersResult, OfferSlot } from "../resources/lookups.js";

// The shapes the lookups return (documented there, for users), without the ids the caller adds.
export type { OfferSlot };

/** One slot of an offer as read: {@link GetOfferResult} without the ids and slot the caller has. */
export type SlotRead = Omit<GetOfferResult, "publisherId" | "offerId" | "slot">;

/** One offer of a publisher's list. */
export type OfferListItem = ListOffersResult["offers"][number];

/** Reads of one set of settings, on the API they choose. */
export interface OfferReader {
  readonly api: ProviderSettings["api"];
  /**
   * One slot of an offer. On PIA the publisher id is not sent (the principal's Partner Center
   * account decides what it sees); it names the offer in errors.
   */
  getOffer(publisherId: string, offerId: string, slot: OfferSlot): Promise<SlotRead>;
  /** A publisher's offers; on PIA the VM and core-VM products the principal's account holds. */
  listOffers(publisherId: string): Promise<OfferListItem[]>;
}

/** Settings of an account (or the default credentials) from a config getter and the environment. */
export function settingsFor(get: (key: string) => string | undefined, account?: string): ProviderSettings {
  return resolveFor(get, account);
}

// One reader (and so one client, with its token) per settings in the process, as the provider
// keeps one client per account; keyed by a digest so that the map holds no copy of a secret.
const readers = new Map<string, OfferReader>();

/** The reader of resolved settings (built once per settings in the process). */
export function readerFor(settings: ProviderSettings): OfferReader {
  const key = createHash("sha256").update(JSON.stringify(settings)).digest("hex");
  let reader = readers.get(key);
  if (!reader) {
    reader = settings.api === "productIngestion" ? piaReader(piaClientFor(settings)) : cppReader(settings);
    readers.set(key, reader);
  }
  return reader;
}

const CPP_SLOTS = { draft: "Draft", preview: "Preview", production: "Production" } as const;

function cppReader(settings: ProviderSettings): OfferReader {
  const client = clientFor(settings);
  return {
    api: "cpp",
    async getOffer(publisherId, offerId, slot) {
      const got = await client.getOffer(publisherId, offerId, { slot: CPP_SLOTS[slot], includeAllPricing: true });
      const v = got.value;
      return {
        offerTypeId: String(v.offerTypeId),
        definition: projectRemoteDefinition(v as WireOffer),
        ...(typeof v.version === "number" ? { version: v.version } : {}),
        ...(typeof v.status === "string" ? { status: v.status } : {}),
        ...(typeof v.changedTime === "string" ? { changedTime: v.changedTime } : {}),
        ...(got.etag ? { etag: got.etag } : {}),
      };
    },
    async listOffers(publisherId) {
      return (await client.listOffers(publisherId)).map(cppListItem);
    },
  };
}

function cppListItem(o: OfferSummary): OfferListItem {
  return {
    offerId: o.id,
    offerTypeId: o.offerTypeId,
    displayText: o.definition?.displayText ?? "",
    status: o.status,
    version: o.version,
    ...(o.changedTime ? { changedTime: o.changedTime } : {}),
  };
}

const PIA_TARGETS: Record<OfferSlot, PiaTarget> = { draft: "draft", preview: "preview", production: "live" };

function piaReader(pia: PiaClient): OfferReader {
  const productTypes = new Set(Object.values(PRODUCT_TYPES));
  return {
    api: "productIngestion",
    async getOffer(publisherId, offerId, slot) {
      const where = `offer ${publisherId}/${offerId}`;
      const product = await pia.findProduct(offerId);
      if (!product?.id) throw notFound(`${where} has no product in Partner Center (or the principal cannot see it)`);
      const offerTypeId = offerTypeOfProduct(product.type);
      if (!offerTypeId) {
        throw new CloudPartnerError(
          "CPP_API_UNSUPPORTED",
          `${where} is a Partner Center product of type "${product.type}", which the Product Ingestion API ` +
            "back end does not translate",
          { fix: 'read it with cloudpartner:api "cpp"' },
        );
      }
      let tree;
      try {
        tree = await pia.getResourceTree(product.id, { target: PIA_TARGETS[slot] });
      } catch (e) {
        // A product never published to preview (or live) has no tree there: say so in the
        // offer's terms rather than with the tree's URL.
        if (!isCloudPartnerError(e, "CPP_NOT_FOUND")) throw e;
        const published = `published to ${PIA_TARGETS[slot]}`;
        throw notFound(
          slot === "draft"
            ? `${where} has no draft in Partner Center (the product ${product.id} was deleted?)`
            : `${where} has no ${slot} version in Partner Center: it has not been ${published}`,
          e,
        );
      }
      const read = piaToDefinition(tree, { offerTypeId });
      return { offerTypeId, definition: read.definition, productId: read.ids.product ?? product.id };
    },
    async listOffers() {
      // Filtered here rather than with `type=` once per product type: one paged list.
      return (await pia.listProducts())
        .filter((p) => productTypes.has(p.type) && typeof p.identity?.externalId === "string")
        .map((p) => ({
          offerId: p.identity.externalId,
          offerTypeId: offerTypeOfProduct(p.type)!,
          displayText: p.alias ?? "",
        }));
    },
  };
}

function notFound(message: string, cause?: unknown): CloudPartnerError {
  return new CloudPartnerError("CPP_NOT_FOUND", message, {
    fix: "check the publisher and offer ids, and that the principal's Partner Center account holds the product",
    ...(cause !== undefined ? { cause, statusCode: 404 } : {}),
  });
}
