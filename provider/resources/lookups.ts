// SPDX-License-Identifier: Apache-2.0
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import type { CloudPartnerClient, OfferSummary } from "../client/index.js";
import { clientFor, resolveFor } from "../handlers/context.js";
import { projectRemoteDefinition, type WireOffer } from "../offer/document.js";
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
  /** Offer version; increases after each go-live. */
  version?: number;
  /** Publishing status, e.g. `neverPublished`, `running`, `succeeded`. */
  status?: string;
  changedTime?: string;
  /** The Draft's ETag, when the service sends one. */
  etag?: string;
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
    displayText: string;
    status: string;
    version: number;
    changedTime?: string;
  }>;
}

// One client per account and settings in the program's process, like the provider's.
const clients = new Map<string, CloudPartnerClient>();

/** The client of an account, from the program's stack config (`cloudpartner:*`). */
function lookupClient(account: string | undefined): CloudPartnerClient {
  const config = new pulumi.Config("cloudpartner");
  // Keys arrive as `cloudpartner:<key>` (the provider's form); Config wants them bare.
  const settings = resolveFor((key) => config.get(key.slice("cloudpartner:".length)), account);
  const key = createHash("sha256").update(JSON.stringify(settings)).digest("hex");
  let c = clients.get(key);
  if (!c) {
    c = clientFor(settings);
    clients.set(key, c);
  }
  return c;
}

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
  const client = lookupClient(args.account);
  const got = await client.getOffer(args.publisherId, args.offerId, {
    slot: SLOT_NAMES[slot],
    includeAllPricing: true,
  });
  const remote = got.value as WireOffer;
  return {
    publisherId: args.publisherId,
    offerId: args.offerId,
    offerTypeId: String(got.value.offerTypeId),
    slot,
    definition: projectRemoteDefinition(remote),
    ...(typeof got.value.version === "number" ? { version: got.value.version } : {}),
    ...(typeof got.value.status === "string" ? { status: got.value.status } : {}),
    ...(typeof got.value.changedTime === "string" ? { changedTime: got.value.changedTime } : {}),
    ...(got.etag ? { etag: got.etag } : {}),
  };
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
  const list = await lookupClient(args.account).listOffers(args.publisherId);
  return { publisherId: args.publisherId, offers: list.map(summary) };
}

/** {@link listOffers} taking inputs and returning an Output. */
export function listOffersOutput(args: {
  publisherId: pulumi.Input<string>;
  account?: pulumi.Input<string>;
}): pulumi.Output<ListOffersResult> {
  return pulumi.output(args).apply((a) => listOffers(a as ListOffersArgs));
}

function summary(o: OfferSummary): ListOffersResult["offers"][number] {
  return {
    offerId: o.id,
    offerTypeId: o.offerTypeId,
    displayText: o.definition?.displayText ?? "",
    status: o.status,
    version: o.version,
    ...(o.changedTime ? { changedTime: o.changedTime } : {}),
  };
}
