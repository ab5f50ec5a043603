// SPDX-License-Identifier: Apache-2.0

/** What deleting a VmImageVersion (or moving it to another version) does to the old version. */
export type ImageDeleteMode = "remove" | "hide" | "retain";

/** The default: a version customers may already deploy is never taken away without being asked. */
export const DEFAULT_ON_DELETE: ImageDeleteMode = "retain";

/** One data disk of an image version. */
export interface DataDisk {
  /** LUN number, 0–15, unique within the version. */
  lun: number;
  /** https SAS URL (read + list, with an expiry) of the data-disk VHD. */
  vhdUrl: string;
}

/** Checked inputs of VmImageVersion (defaults applied). */
export interface VmImageVersionInputs {
  publisherId: string;
  offerId: string;
  planId: string;
  /** Disk version `X.Y.Z` of integers. Changing it moves this resource to the new version. */
  version: string;
  /** https SAS URL of the OS VHD (secret). */
  osVhdUrl: string;
  /** Data disks; their count must be the same for every version of the plan. */
  dataDisks: DataDisk[];
  /** Core-VM offers: the image's label (default: the version). */
  label?: string;
  /** Core-VM offers: the media name (default: `<offerId>-<planId>-<version>`). */
  mediaName?: string;
  /** Core-VM offers: the image's description. */
  description?: string;
  /** Core-VM offers: `publishedDate` (MM/DD/YYYY); default the date of the first write. */
  publishedDate?: string;
  onDelete: ImageDeleteMode;
  /** Allow a version lower than the plan's highest published version (it will not surface). */
  allowLowerVersion?: boolean;
  /** Named credential set of `cloudpartner:accounts` (default: the stack's credentials). */
  account?: string;
}

/** Outputs of VmImageVersion: the inputs and what was applied. */
export interface VmImageVersionOutputs extends VmImageVersionInputs {
  /** The offer's type, which chose the image map. */
  offerTypeId?: string;
  /** The plan key of the image map written (`microsoft-azure-virtualmachines.vmImages`, …). */
  imageMapKey?: string;
  /** Fingerprint of the version entry as applied (SAS signatures left out). */
  fingerprint?: string;
  /** The offer's ETag after the write. */
  etag?: string;
  /** Set by refresh when the entry was hidden (`showInGui: false`) outside Pulumi: drift the next up undoes. */
  hidden?: boolean;
  providerVersion?: string;
}
