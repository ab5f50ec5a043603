// SPDX-License-Identifier: Apache-2.0
import { MARKET_CURRENCY } from "../schema/markets.js";
import { isRecord } from "../util/json.js";
import type { FreeTrialMonths, MarketPrice, VmPricingSpec, WireVmPricing } from "./spec.js";

/**
 * Maps typed pricing to the wire object stored in a plan's `virtualMachinePricing`.
 * Pure; assumes the spec passed validation (see validation/pricing.ts).
 */
export function toWirePricing(spec: VmPricingSpec): WireVmPricing {
  const trial = spec.kind === "byol" ? 0 : (spec.freeTrialMonths ?? 0);
  switch (spec.kind) {
    case "byol":
      return { isByol: true, freeTrialDurationInMonths: 0 };
    case "perCore":
      return {
        isByol: false,
        freeTrialDurationInMonths: trial,
        coreMultiplier: { currency: "USD", single: spec.pricePerCoreUsd },
      };
    case "perCoreSize":
      return {
        isByol: false,
        freeTrialDurationInMonths: trial,
        coreMultiplier: { currency: "USD", individually: sortKeys(spec.pricesUsd) },
      };
    case "spreadsheet":
      return { isByol: false, freeTrialDurationInMonths: trial, spreadSheetPricing: { uri: spec.uri } };
    case "perMarket": {
      const regionPrices: NonNullable<WireVmPricing["regionPrices"]> = {};
      for (const market of Object.keys(spec.markets).sort()) {
        const price = spec.markets[market];
        regionPrices[market] = {
          currency: MARKET_CURRENCY[market] ?? "USD",
          ...(price.pricePerCore !== undefined ? { single: price.pricePerCore } : {}),
          ...(price.pricesBySize !== undefined ? { individually: sortKeys(price.pricesBySize) } : {}),
        };
      }
      return { isByol: false, freeTrialDurationInMonths: trial, regionPrices };
    }
  }
}

/**
 * Reads typed pricing back from a plan's wire pricing, or `undefined` when the wire object has
 * a shape this package does not model (then a refresh shows it as drift and `up` rewrites it).
 * Spreadsheet wins over region prices because the service adds the evaluated per-market prices
 * to a spreadsheet-priced plan (docs/internals/api-notes.md §6.4).
 */
export function fromWirePricing(wire: unknown): VmPricingSpec | undefined {
  if (!isRecord(wire) || typeof wire.isByol !== "boolean") return undefined;
  if (wire.isByol) return { kind: "byol" };
  const trial = toTrial(wire.freeTrialDurationInMonths);
  const withTrial = (spec: VmPricingSpec): VmPricingSpec =>
    trial ? ({ ...spec, freeTrialMonths: trial } as VmPricingSpec) : spec;
  const sheet = wire.spreadSheetPricing;
  if (isRecord(sheet) && typeof sheet.uri === "string") return withTrial({ kind: "spreadsheet", uri: sheet.uri });
  const regions = wire.regionPrices;
  if (isRecord(regions) && Object.keys(regions).length > 0) {
    const markets: Record<string, MarketPrice> = {};
    for (const [market, value] of Object.entries(regions)) {
      if (!isRecord(value)) return undefined;
      const price: MarketPrice = {};
      if (typeof value.single === "number") price.pricePerCore = value.single;
      if (isRecord(value.individually)) price.pricesBySize = { ...(value.individually as Record<string, number>) };
      markets[market] = price;
    }
    return withTrial({ kind: "perMarket", markets });
  }
  const cm = wire.coreMultiplier;
  if (isRecord(cm) && typeof cm.single === "number") return withTrial({ kind: "perCore", pricePerCoreUsd: cm.single });
  if (isRecord(cm) && isRecord(cm.individually)) {
    return withTrial({ kind: "perCoreSize", pricesUsd: { ...(cm.individually as Record<string, number>) } });
  }
  return undefined;
}

function toTrial(value: unknown): FreeTrialMonths | undefined {
  return value === 1 || value === 3 ? value : undefined;
}

function sortKeys<T>(record: Partial<Record<string, T>>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key of Object.keys(record).sort()) out[key] = record[key] as T;
  return out;
}
