// SPDX-License-Identifier: Apache-2.0
import * as pulumi from "@pulumi/pulumi";
import type { VmPricingSpec, WireVmPricing } from "../pricing/spec.js";
import type { DeepInput } from "../util/input.js";
import { splitSas, type SasSignatures } from "../util/sas.js";
import { providerFor } from "./provider.js";

/** Arguments of {@link VmPricing}. */
export interface VmPricingArgs {
  publisherId: pulumi.Input<string>;
  offerId: pulumi.Input<string>;
  /** The plan whose pricing this resource owns; the Offer's plan must omit its pricing. */
  planId: pulumi.Input<string>;
  /**
   * BYOL, per core, per core size, per market or spreadsheet (see {@link VmPricingSpec}). A SAS
   * signature in a spreadsheet `uri` is kept apart as a secret input (`sig=[secret]` in state).
   */
  pricing: DeepInput<VmPricingSpec>;
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
  /** The wire object written to the plan (a SAS signature shows as `sig=[secret]`). */
  declare public readonly virtualMachinePricing: pulumi.Output<WireVmPricing>;
  /**
   * Fingerprint (`sha256:…`) of the pricing as applied: put it in an OfferPublish `trigger`. It
   * changes when, and only when, this pricing changes (never on refresh).
   */
  declare public readonly fingerprint: pulumi.Output<string>;
  /** The offer's ETag after the write. */
  declare public readonly etag: pulumi.Output<string | undefined>;
  declare public readonly providerVersion: pulumi.Output<string>;

  constructor(name: string, args: VmPricingArgs, opts?: pulumi.CustomResourceOptions) {
    const split = pulumi.output(args.pricing).apply((p) => splitSas(p as VmPricingSpec));
    const props = {
      ...args,
      pricing: split.apply((s) => s.value),
      // A secret even when empty, so that signatures a refresh reads are encrypted (see Offer).
      sasSignatures: pulumi.secret(split.apply((s) => s.signatures as SasSignatures)),
      virtualMachinePricing: undefined,
      fingerprint: undefined,
      etag: undefined,
      providerVersion: undefined,
    };
    super(providerFor("vmPricing"), name, props, opts, "cloudpartner", "VmPricing");
  }
}
