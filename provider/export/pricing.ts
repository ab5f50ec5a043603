// SPDX-License-Identifier: Apache-2.0
/**
 * Whether a plan's wire pricing can become a VmPricing resource without the first `up` writing
 * anything: the typed union read back from it must map to exactly the same wire object (what
 * VmPricing compares before it writes, provider/handlers/vm-pricing.ts), and pass VmPricing's
 * validation. Anything else stays in wire form inside the Offer's plan, with the reason. Pure.
 */
import { fromWirePricing, toWirePricing } from "../pricing/mapping.js";
import { normalizePricing } from "../pricing/normalize.js";
import type { VmPricingSpec } from "../pricing/spec.js";
import { isRecord, jsonEqual, pathKey, type JsonRecord } from "../util/json.js";
import { validatePricing } from "../validation/pricing.js";

/** The verdict on one plan's pricing. */
export type PricingVerdict =
  { kind: "none" } | { kind: "typed"; spec: VmPricingSpec } | { kind: "wire"; path: string; why: string };

/** Classifies the pricing of one plan of a VM offer. */
export function classifyPlanPricing(plan: JsonRecord): PricingVerdict {
  const v1 = plan.virtualMachinePricing;
  const v2 = plan.virtualMachinePricingV2;
  if (v1 === undefined && v2 === undefined) return { kind: "none" };
  if (v1 === undefined) {
    return {
      kind: "wire",
      path: "virtualMachinePricingV2",
      why: "only virtualMachinePricingV2 is set, and VmPricing " + "writes virtualMachinePricing",
    };
  }
  if (v2 !== undefined && !jsonEqual(v1, v2)) {
    return {
      kind: "wire",
      path: "virtualMachinePricingV2",
      why: "it differs from virtualMachinePricing, and " + "VmPricing would make the two equal",
    };
  }
  const spec = fromWirePricing(v1);
  if (!spec)
    return {
      kind: "wire",
      path: "virtualMachinePricing",
      why: "its shape is not one of VmPricing's kinds " + "(byol, perCore, perCoreSize, perMarket, spreadsheet)",
    };
  const failures = validatePricing(spec);
  if (failures.length > 0)
    return {
      kind: "wire",
      path: "virtualMachinePricing",
      why: `VmPricing would refuse it: ` + `${failures.map((f) => f.reason).join("; ")}`,
    };
  const normal = normalizePricing(spec);
  const back = toWirePricing(normal);
  if (!jsonEqual(back, v1)) {
    const d = firstDifference(v1, back, "virtualMachinePricing");
    return { kind: "wire", path: d.path, why: `VmPricing's ${normal.kind} pricing would write ${d.what}` };
  }
  return { kind: "typed", spec: normal };
}

/** Where two JSON values first differ, said as what writing `next` over `current` would do. */
export function firstDifference(current: unknown, next: unknown, path: string): { path: string; what: string } {
  if (isRecord(current) && isRecord(next)) {
    for (const key of [...new Set([...Object.keys(current), ...Object.keys(next)])].sort()) {
      const p = pathKey(path, key);
      if (current[key] === undefined && next[key] !== undefined)
        return { path: p, what: `${key}: ` + `${JSON.stringify(next[key])}, which the service's value does not have` };
      if (next[key] === undefined && current[key] !== undefined)
        return { path: p, what: `no ${key}, which the ` + `service's value has` };
      if (!jsonEqual(current[key], next[key])) return firstDifference(current[key], next[key], p);
    }
  }
  return { path, what: `${JSON.stringify(next)} instead of ${JSON.stringify(current)}` };
}
