// SPDX-License-Identifier: Apache-2.0
/**
 * Types of the translation between the package's CPP offer definition and Product Ingestion API
 * resources (docs/internals/api-notes.md §P4).
 */
import type { OfferDefinition } from "../offer/types.js";
import type { PiaResource } from "../pia/models.js";

/** The two offer types the translation knows: publisher VM offers and core-VM offers (§5.6). */
export type PiaOfferTypeId = "microsoft-azure-virtualmachines" | "microsoft-azure-corevm";

/**
 * Something of the definition (or of a resource tree) the other side cannot hold: where it is,
 * why it cannot be translated, and what to do about it. Nothing is dropped without one.
 */
export interface TranslationProblem {
  /**
   * Where: a path into the definition, e.g.
   * `definition.offer.microsoft-azure-marketplace.offerMarketingUrlIdentifier` or
   * `definition.plans[payg].virtualMachinePricing.spreadSheetPricing` (plans by plan id, array
   * items and image versions in brackets; a plan without a usable id by position,
   * `definition.plans[#2]`); for a resource tree, the resource's id and field.
   */
  path: string;
  /** Why the other API cannot take it. */
  reason: string;
  /** What to do instead. */
  fix: string;
}

/** Durable ids already allocated by the service, by which existing resources are referenced. */
export interface KnownPiaIds {
  /** The product's durable id, `product/<P>`. */
  product?: string;
  /** Plan durable ids (`plan/<P>/<L>`) by plan id. */
  plans?: Record<string, string>;
  /**
   * The en-us listing's durable id (`listing/<P>/public/main/default/en-us`), for listing assets
   * posted without their listing; otherwise they reference the listing of the same request.
   */
  listing?: string;
}

/** What {@link definitionToPia} translates. */
export interface DefinitionToPiaInput {
  /** The CPP offer id: the product's external id. */
  offerId: string;
  offerTypeId: PiaOfferTypeId;
  /** The CPP definition `{ displayText, offer, plans }`, with secrets merged in where they are sent. */
  definition: OfferDefinition | Record<string, unknown>;
  /** Ids of the product and plans that exist already. */
  known?: KnownPiaIds;
}

/** What {@link definitionToPia} gives back. */
export interface DefinitionToPiaResult {
  /** The resources of a configure request, in an order where every reference points backwards. */
  resources: PiaResource[];
  /** Every part of the definition PIA cannot hold. */
  problems: TranslationProblem[];
  /** Paths of read-only keys the service sets (not problems; nothing to write). */
  ignored: string[];
}

/** The ids a resource tree gives: the product's and each plan's, by plan id. */
export interface PiaOfferIds {
  product?: string;
  plans: Record<string, string>;
}

/** What {@link piaToDefinition} gives back. */
export interface PiaToDefinitionResult {
  /** The CPP-shaped definition, in the normal form of {@link supportedDefinition}. */
  definition: OfferDefinition;
  ids: PiaOfferIds;
  /** What the tree holds that a CPP definition cannot (a second image generation, screenshots, …). */
  problems: TranslationProblem[];
}

/** Re-exported for the module's users. */
export type { PiaResource };
