// SPDX-License-Identifier: Apache-2.0
import type { CloudPartnerErrorCode } from "../client/errors.js";
/**
 * Pure edits of one plan's image map (docs/internals/api-notes.md §5.4, §5.6): which map an offer type uses, the
 * entry a VmImageVersion writes, adding, removing and hiding one version, and the rules checked
 * against the offer as read before writing. No I/O.
 */
import { fingerprint } from "../util/fingerprint.js";
import { isRecord, jsonClone, type JsonRecord } from "../util/json.js";
import { withoutSignature } from "./sas.js";
import type { DataDisk, VmImageVersionInputs } from "./types.js";
import { compareVersions, highestVersion, sortVersions } from "./version.js";

/** Publisher VM offers (`vmImages`) and core-VM offers (`vmImagesPublicAzure`). */
export type ImageOfferKind = "vm" | "corevm";

/** Offer type id of each kind. */
export const IMAGE_OFFER_TYPES: Record<ImageOfferKind, string> = {
  vm: "microsoft-azure-virtualmachines",
  corevm: "microsoft-azure-corevm",
};

/** The plan key holding the image map, per kind. */
export const IMAGE_MAP_KEYS: Record<ImageOfferKind, string> = {
  vm: "microsoft-azure-virtualmachines.vmImages",
  corevm: "microsoft-azure-corevm.vmImagesPublicAzure",
};

/** A plan keeps at most this many disk versions (docs/internals/api-notes.md §5.4). */
export const MAX_VERSIONS_PER_PLAN = 8;
/** A version has at most this many data disks (docs/internals/api-notes.md §5.4). */
export const MAX_DATA_DISKS = 15;

/** Entry fields only core-VM images have; a VM offer's entry is `{ osVhdUrl, lunVhdDetails }`. */
export const COREVM_ONLY_INPUTS = ["label", "mediaName", "description", "publishedDate"] as const;

/** The image kind of an offer type, or undefined for offer types without VM images. */
export function imageKindOf(offerTypeId: unknown): ImageOfferKind | undefined {
  if (offerTypeId === IMAGE_OFFER_TYPES.vm) return "vm";
  if (offerTypeId === IMAGE_OFFER_TYPES.corevm) return "corevm";
  return undefined;
}

/** One plan's image map as read (an absent or malformed map reads as empty). */
export function imageMapOf(plan: JsonRecord | undefined, kind: ImageOfferKind): Record<string, JsonRecord> {
  const map = plan?.[IMAGE_MAP_KEYS[kind]];
  if (!isRecord(map)) return {};
  const out: Record<string, JsonRecord> = {};
  for (const [version, entry] of Object.entries(map)) out[version] = isRecord(entry) ? entry : {};
  return out;
}

/**
 * Wire form of the data disks. The member names of `lunVhdDetails` entries are not documented
 * (docs/internals/api-notes.md §13 item 10); this package writes `{ lun, uri }`, here and only here.
 */
export function toWireDisks(disks: DataDisk[]): JsonRecord[] {
  return disks.map((d) => ({ lun: d.lun, uri: d.vhdUrl }));
}

/** The typed data disks of a wire entry (what refresh reports). */
export function fromWireDisks(value: unknown): DataDisk[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((d) => ({ lun: Number(d.lun), vhdUrl: String(d.uri ?? "") }));
}

/** `MM/DD/YYYY` (UTC), the core-VM `publishedDate` format. */
export function usDate(time: number): string {
  const d = new Date(time);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())}/${d.getUTCFullYear()}`;
}

/**
 * The entry this resource wants at its version: the existing entry's other members are kept
 * (they belong to nobody here), ours are set. Core-VM entries get their media name, label,
 * `showInGui: true` and a `publishedDate` that, once written, stays.
 */
export function desiredEntry(
  kind: ImageOfferKind,
  inputs: VmImageVersionInputs,
  existing: JsonRecord | undefined,
  now: number,
): JsonRecord {
  const entry: JsonRecord = {
    ...jsonClone(existing ?? {}),
    osVhdUrl: inputs.osVhdUrl,
    lunVhdDetails: toWireDisks(inputs.dataDisks ?? []),
  };
  if (kind === "vm") return entry;
  const text = (v: unknown) => (typeof v === "string" ? v : undefined);
  const mediaName = `${inputs.offerId}-${inputs.planId}-${inputs.version}`;
  entry.mediaName = inputs.mediaName ?? text(existing?.mediaName) ?? mediaName;
  entry.label = inputs.label ?? text(existing?.label) ?? inputs.version;
  if (inputs.description !== undefined) entry.description = inputs.description;
  entry.showInGui = true;
  entry.publishedDate = inputs.publishedDate ?? (text(existing?.publishedDate) || usDate(now));
  return entry;
}

/** The map with `version` set to `entry` (a new object; the input map is not changed). */
export function withVersion(
  map: Record<string, JsonRecord>,
  version: string,
  entry: JsonRecord,
): Record<string, JsonRecord> {
  return { ...map, [version]: entry };
}

/** The map without `version`. */
export function withoutVersion(map: Record<string, JsonRecord>, version: string): Record<string, JsonRecord> {
  const out = { ...map };
  delete out[version];
  return out;
}

/** The map with `version` hidden (`showInGui: false`, the core-VM way to deprecate a version). */
export function withHiddenVersion(map: Record<string, JsonRecord>, version: string): Record<string, JsonRecord> {
  if (!map[version]) return map;
  return { ...map, [version]: { ...map[version], showInGui: false } };
}

/** Fingerprint of one version entry as applied, with SAS signatures left out. */
export function entryFingerprint(planId: string, version: string, entry: JsonRecord): string {
  const open = jsonClone(entry);
  if (typeof open.osVhdUrl === "string") open.osVhdUrl = withoutSignature(open.osVhdUrl);
  if (Array.isArray(open.lunVhdDetails)) {
    open.lunVhdDetails = open.lunVhdDetails.map((d) =>
      isRecord(d) && typeof d.uri === "string" ? { ...d, uri: withoutSignature(d.uri) } : d,
    );
  }
  return fingerprint({ planId, version, entry: open });
}

/** What the published slots (Preview and Production) hold of a plan's images. */
export interface PublishedImages {
  /** Every version either slot holds. */
  versions: string[];
  /** Data disks of the published versions (the count is locked after the first publish). */
  dataDiskCount?: number;
}

/** Collects the published versions of a plan from the Preview and Production slot documents. */
export function publishedImages(plans: Array<JsonRecord | undefined>, kind: ImageOfferKind): PublishedImages {
  const versions = new Set<string>();
  let dataDiskCount: number | undefined;
  for (const plan of plans) {
    for (const [version, entry] of Object.entries(imageMapOf(plan, kind))) {
      versions.add(version);
      if (dataDiskCount === undefined && Array.isArray(entry.lunVhdDetails)) dataDiskCount = entry.lunVhdDetails.length;
    }
  }
  return { versions: sortVersions(versions), ...(dataDiskCount !== undefined ? { dataDiskCount } : {}) };
}

/** One rule broken at apply time: a stable code and a message that says how to fix it. */
export interface ImageProblem {
  code: CloudPartnerErrorCode;
  message: string;
}

/** What the apply-time rules look at. */
export interface ImageRuleInput {
  kind: ImageOfferKind;
  planId: string;
  version: string;
  /** The plan's image map in the Draft, as read. */
  map: Record<string, JsonRecord>;
  /** Data disks of the version to write. */
  dataDiskCount: number;
  /** A version this write takes out of the map at the same time (the resource moved from it). */
  leaving?: string;
  published: PublishedImages;
  allowLowerVersion?: boolean;
  /** Inputs set that only core-VM entries have. */
  coreVmFieldsSet: string[];
  /** Versions a plan may hold on the API in use (default {@link MAX_VERSIONS_PER_PLAN}, CPP's). */
  maxVersions?: number;
}

/**
 * The rules of docs/internals/api-notes.md §5.4 checked against the offer as read: entry fields the offer kind
 * has, at most 8 versions, the same data-disk count for every version (locked once published),
 * and no version below the highest published one unless allowed. Returns problems (refuse)
 * and warnings (print).
 */
export function imageRuleProblems(r: ImageRuleInput): { problems: ImageProblem[]; warnings: string[] } {
  const problems: ImageProblem[] = [];
  const warnings: string[] = [];
  const one = r.coreVmFieldsSet.length === 1;
  if (r.kind === "vm" && r.coreVmFieldsSet.length > 0) {
    problems.push({
      code: "CPP_IMAGE_FIELD_UNSUPPORTED",
      message:
        `${r.coreVmFieldsSet.join(", ")} ${one ? "is" : "are"} only part of core-VM images ` +
        "(microsoft-azure-corevm offers); a VM offer's version holds osVhdUrl and dataDisks only. " +
        `Remove ${one ? "it" : "them"}.`,
    });
  }
  const others = Object.keys(r.map).filter((v) => v !== r.version && v !== r.leaving);
  const max = r.maxVersions ?? MAX_VERSIONS_PER_PLAN;
  if (others.length + 1 > max) {
    const sorted = sortVersions(others);
    problems.push({
      code: "CPP_IMAGE_VERSION_LIMIT",
      message:
        `plan "${r.planId}" already has ${sorted.length} disk versions (${sorted.length > 10 ? `${sorted.slice(0, 3).join(", ")}, …` : sorted.join(", ")}); a plan keeps ` +
        `at most ${max}. Remove the oldest (${sorted[0]}) first: delete its VmImageVersion with ` +
        `onDelete: "remove", or keep the newest ${max - 1} in your program.`,
    });
  }
  const disksOf = (v: string) => {
    const disks = r.map[v].lunVhdDetails;
    return Array.isArray(disks) ? disks.length : undefined;
  };
  const mismatched = others.filter((v) => disksOf(v) !== undefined && disksOf(v) !== r.dataDiskCount);
  const has = `version ${r.version} has ${r.dataDiskCount} data disk${r.dataDiskCount === 1 ? "" : "s"}`;
  if (mismatched.length > 0) {
    const count = disksOf(mismatched[0]);
    problems.push({
      code: "CPP_IMAGE_DATA_DISKS",
      message:
        `${has} but plan "${r.planId}" has ${count} on ${sortVersions(mismatched).join(", ")}: every version ` +
        `of a plan must have the same number of data disks. Give this version ${count} dataDisks.`,
    });
  } else if (r.published.dataDiskCount !== undefined && r.published.dataDiskCount !== r.dataDiskCount) {
    problems.push({
      code: "CPP_IMAGE_DATA_DISKS",
      message:
        `${has} but plan "${r.planId}" was published with ${r.published.dataDiskCount}: the number of data ` +
        `disks is locked after the first publish. Give this version ${r.published.dataDiskCount} dataDisks ` +
        "(or publish a new plan).",
    });
  }
  const top = highestVersion(r.published.versions);
  if (top !== undefined && !r.published.versions.includes(r.version) && compareVersions(r.version, top) < 0) {
    const what =
      `version ${r.version} is lower than ${top}, the highest published version of plan "${r.planId}": ` +
      `the marketplace shows the highest version, so ${r.version} will not surface after republishing`;
    if (r.allowLowerVersion) warnings.push(`${what} (allowed by allowLowerVersion).`);
    else {
      const fix =
        `Use a version above ${top}, or set allowLowerVersion: true to add it anyway ` + "(reachable by API only).";
      problems.push({ code: "CPP_IMAGE_VERSION_LOWER", message: `${what}. ${fix}` });
    }
  }
  return { problems, warnings };
}
