// SPDX-License-Identifier: Apache-2.0
import type { CoreSizeKey } from "../schema/core-sizes.js";

/** Free-trial length of a pay-as-you-go plan: none, 30 days or 90 days. */
export type FreeTrialMonths = 0 | 1 | 3;

/** Prices of one market in that market's currency. */
export interface MarketPrice {
  /** One price per core, in the market's currency. Exclusive with `pricesBySize`. */
  pricePerCore?: number;
  /** One price per core size (keys of §6.3), in the market's currency. */
  pricesBySize?: Partial<Record<CoreSizeKey, number>>;
}

/**
 * The pricing of one VM plan, as a typed union mapped to `virtualMachinePricing`.
 * - `byol`: bring your own licence; Microsoft bills only the infrastructure.
 * - `perCore`: one USD price per core; other sizes and markets are derived by the service.
 * - `perCoreSize`: one USD price per core size (the 25 documented keys).
 * - `perMarket`: explicit prices per market in local currency (`regionPrices`).
 * - `spreadsheet`: the service downloads a pricing workbook from an https URL.
 */
export type VmPricingSpec =
  | { kind: "byol" }
  | { kind: "perCore"; pricePerCoreUsd: number; freeTrialMonths?: FreeTrialMonths }
  | { kind: "perCoreSize"; pricesUsd: Partial<Record<CoreSizeKey, number>>; freeTrialMonths?: FreeTrialMonths }
  | { kind: "perMarket"; markets: Record<string, MarketPrice>; freeTrialMonths?: FreeTrialMonths }
  | { kind: "spreadsheet"; uri: string; freeTrialMonths?: FreeTrialMonths };

/** The pricing kinds, for messages and validation. */
export const PRICING_KINDS = ["byol", "perCore", "perCoreSize", "perMarket", "spreadsheet"] as const;

/** Wire form of plan pricing. */
export interface WireVmPricing {
  isByol: boolean;
  freeTrialDurationInMonths?: number;
  coreMultiplier?: { currency: string; single?: number; individually?: Record<string, number> };
  spreadSheetPricing?: { uri: string };
  regionPrices?: Record<string, { currency: string; single?: number; individually?: Record<string, number> }>;
  [key: string]: unknown;
}
