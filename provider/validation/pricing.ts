// SPDX-License-Identifier: Apache-2.0
import { CORE_SIZE_KEYS, isCoreSizeKey } from "../schema/core-sizes.js";
import { MARKET_CURRENCY } from "../schema/markets.js";
import { PRICING_KINDS } from "../pricing/spec.js";
import { isRecord, pathKey } from "../util/json.js";
import { containsUnknown } from "../util/unknown.js";
import { describe, Failures, isHttpsUrl, type InputFailure } from "./failure.js";

const KEYS_BY_KIND: Record<string, readonly string[]> = {
  byol: ["kind"],
  perCore: ["kind", "pricePerCoreUsd", "freeTrialMonths"],
  perCoreSize: ["kind", "pricesUsd", "freeTrialMonths"],
  perMarket: ["kind", "markets", "freeTrialMonths"],
  spreadsheet: ["kind", "uri", "freeTrialMonths"],
};

/**
 * Validates a typed VM pricing value (`VmPricing.pricing`) without any I/O. Values unknown
 * during preview are skipped. Rules that depend on the offer's state (a live plan's billing
 * model and price increases, docs/internals/api-notes.md §6.6) are checked when the offer is read at apply time.
 */
export function validatePricing(pricing: unknown, path = "pricing"): InputFailure[] {
  const f = new Failures();
  if (containsUnknown(pricing)) return f.list;
  if (!isRecord(pricing)) {
    f.add(
      path,
      `${path} must be an object such as { kind: "byol" } or { kind: "perCore", pricePerCoreUsd: 0.05 }; got ${describe(pricing)}`,
    );
    return f.list;
  }
  const kind = pricing.kind;
  if (typeof kind !== "string" || !(PRICING_KINDS as readonly string[]).includes(kind)) {
    f.add(`${path}.kind`, `${path}.kind must be one of ${PRICING_KINDS.join(", ")}; got ${describe(kind)}`);
    return f.list;
  }
  for (const key of Object.keys(pricing)) {
    if (pricing[key] !== undefined && !KEYS_BY_KIND[kind].includes(key)) {
      const hint =
        kind === "byol" && key === "freeTrialMonths"
          ? "bring-your-own-licence plans have no free trial (docs/internals/api-notes.md §6.1); remove it or use a pay-as-you-go kind"
          : `allowed keys for kind "${kind}": ${KEYS_BY_KIND[kind].join(", ")}`;
      f.add(pathKey(path, key), `${pathKey(path, key)} is not valid here: ${hint}`);
    }
  }
  const trial = pricing.freeTrialMonths;
  if (trial !== undefined && trial !== 0 && trial !== 1 && trial !== 3) {
    f.add(
      `${path}.freeTrialMonths`,
      `${path}.freeTrialMonths must be 0 (none), 1 (30 days) or 3 (90 days); got ${describe(trial)}`,
    );
  }
  switch (kind) {
    case "perCore":
      checkPrice(f, `${path}.pricePerCoreUsd`, pricing.pricePerCoreUsd, "a USD price per core per hour, e.g. 0.05");
      break;
    case "perCoreSize":
      checkSizePrices(f, `${path}.pricesUsd`, pricing.pricesUsd, "USD");
      break;
    case "perMarket":
      checkMarkets(f, `${path}.markets`, pricing.markets);
      break;
    case "spreadsheet":
      if (!isHttpsUrl(pricing.uri)) {
        f.add(
          `${path}.uri`,
          `${path}.uri must be an https URL of the pricing workbook (.xlsx) that the service can download; got ${describe(pricing.uri)}`,
        );
      }
      break;
  }
  return f.list;
}

function checkPrice(f: Failures, path: string, value: unknown, example: string): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    f.add(path, `${path} must be a non-negative number (${example}); got ${describe(value)}`);
  }
}

function checkSizePrices(f: Failures, path: string, value: unknown, currency: string): void {
  if (!isRecord(value) || Object.keys(value).length === 0) {
    f.add(
      path,
      `${path} must map core sizes to ${currency} prices, e.g. { "1core": 0.02, "2core": 0.04 }; got ${describe(value)}`,
    );
    return;
  }
  for (const [size, price] of Object.entries(value)) {
    if (!isCoreSizeKey(size)) {
      f.add(
        pathKey(path, size),
        `${pathKey(path, size)}: "${size}" is not a core size; use one of ${CORE_SIZE_KEYS.join(", ")}`,
      );
    } else {
      checkPrice(f, pathKey(path, size), price, `a ${currency} price per hour`);
    }
  }
}

function checkMarkets(f: Failures, path: string, value: unknown): void {
  if (!isRecord(value) || Object.keys(value).length === 0) {
    f.add(
      path,
      `${path} must map market codes to prices, e.g. { US: { pricePerCore: 0.05 }, GB: { pricePerCore: 0.04 } }; got ${describe(value)}`,
    );
    return;
  }
  for (const [market, price] of Object.entries(value)) {
    const p = pathKey(path, market);
    const currency = MARKET_CURRENCY[market];
    if (!currency) {
      f.add(
        p,
        `${p}: "${market}" has no documented price currency; per-market prices are accepted for the 84 markets of docs/internals/api-notes.md §6.5 (e.g. US, GB, DE, JP)`,
      );
      continue;
    }
    if (!isRecord(price)) {
      f.add(p, `${p} must be { pricePerCore: n } or { pricesBySize: {...} } in ${currency}; got ${describe(price)}`);
      continue;
    }
    const hasSingle = price.pricePerCore !== undefined;
    const hasSizes = price.pricesBySize !== undefined;
    if (hasSingle === hasSizes) {
      f.add(p, `${p} must set exactly one of pricePerCore or pricesBySize (prices in ${currency})`);
      continue;
    }
    if (hasSingle) checkPrice(f, `${p}.pricePerCore`, price.pricePerCore, `a ${currency} price per core per hour`);
    else checkSizePrices(f, `${p}.pricesBySize`, price.pricesBySize, currency);
    for (const key of Object.keys(price)) {
      if (key !== "pricePerCore" && key !== "pricesBySize" && price[key] !== undefined) {
        f.add(
          pathKey(p, key),
          `${pathKey(p, key)} is not valid: a market price has pricePerCore or pricesBySize (the currency, ${currency}, follows from the market)`,
        );
      }
    }
  }
}
