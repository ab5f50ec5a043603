// SPDX-License-Identifier: Apache-2.0
import * as pulumi from "@pulumi/pulumi";
import type { PublishPhase, PublishTarget } from "../publish/types.js";
import { providerFor } from "./provider.js";

/** Arguments of {@link OfferPublish}. */
export interface OfferPublishArgs {
  publisherId: pulumi.Input<string>;
  offerId: pulumi.Input<string>;
  /** `preview`: publish and stop at publisher sign-off. `live`: then go live and wait. */
  target: pulumi.Input<PublishTarget>;
  /** Addresses notified of progress (ignored by the service for migrated offers). */
  notificationEmails?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Any value whose change republishes: the fingerprints of what the program owns, e.g.
   * `[offer.fingerprint, pricing.fingerprint]` (they move when, and only when, that content
   * does). After a refresh finds the Draft edited elsewhere, the next `up` republishes once too.
   */
  trigger?: pulumi.Input<unknown>;
  /**
   * How long one `pulumi up` waits, in seconds (default `cloudpartner:operationTimeoutSeconds`,
   * 3600). When it passes, the operation keeps running and the next `up` resumes waiting for it.
   */
  timeoutSeconds?: pulumi.Input<number>;
  /** Poll interval bounds in seconds (defaults 5 and 600). */
  pollIntervalSeconds?: pulumi.Input<{ min?: pulumi.Input<number>; max?: pulumi.Input<number> }>;
  /**
   * Which credential set of the stack config `cloudpartner:accounts` this resource uses (default:
   * the stack's own `cloudpartner:tenantId`/`clientId`/… credentials). Only the name is an input:
   * the credentials stay in config and never reach state.
   */
  account?: pulumi.Input<string>;
}

/**
 * Publishes an offer and waits for the long-running operation: to publisher sign-off
 * (`preview`), or through go-live (`live`). Deleting it cancels an operation still running.
 */
export class OfferPublish extends pulumi.dynamic.Resource {
  declare public readonly publisherId: pulumi.Output<string>;
  declare public readonly offerId: pulumi.Output<string>;
  declare public readonly target: pulumi.Output<PublishTarget>;
  declare public readonly notificationEmails: pulumi.Output<string[] | undefined>;
  declare public readonly trigger: pulumi.Output<unknown>;
  declare public readonly timeoutSeconds: pulumi.Output<number | undefined>;
  /** The named credential set used (see the `account` argument). */
  declare public readonly account: pulumi.Output<string | undefined>;
  /** URL of the last publish or go-live operation. */
  declare public readonly operationUrl: pulumi.Output<string | undefined>;
  /** That operation's normalised status (`succeeded`, `waitingForSignoff`, `running`, …). */
  declare public readonly operationStatus: pulumi.Output<string | undefined>;
  /** The offer's publishing status. */
  declare public readonly offerStatus: pulumi.Output<string | undefined>;
  /** Set while an operation outlived the deadline: the next `up` resumes it. */
  declare public readonly pendingOperationUrl: pulumi.Output<string | undefined>;
  declare public readonly pendingPhase: pulumi.Output<PublishPhase | undefined>;
  declare public readonly providerVersion: pulumi.Output<string>;

  constructor(name: string, args: OfferPublishArgs, opts?: pulumi.CustomResourceOptions) {
    const props = {
      ...args,
      operationUrl: undefined,
      operationStatus: undefined,
      offerStatus: undefined,
      pendingOperationUrl: undefined,
      pendingPhase: undefined,
      providerVersion: undefined,
    };
    super(providerFor("offerPublish"), name, props, opts, "cloudpartner", "OfferPublish");
  }
}
