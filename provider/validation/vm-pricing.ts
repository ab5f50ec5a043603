// SPDX-License-Identifier: Apache-2.0
import { Failures, type InputFailure } from "./failure.js";
import { checkId, checkPublisherId } from "./offer.js";
import { validatePricing } from "./pricing.js";

/** Validates VmPricing inputs without I/O (unknown values are skipped). */
export function validateVmPricingInputs(inputs: Record<string, unknown>): InputFailure[] {
  const f = new Failures();
  checkPublisherId(f, "publisherId", inputs.publisherId);
  checkId(f, "offerId", inputs.offerId, "offer");
  checkId(f, "planId", inputs.planId, "plan");
  return [...f.list, ...validatePricing(inputs.pricing, "pricing")];
}
