// SPDX-License-Identifier: Apache-2.0
import * as pulumi from "@pulumi/pulumi";
import type { OfferDefinition } from "../offer/types.js";

/** The slot of an offer to read: the Draft, what is in preview, or what is live. */
export type OfferSlot = "draft" | "preview" | "production";

/** Arguments of {@link getOffer}. */
export interface GetOfferArgs {
  publisherId: string;
  offerId: string;
  /** Which slot (default `draft`); `preview` and `production` exist once published there. */
  slot?: OfferSlot;
  /** Credential set of `cloudpartner:accounts` (default: the stack's own credentials). */
  account?: string;
}

/** {@link GetOfferArgs} whose values may be outputs of other resources. */
export interface GetOfferOutputArgs {
  publisherId: pulumi.Input<string>;
  offerId: pulumi.Input<string>;
  slot?: pulumi.Input<OfferSlot>;
  account?: pulumi.Input<string>;
}

/** An offer as read by {@link getOffer}. */
export interface GetOfferResult {
  publisherId: string;
  offerId: string;
  offerTypeId: string;
  slot: OfferSlot;
  /** The slot's definition, secret fields omitted (the service never returns them). */
  definition: OfferDefinition;
  /** Offer version; increases after each go-live (the Cloud Partner Portal API only). */
  version?: number;
  /** Publishing status, e.g. `neverPublished`, `running`, `succeeded` (the Cloud Partner Portal API only). */
  status?: string;
  changedTime?: string;
  /** The Draft's ETag, when the service sends one. */
  etag?: string;
  /** The product's durable id in Partner Center (the Product Ingestion API only). */
  productId?: string;
}

/** Arguments of {@link listOffers}. */
export interface ListOffersArgs {
  publisherId: string;
  account?: string;
}

/** The offers of a publisher, as {@link listOffers} returns them. */
export interface ListOffersResult {
  publisherId: string;
  offers: Array<{
    offerId: string;
    offerTypeId: string;
    /** On the Product Ingestion API: the product's name in Partner Center. */
    displayText: string;
    /** Publishing status (the Cloud Partner Portal API only). */
    status?: string;
    /** Offer version (the Cloud Partner Portal API only). */
    version?: number;
    changedTime?: string;
  }>;
}

/** The program's stack config (`cloudpartner:*`) as the provider's getter reads it. */
function programConfig(): (key: string) => string | undefined {
  const config = new pulumi.Config("cloudpartner");
  // Keys arrive as `cloudpartner:<key>` (the provider's form); Config wants them bare.
  return (key) => config.get(key.slice("cloudpartner:".length));
}

/** The back end, loaded only when a lookup runs (a program without lookups loads no client). */
const reads = () => import("../handlers/offer-reads.js");

const SLOT_NAMES = { draft: "Draft", preview: "Preview", production: "Production" } as const;

/**
 * Reads an offer from the program (at preview and at update), without making it part of the
 * stack: for a reference to an offer another stack or team manages. Credentials come from the
 * program's stack config (`cloudpartner:*`, `cloudpartner:accounts`) with the same environment
 * fallbacks as the resources (`AZURE_TENANT_ID`, `AZURE_CLIENT_ID`, `AZURE_CLIENT_SECRET`,
 * `AZURE_FEDERATED_TOKEN_FILE`, …).
 *
 * @example
 * const existing = await getOffer({ publisherId: "contoso", offerId: "my-offer", slot: "production" });
 */
export async function getOffer(args: GetOfferArgs): Promise<GetOfferResult> {
  const slot = args.slot ?? "draft";
  if (!(slot in SLOT_NAMES)) {
    throw new Error(`getOffer: slot must be "draft", "preview" or "production"; got ${JSON.stringify(slot)}`);
  }
  const read = await (await reads()).readOfferSlot(programConfig(), { ...args, slot });
  return { publisherId: args.publisherId, offerId: args.offerId, slot, ...read };
}

/** {@link getOffer} taking inputs and returning an Output, for use with other resources' outputs. */
export function getOfferOutput(args: GetOfferOutputArgs): pulumi.Output<GetOfferResult> {
  return pulumi.output(args).apply((a) => getOffer(a as GetOfferArgs));
}

/**
 * Lists a publisher's offers from the program (ids, types, status, version), with the same
 * credentials as {@link getOffer}.
 */
export async function listOffers(args: ListOffersArgs): Promise<ListOffersResult> {
  const offers = await (await reads()).listPublisherOffers(programConfig(), args);
  return { publisherId: args.publisherId, offers };
}

/** {@link listOffers} taking inputs and returning an Output. */
export function listOffersOutput(args: {
  publisherId: pulumi.Input<string>;
  account?: pulumi.Input<string>;
}): pulumi.Output<ListOffersResult> {
  return pulumi.output(args).apply((a) => listOffers(a as ListOffersArgs));
}
