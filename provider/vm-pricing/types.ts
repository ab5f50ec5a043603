// SPDX-License-Identifier: Apache-2.0
import type { VmPricingSpec, WireVmPricing } from "../pricing/spec.js";
import type { SasSignatures } from "../util/sas.js";

/** Checked inputs of VmPricing. */
export interface VmPricingInputs {
  publisherId: string;
  offerId: string;
  planId: string;
  /** The pricing, with a spreadsheet URI's SAS signature replaced by a placeholder. */
  pricing: VmPricingSpec;
  /** SAS signatures taken out of `pricing` by the VmPricing class; a secret input. */
  sasSignatures?: SasSignatures;
  /** Named credential set of `cloudpartner:accounts` (default: the stack's credentials). */
  account?: string;
}

/** Outputs of VmPricing: the inputs, the wire form written, and the offer's ETag after it. */
export interface VmPricingOutputs extends Omit<VmPricingInputs, "sasSignatures"> {
  /** Fingerprint of the SAS signatures applied (long random values: the hash reveals nothing). */
  signatureFingerprint?: string;
  /** The wire object written, SAS signature masked. */
  virtualMachinePricing?: WireVmPricing;
  /** Fingerprint of the wire pricing as applied (signature masked); refresh never moves it. */
  fingerprint?: string;
  etag?: string;
  providerVersion?: string;
}
