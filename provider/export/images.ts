// SPDX-License-Identifier: Apache-2.0
/**
 * Whether a plan's image map can become VmImageVersion resources without the first `up` writing
 * anything: every version's entry must be exactly what VmImageVersion would write for the typed
 * inputs read from it (provider/images/map.ts, desiredEntry), and the inputs must pass its
 * validation (a SAS URL with read and list and an expiry in the future) and the plan-level rules.
 * The map is one part of the plan (the Offer delegates it whole), so one version that cannot be
 * expressed keeps the whole map in the Offer's plan, with the reason. Pure but for `now`.
 */
import {
  fromWireDisks,
  desiredEntry,
  IMAGE_MAP_KEYS,
  imageKindOf,
  imageRuleProblems,
  type ImageOfferKind,
} from "../images/map.js";
import type { DataDisk, VmImageVersionInputs } from "../images/types.js";
import { isRecord, jsonEqual, pathKey, type JsonRecord } from "../util/json.js";
import { validateVmImageVersionInputs } from "../validation/vm-image-version.js";
import { firstDifference } from "./pricing.js";

/** One VmImageVersion to declare. */
export interface ExportedImage {
  version: string;
  osVhdUrl: string;
  dataDisks: DataDisk[];
}

/** The verdict on one plan's image map. */
export type ImagesVerdict =
  | { kind: "none" }
  | { kind: "typed"; mapKey: string; images: ExportedImage[] }
  | { kind: "wire"; path: string; why: string };

/** Classifies the image map of one plan of an offer of type `offerTypeId`, as of `now`. */
export function classifyPlanImages(
  ref: { publisherId: string; offerId: string; offerTypeId: string },
  plan: JsonRecord & { planId: string },
  now: number,
): ImagesVerdict {
  const kind: ImageOfferKind | undefined = imageKindOf(ref.offerTypeId);
  if (!kind) return { kind: "none" };
  const mapKey = IMAGE_MAP_KEYS[kind];
  const map = plan[mapKey];
  if (map === undefined) return { kind: "none" };
  if (!isRecord(map) || Object.keys(map).length === 0) return { kind: "none" };
  const images: ExportedImage[] = [];
  for (const version of Object.keys(map).sort()) {
    const where = pathKey(mapKey, version);
    const entry = map[version];
    if (!isRecord(entry) || typeof entry.osVhdUrl !== "string") {
      return { kind: "wire", path: where, why: "the entry has no osVhdUrl, which VmImageVersion needs" };
    }
    const inputs: VmImageVersionInputs = {
      publisherId: ref.publisherId,
      offerId: ref.offerId,
      planId: plan.planId,
      version,
      osVhdUrl: entry.osVhdUrl,
      dataDisks: fromWireDisks(entry.lunVhdDetails),
      onDelete: "retain",
    };
    const { failures } = validateVmImageVersionInputs({ ...inputs }, {}, now);
    if (failures.length > 0) {
      return {
        kind: "wire",
        path: where,
        why: `VmImageVersion would refuse it: ${failures.map((f) => f.reason).join("; ")}`,
      };
    }
    const rules = imageRuleProblems({
      kind,
      planId: plan.planId,
      version,
      map: map as Record<string, JsonRecord>,
      dataDiskCount: inputs.dataDisks.length,
      published: { versions: [] },
      coreVmFieldsSet: [],
    });
    if (rules.problems.length > 0) {
      return { kind: "wire", path: where, why: `VmImageVersion would refuse it: ${rules.problems[0].message}` };
    }
    const written = desiredEntry(kind, inputs, entry, now);
    if (!jsonEqual(written, entry)) {
      // Only the path: the values are URLs whose SAS signatures must not be printed.
      const d = firstDifference(entry, written, where);
      return { kind: "wire", path: d.path, why: "VmImageVersion would write this member differently" };
    }
    images.push({ version, osVhdUrl: inputs.osVhdUrl, dataDisks: inputs.dataDisks });
  }
  return { kind: "typed", mapKey, images };
}
