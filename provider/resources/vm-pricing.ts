// SPDX-License-Identifier: Apache-2.0
import * as pulumi from "@pulumi/pulumi";
import type { VmPricingSpec, WireVmPricing } from "../pricing/spec.js";
import { providerFor } from "./provider.js";

/** Arguments of {@link VmPricing}. */
export interface VmPricingArgs {
  publisherId: pulumi.Input<string>;
  offerId: pulumi.Input<string>;
  /** The plan whose pricing this resource owns; the Offer's plan must omit its pricing. */
  planId: pulumi.Input<string>;
  /** BYOL, per core, per core size, per market or spreadsheet (see {@link VmPricingSpec}). */
  pricing: pulumi.Input<VmPricingSpec>;
  /**
   * Which credential set of the stack config `cloudpartner:accounts` this resource uses (default:
   * the stack's own `cloudpartner:tenantId`/`clientId`/… credentials). Only the name is an input:
   * the credentials stay in config and never reach state.
   */
  account?: pulumi.Input<string>;
}

/**
 * The pricing of one plan of a VM offer, written into the plan's `virtualMachinePricing` by a
 * read-modify-write with If-Match that re-reads on a conflict, so several VmPricing resources
 * of one offer applied in parallel all land. Deleting it keeps the plan's pricing.
 */
export class VmPricing extends pulumi.dynamic.Resource {
  declare public readonly publisherId: pulumi.Output<string>;
  declare public readonly offerId: pulumi.Output<string>;
  declare public readonly planId: pulumi.Output<string>;
  declare public readonly pricing: pulumi.Output<VmPricingSpec>;
  /** The named credential set used (see the `account` argument). */
  declare public readonly account: pulumi.Output<string | undefined>;
  /** The wire object written to the plan. */
  declare public readonly virtualMachinePricing: pulumi.Output<WireVmPricing>;
  /** The offer's ETag after the write. */
  declare public readonly etag: pulumi.Output<string | undefined>;
  declare public readonly providerVersion: pulumi.Output<string>;

  constructor(name: string, args: VmPricingArgs, opts?: pulumi.CustomResourceOptions) {
    const props = { ...args, virtualMachinePricing: undefined, etag: undefined, providerVersion: undefined };
    super(providerFor("vmPricing"), name, props, opts, "cloudpartner", "VmPricing");
  }
}
