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

/**
 * An offer as read by {@link getOffer}. Which fields are present depends on the API the
 * program's settings choose (`cloudpartner:api`, or the account's `api`).
 */
export interface GetOfferResult {
  publisherId: string;
  offerId: string;
  offerTypeId: string;
  slot: OfferSlot;
  /**
   * The slot's definition, secret fields omitted (the service never returns them). On the
   * Product Ingestion API: the definition the resources compare on that API (its normal form),
   * without what that API cannot hold.
   */
  definition: OfferDefinition;
  /**
   * Offer version; increases after each go-live. The Cloud Partner Portal API only: absent on the
   * Product Ingestion API, which numbers no versions.
   */
  version?: number;
  /**
   * Publishing status, e.g. `neverPublished`, `running`, `succeeded`. The Cloud Partner Portal API
   * only: absent on the Product Ingestion API, whose resource trees carry no status.
   */
  status?: string;
  /** When the slot last changed. The Cloud Partner Portal API only (absent on the Product Ingestion API). */
  changedTime?: string;
  /**
   * The Draft's ETag, when the service sends one. The Cloud Partner Portal API only: the Product
   * Ingestion API has no ETags.
   */
  etag?: string;
  /**
   * The product's durable id in Partner Center (`product/<guid>`), the one an `Offer` on that API
   * records as `productId`. The Product Ingestion API only.
   */
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
    /** The offer's display text; on the Product Ingestion API the product's alias (its name in Partner Center). */
    displayText: string;
    /** Publishing status. The Cloud Partner Portal API only: absent on the Product Ingestion API. */
    status?: string;
    /** Offer version. The Cloud Partner Portal API only: absent on the Product Ingestion API. */
    version?: number;
    /** When the offer last changed. The Cloud Partner Portal API only. */
    changedTime?: string;
  }>;
}

/** The program's stack config (`cloudpartner:*`) as the provider's getter reads it. */
function programConfig(): (key: string) => string | undefined {
  const config = new pulumi.Config("cloudpartner");
  // Keys arrive as `cloudpartner:<key>` (the provider's form); Config wants them bare.
  return (key) => config.get(key.slice("cloudpartner:".length));
}

/**
 * The back end (the resources' clients and settings), loaded only when a lookup runs: a program
 * that looks nothing up loads neither a client nor the handlers' modules.
 */
const backend = () => import("../backend/offer-reader.js");

/** The reader of an account's settings, from the program's stack config. */
async function readerOf(account: string | undefined) {
  const { readerFor, settingsFor } = await backend();
  return readerFor(settingsFor(programConfig(), account));
}

const SLOTS: readonly OfferSlot[] = ["draft", "preview", "production"];

/**
 * Reads an offer from the program (at preview and at update), without making it part of the
 * stack: for a reference to an offer another stack or team manages. Credentials come from the
 * program's stack config (`cloudpartner:*`, `cloudpartner:accounts`) with the same environment
 * fallbacks as the resources (`AZURE_TENANT_ID`, `AZURE_CLIENT_ID`, `AZURE_CLIENT_SECRET`,
 * `AZURE_FEDERATED_TOKEN_FILE`, …), and through the API they choose: with `cloudpartner:api`
 * `productIngestion` (or an account whose `api` is), the product whose external id is `offerId`
 * is read through the Product Ingestion API (its draft, preview or live resource tree); the
 * publisher id is then only echoed, as that API lists the products of the principal's account.
 * A slot the offer has not been published to is a `CPP_NOT_FOUND` error, on both APIs.
 *
 * @example
 * const existing = await getOffer({ publisherId: "contoso", offerId: "my-offer", slot: "production" });
 */
export async function getOffer(args: GetOfferArgs): Promise<GetOfferResult> {
  const slot = args.slot ?? "draft";
  if (!SLOTS.includes(slot)) {
    throw new Error(`getOffer: slot must be "draft", "preview" or "production"; got ${JSON.stringify(slot)}`);
  }
  const read = await (await readerOf(args.account)).getOffer(args.publisherId, args.offerId, slot);
  return { publisherId: args.publisherId, offerId: args.offerId, slot, ...read };
}

/** {@link getOffer} taking inputs and returning an Output, for use with other resources' outputs. */
export function getOfferOutput(args: GetOfferOutputArgs): pulumi.Output<GetOfferResult> {
  return pulumi.output(args).apply((a) => getOffer(a as GetOfferArgs));
}

/**
 * Lists a publisher's offers from the program (ids, types, status, version), with the same
 * credentials and API as {@link getOffer}. On the Product Ingestion API it lists the VM and
 * core-VM products of the principal's Partner Center account, without status or version.
 */
export async function listOffers(args: ListOffersArgs): Promise<ListOffersResult> {
  const offers = await (await readerOf(args.account)).listOffers(args.publisherId);
  return { publisherId: args.publisherId, offers };
}

/** {@link listOffers} taking inputs and returning an Output. */
export function listOffersOutput(args: {
  publisherId: pulumi.Input<string>;
  account?: pulumi.Input<string>;
}): pulumi.Output<ListOffersResult> {
  return pulumi.output(args).apply((a) => listOffers(a as ListOffersArgs));
}
