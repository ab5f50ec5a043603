// SPDX-License-Identifier: Apache-2.0
import type { VmPricingSpec, WireVmPricing } from "../pricing/spec.js";

/** Checked inputs of VmPricing. */
export interface VmPricingInputs {
  publisherId: string;
  offerId: string;
  planId: string;
  pricing: VmPricingSpec;
  /** Named credential set of `cloudpartner:accounts` (default: the stack's credentials). */
  account?: string;
}

/** Outputs of VmPricing: the inputs, the wire form written, and the offer's ETag after it. */
export interface VmPricingOutputs extends VmPricingInputs {
  virtualMachinePricing?: WireVmPricing;
  etag?: string;
  providerVersion?: string;
}
