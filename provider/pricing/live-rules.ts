// SPDX-License-Identifier: Apache-2.0
import type { WireVmPricing } from "./spec.js";

/**
 * Checks new pricing against the plan as it is live in Production (docs/internals/api-notes.md §5.8, §6.6): the
 * billing model of a published plan cannot change, and prices of a live pay-as-you-go plan
 * cannot increase. Returns the reasons, empty when the change is allowed. Pure.
 */
export function liveRuleViolations(planId: string, live: WireVmPricing | undefined, next: WireVmPricing): string[] {
  if (!live) return [];
  const out: string[] = [];
  if (live.isByol !== next.isByol) {
    out.push(
      `plan "${planId}" is live as ${live.isByol ? "bring-your-own-licence" : "pay-as-you-go"}; the billing model of a published plan cannot change (docs/internals/api-notes.md §5.8). Create a new plan for the ${next.isByol ? "BYOL" : "pay-as-you-go"} model instead.`,
    );
    return out;
  }
  if (next.isByol) return out;
  for (const [what, before, after] of comparablePrices(live, next)) {
    if (after > before) {
      out.push(
        `pricing ${what} of live plan "${planId}" would rise from ${before} to ${after}; prices of a live pay-as-you-go plan cannot be increased (docs/internals/api-notes.md §6.6). Lower prices are allowed; to charge more, publish a new plan.`,
      );
    }
  }
  return out;
}

function comparablePrices(a: WireVmPricing, b: WireVmPricing): Array<[string, number, number]> {
  const out: Array<[string, number, number]> = [];
  const cmA = a.coreMultiplier;
  const cmB = b.coreMultiplier;
  if (typeof cmA?.single === "number" && typeof cmB?.single === "number")
    out.push(["per core (USD)", cmA.single, cmB.single]);
  for (const [size, price] of Object.entries(cmB?.individually ?? {})) {
    const before = cmA?.individually?.[size];
    if (typeof before === "number") out.push([`${size} (USD)`, before, price]);
  }
  for (const [market, region] of Object.entries(b.regionPrices ?? {})) {
    const old = a.regionPrices?.[market];
    if (!old || old.currency !== region.currency) continue;
    if (typeof old.single === "number" && typeof region.single === "number")
      out.push([`${market} per core (${region.currency})`, old.single, region.single]);
    for (const [size, price] of Object.entries(region.individually ?? {})) {
      const before = old.individually?.[size];
      if (typeof before === "number") out.push([`${market} ${size} (${region.currency})`, before, price]);
    }
  }
  return out;
}
