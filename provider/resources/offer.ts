// SPDX-License-Identifier: Apache-2.0
import * as pulumi from "@pulumi/pulumi";
import type { ConcurrencyMode, OfferDefinition } from "../offer/types.js";
import type { DeepInput } from "../util/input.js";
import { isRecord } from "../util/json.js";
import { splitSas, type SasSignatures } from "../util/sas.js";
import { providerFor } from "./provider.js";

/** Arguments of {@link Offer}. */
export interface OfferArgs {
  /** Publisher namespace (as in the portal). Changing it replaces the resource. */
  publisherId: pulumi.Input<string>;
  /** Offer id: ≤ 50 lowercase letters, digits and '-'. Changing it replaces the resource. */
  offerId: pulumi.Input<string>;
  /** Offer type; default `microsoft-azure-virtualmachines`. Changing it replaces the resource. */
  offerTypeId?: pulumi.Input<string>;
  /**
   * The offer document's `definition`: `displayText`, `offer` (namespaced listing keys) and
   * `plans`. A plan without `virtualMachinePricing` leaves its pricing to a {@link VmPricing}.
   * SAS signatures (`sig=`) in any URL are taken out and kept as a secret input: state, previews
   * and logs show `sig=[secret]`. Any value at any depth may be an output or a `pulumi.secret()`;
   * a secret makes the whole definition secret in state.
   */
  definition: DeepInput<OfferDefinition>;
  /**
   * Secret fields by path inside `definition` (e.g.
   * `"offer/microsoft-azure-marketplace.tableLeadConfiguration/storageAccountConnectionString"`).
   * The service never returns them; they are written with the document. Always a secret input
   * (encrypted in state), whether or not you wrap them in `pulumi.secret()`, and never an output.
   */
  secrets?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Take over an offer that already exists (read it, report what changes, write with its ETag). */
  adopt?: pulumi.Input<boolean>;
  /** `optimistic` (default): updates fail if the offer changed outside Pulumi. `lastWriterWins`: overwrite. */
  concurrency?: pulumi.Input<ConcurrencyMode>;
  /**
   * Which credential set of the stack config `cloudpartner:accounts` this resource uses (default:
   * the stack's own `cloudpartner:tenantId`/`clientId`/… credentials). Only the name is an input:
   * the credentials stay in config and never reach state.
   */
  account?: pulumi.Input<string>;
}

/** What {@link Offer.get} may be told besides the id. */
export interface OfferLookupState {
  /** Credential set of `cloudpartner:accounts` (default: the stack's own credentials). */
  account?: pulumi.Input<string>;
}

/**
 * An Azure Marketplace offer's Draft document in the Cloud Partner Portal. Creating it PUTs the
 * offer; updates PUT with the ETag from state; deleting it retains the offer (the API has no
 * delete) and says so in a warning line.
 */
export class Offer extends pulumi.dynamic.Resource {
  // Outputs are `declare`d, not initialised fields: with ES2022 class fields an initialiser
  // would overwrite, after super(), the Output the SDK set for each key of props.
  declare public readonly publisherId: pulumi.Output<string>;
  declare public readonly offerId: pulumi.Output<string>;
  declare public readonly offerTypeId: pulumi.Output<string>;
  /**
   * Fingerprint (`sha256:…`) of what this Offer owns as applied: the definition without the parts
   * left to VmPricing, and `secrets`. Put it in an OfferPublish `trigger` with the VmPricing
   * fingerprints: it changes when, and only when, that content changes (never on refresh or on
   * a VmPricing write). `secrets` and SAS signatures are not part of it. Encrypted in state when
   * the definition holds Outputs (one may be secret).
   */
  declare public readonly fingerprint: pulumi.Output<string>;
  /**
   * The offer's Draft definition, for an offer read with {@link Offer.get} (SAS signatures show as
   * `sig=[secret]`). A managed Offer keeps its definition in its inputs only: this is undefined.
   */
  declare public readonly definition: pulumi.Output<OfferDefinition | undefined>;
  declare public readonly adopt: pulumi.Output<boolean | undefined>;
  declare public readonly concurrency: pulumi.Output<ConcurrencyMode | undefined>;
  /** The named credential set used (see the `account` argument). */
  declare public readonly account: pulumi.Output<string | undefined>;
  /**
   * The offer's ETag after the last write or refresh. It also moves on VmPricing writes and
   * refreshes: use {@link fingerprint}, not this, as an OfferPublish `trigger`.
   */
  declare public readonly etag: pulumi.Output<string | undefined>;
  /** Offer version; increases after each go-live. */
  declare public readonly version: pulumi.Output<number | undefined>;
  /** Publishing status, e.g. `neverPublished`, `running`, `succeeded`. */
  declare public readonly status: pulumi.Output<string | undefined>;
  /** Time of the last change on the service. */
  declare public readonly changedTime: pulumi.Output<string | undefined>;
  /** Version of pulumi-cloudpartner that last applied this resource. */
  declare public readonly providerVersion: pulumi.Output<string>;
  /**
   * The product's durable id in Partner Center, `product/<guid>`, once the offer was written or
   * read through the Product Ingestion API (`cloudpartner:api: productIngestion`).
   */
  declare public readonly productId: pulumi.Output<string | undefined>;
  /** The plans' durable ids (`plan/<product guid>/<plan guid>`) by plan id, as {@link productId}. */
  declare public readonly planIds: pulumi.Output<Record<string, string> | undefined>;

  /**
   * Reads an existing offer into the program without managing it: `pulumi up` never writes it
   * and `pulumi destroy` leaves it alone; every refresh reads it again. Its outputs hold the
   * offer's whole Draft (`definition` without secret fields, as the service returns it).
   *
   * @param name The resource name in this stack.
   * @param id `publisherId/offerId`, e.g. `"contoso/my-offer"`.
   * @param state `account`: the credential set of `cloudpartner:accounts` to read with.
   * @param opts Resource options (`id` is set from `id`).
   */
  static get(
    name: string,
    id: pulumi.Input<pulumi.ID>,
    state?: OfferLookupState,
    opts?: pulumi.CustomResourceOptions,
  ): Offer {
    // The engine's read step passes these props to the provider's read, which works from the id.
    // Every input key is named (undefined ones are not sent) so each becomes an output.
    const props = {
      publisherId: undefined,
      offerId: undefined,
      offerTypeId: undefined,
      definition: undefined,
      secrets: undefined,
      adopt: undefined,
      concurrency: undefined,
      account: state?.account,
    };
    return new Offer(name, props as unknown as OfferArgs, { ...opts, id });
  }

  constructor(name: string, args: OfferArgs, opts?: pulumi.CustomResourceOptions) {
    // SAS signatures leave the definition here, in the program, so that neither the state's
    // inputs nor any preview ever hold them; the handlers put them back only to send the PUT.
    // The input is a secret even when empty: this provider takes no secrets, so the engine
    // encrypts what a refresh or Offer.get reads (a SAS URL added in the portal) only under a
    // key that was secret before (tests/engine/security.test.ts).
    const split = pulumi.output(args.definition).apply((d) => splitSas(d as OfferDefinition));
    const props = {
      ...args,
      definition: split.apply((s) => s.value),
      sasSignatures: pulumi.secret(split.apply((s) => s.signatures as SasSignatures)),
      secrets: args.secrets === undefined ? undefined : pulumi.secret(args.secrets),
      fingerprint: undefined,
      draftFingerprint: undefined,
      delegated: undefined,
      etag: undefined,
      version: undefined,
      status: undefined,
      changedTime: undefined,
      providerVersion: undefined,
      piaDraftFingerprint: undefined,
      productId: undefined,
      planIds: undefined,
    };
    // A fingerprint is a hash of the definition: when a value in it may be secret (a short one
    // could be guessed back from its hash), the fingerprints are encrypted in state like it.
    const secretOutputs = holdsOutput(args.definition)
      ? ["fingerprint", "draftFingerprint", "piaDraftFingerprint"]
      : [];
    const options = pulumi.mergeOptions(opts, { additionalSecretOutputs: secretOutputs });
    super(providerFor("offer"), name, props, options, "cloudpartner", "Offer");
  }
}

/** Whether an Input holds an Output anywhere (whose secretness is not known until it resolves). */
function holdsOutput(value: unknown): boolean {
  if (pulumi.Output.isInstance(value) || value instanceof Promise) return true;
  if (Array.isArray(value)) return value.some(holdsOutput);
  if (isRecord(value)) return Object.values(value).some(holdsOutput);
  return false;
}
