// SPDX-License-Identifier: Apache-2.0
import * as pulumi from "@pulumi/pulumi";
import type {
  PublicationPhase,
  PublishApproval,
  PublishFailure,
  PublishOperationKind,
  PublishTarget,
  PublishWaitFor,
} from "../publish/types.js";
import { providerFor } from "./provider.js";

/** Arguments of {@link OfferPublish}. */
export interface OfferPublishArgs {
  publisherId: pulumi.Input<string>;
  offerId: pulumi.Input<string>;
  /**
   * `preview`: publish, and stop at publisher sign-off. `live`: then go live, but only with the
   * content `approvedContentHash` names.
   */
  target: pulumi.Input<PublishTarget>;
  /**
   * How far one `pulumi up` follows the operation it starts: `"accepted"` (end as soon as the
   * service has accepted it: seconds; the pipeline setting), `"signoff"` (until the preview waits
   * for publisher sign-off; the default for target `preview`) or `"live"` (until the offer is
   * live; target `live` only, and its default). The next `pulumi refresh` or `up` follows what is
   * left.
   */
  waitFor?: pulumi.Input<PublishWaitFor>;
  /**
   * When a wait reaches `timeoutSeconds` while the operation runs normally: `false` (default)
   * ends the run green with a warning saying where the operation is; `true` fails it (the
   * operation is kept in state and followed by the next `up`).
   */
  failOnTimeout?: pulumi.Input<boolean>;
  /**
   * Required for target `live`: the `publishedContentHash` of the preview a person reviewed. The
   * offer goes live only while the preview waiting for sign-off holds exactly that content;
   * otherwise `up` fails before any go-live, naming both hashes. `"unreviewed"` goes live with
   * whatever the preview holds.
   */
  approvedContentHash?: pulumi.Input<string>;
  /** Addresses notified of progress (ignored by the service for migrated offers). */
  notificationEmails?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Any value whose change republishes: the fingerprints of what the program owns, e.g.
   * `[offer.fingerprint, pricing.fingerprint]` (they move when, and only when, that content
   * does). After a refresh finds the Draft edited elsewhere, the next `up` republishes once too.
   * To submit unchanged content again after a failed certification, add something to it (e.g. a
   * retry counter).
   */
  trigger?: pulumi.Input<unknown>;
  /**
   * How long one `pulumi up` waits, in seconds (default `cloudpartner:operationTimeoutSeconds`,
   * 3600). When it passes, the operation keeps running and the next `up` or `refresh` follows it.
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
 * Publishes an offer and follows the long-running operation on the service's clock: to the
 * service's acceptance, to publisher sign-off (`preview`), or through an approved go-live
 * (`live`). `pulumi refresh` moves `phase` and the step outputs. Deleting it cancels an
 * operation still running.
 */
export class OfferPublish extends pulumi.dynamic.Resource {
  declare public readonly publisherId: pulumi.Output<string>;
  declare public readonly offerId: pulumi.Output<string>;
  declare public readonly target: pulumi.Output<PublishTarget>;
  declare public readonly waitFor: pulumi.Output<PublishWaitFor | undefined>;
  declare public readonly failOnTimeout: pulumi.Output<boolean | undefined>;
  declare public readonly approvedContentHash: pulumi.Output<string | undefined>;
  declare public readonly notificationEmails: pulumi.Output<string[] | undefined>;
  declare public readonly trigger: pulumi.Output<unknown>;
  declare public readonly timeoutSeconds: pulumi.Output<number | undefined>;
  /** The named credential set used (see the `account` argument). */
  declare public readonly account: pulumi.Output<string | undefined>;
  /**
   * Where the publication is: `inProgress` (an operation runs), `waitingForSignoff` (the preview
   * waits for publisher sign-off), `live`, `failed` or `canceled`.
   */
  declare public readonly phase: pulumi.Output<PublicationPhase | undefined>;
  /** Which operation `operationUrl` is: `publish` or `goLive`. */
  declare public readonly operationKind: pulumi.Output<PublishOperationKind | undefined>;
  /** URL of the last publish or go-live operation. */
  declare public readonly operationUrl: pulumi.Output<string | undefined>;
  /** That operation's normalised status (`running`, `waitingForSignoff`, `succeeded`, …). */
  declare public readonly operationStatus: pulumi.Output<string | undefined>;
  /** The operation's current step (its name), and that step's percentage. */
  declare public readonly step: pulumi.Output<string | undefined>;
  declare public readonly stepPercentage: pulumi.Output<number | undefined>;
  /** When `phase` is `failed`: the failing step and its messages. */
  declare public readonly failure: pulumi.Output<PublishFailure | undefined>;
  /** The offer's publishing status. */
  declare public readonly offerStatus: pulumi.Output<string | undefined>;
  /** Hash of the Draft content the last publish carried: the value `approvedContentHash` takes. */
  declare public readonly publishedContentHash: pulumi.Output<string | undefined>;
  /** The approval of the last go-live: the content hash taken live, whether reviewed, and when. */
  declare public readonly approval: pulumi.Output<PublishApproval | undefined>;
  declare public readonly providerVersion: pulumi.Output<string>;

  constructor(name: string, args: OfferPublishArgs, opts?: pulumi.CustomResourceOptions) {
    const props = {
      ...args,
      phase: undefined,
      operationKind: undefined,
      operationUrl: undefined,
      operationStatus: undefined,
      step: undefined,
      stepPercentage: undefined,
      failure: undefined,
      offerStatus: undefined,
      publishedContentHash: undefined,
      approval: undefined,
      providerVersion: undefined,
    };
    super(providerFor("offerPublish"), name, props, opts, "cloudpartner", "OfferPublish");
  }
}
