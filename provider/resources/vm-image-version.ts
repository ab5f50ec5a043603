// SPDX-License-Identifier: Apache-2.0
import type { DeepInput } from "../util/input.js";
import * as pulumi from "@pulumi/pulumi";
import type { DataDisk, ImageDeleteMode } from "../images/types.js";
import { providerFor } from "./provider.js";

/** Arguments of {@link VmImageVersion}. */
export interface VmImageVersionArgs {
  publisherId: pulumi.Input<string>;
  offerId: pulumi.Input<string>;
  /** The plan this version belongs to; the Offer's plan must omit its image map. */
  planId: pulumi.Input<string>;
  /**
   * Disk version `X.Y.Z` of integers. Changing it moves the resource: the new version is added
   * and the old one leaves per `onDelete`, in one write.
   */
  version: pulumi.Input<string>;
  /** https SAS URL (sp with read and list, se expiry) of the OS VHD. Always stored as a secret. */
  osVhdUrl: pulumi.Input<string>;
  /** Data disks `{ lun, vhdUrl }`; every version of a plan has the same count. Always secret. */
  dataDisks?: DeepInput<DataDisk[]>;
  /** Core-VM offers only: the version's label (default: the version). */
  label?: pulumi.Input<string>;
  /** Core-VM offers only: the media name (default: `<offerId>-<planId>-<version>`). */
  mediaName?: pulumi.Input<string>;
  /** Core-VM offers only: a description of the version. */
  description?: pulumi.Input<string>;
  /** Core-VM offers only: `publishedDate` MM/DD/YYYY (default: the date of the first write). */
  publishedDate?: pulumi.Input<string>;
  /** What deleting the resource does: `"retain"` (default), `"remove"`, or `"hide"` (core-VM). */
  onDelete?: pulumi.Input<ImageDeleteMode>;
  /** Allow a version below the highest published one (it will not surface in the marketplace). */
  allowLowerVersion?: pulumi.Input<boolean>;
  /** Named credential set of `cloudpartner:accounts` (default: the stack's credentials). */
  account?: pulumi.Input<string>;
}

/**
 * One disk version of one plan of a VM offer (`microsoft-azure-virtualmachines`, `vmImages`)
 * or core-VM offer (`microsoft-azure-corevm`, `vmImagesPublicAzure`), chosen from the offer's
 * type. Written by a read → compare → write under the offer's ETag that re-reads on a conflict,
 * so versions of one plan or of several plans applied in parallel all land and nothing else in
 * the offer changes. The VHD URLs are secret in state and output; `fingerprint` is not, and
 * changes when, and only when, the entry as applied changes — use it as an OfferPublish
 * `trigger`.
 */
export class VmImageVersion extends pulumi.dynamic.Resource {
  declare public readonly publisherId: pulumi.Output<string>;
  declare public readonly offerId: pulumi.Output<string>;
  declare public readonly planId: pulumi.Output<string>;
  declare public readonly version: pulumi.Output<string>;
  declare public readonly osVhdUrl: pulumi.Output<string>;
  declare public readonly dataDisks: pulumi.Output<DataDisk[]>;
  declare public readonly label: pulumi.Output<string | undefined>;
  declare public readonly mediaName: pulumi.Output<string | undefined>;
  declare public readonly description: pulumi.Output<string | undefined>;
  declare public readonly publishedDate: pulumi.Output<string | undefined>;
  declare public readonly onDelete: pulumi.Output<ImageDeleteMode>;
  declare public readonly allowLowerVersion: pulumi.Output<boolean | undefined>;
  /** The named credential set used (see the `account` argument). */
  declare public readonly account: pulumi.Output<string | undefined>;
  /** The offer's type, which chose the image map. */
  declare public readonly offerTypeId: pulumi.Output<string>;
  /** The plan key written: `…virtualmachines.vmImages` or `…corevm.vmImagesPublicAzure`. */
  declare public readonly imageMapKey: pulumi.Output<string>;
  /** `sha256:…` of the version entry as applied (SAS signatures left out): an OfferPublish trigger. */
  declare public readonly fingerprint: pulumi.Output<string>;
  /** The offer's ETag after the write. */
  declare public readonly etag: pulumi.Output<string | undefined>;
  declare public readonly providerVersion: pulumi.Output<string>;

  constructor(name: string, args: VmImageVersionArgs, opts?: pulumi.CustomResourceOptions) {
    // Secret inputs stay secret in state (inputs and, by the engine, the outputs of the same
    // name): the SAS signature of a VHD URL is a credential.
    const props = {
      ...args,
      osVhdUrl: pulumi.secret(args.osVhdUrl),
      dataDisks: args.dataDisks === undefined ? undefined : pulumi.secret(args.dataDisks),
      offerTypeId: undefined,
      imageMapKey: undefined,
      fingerprint: undefined,
      etag: undefined,
      providerVersion: undefined,
    };
    const secretOutputs = { additionalSecretOutputs: ["osVhdUrl", "dataDisks"] };
    const options = pulumi.mergeOptions(opts, secretOutputs);
    super(providerFor("vmImageVersion"), name, props, options, "cloudpartner", "VmImageVersion");
  }
}
