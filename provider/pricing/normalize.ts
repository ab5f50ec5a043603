// SPDX-License-Identifier: Apache-2.0
import type { VmPricingSpec } from "./spec.js";

/**
 * The canonical form of a valid pricing spec: a zero free trial is the same as none, so it is
 * dropped — what a read from the service gives back. Applied in `check`, so stored inputs,
 * outputs and refreshed values compare equal and diffs do not flap. Idempotent.
 */
export function normalizePricing(spec: VmPricingSpec): VmPricingSpec {
  if (spec.kind === "byol") return { kind: "byol" };
  const { freeTrialMonths, ...rest } = spec;
  return (freeTrialMonths ? { ...rest, freeTrialMonths } : rest) as VmPricingSpec;
}
