// SPDX-License-Identifier: Apache-2.0
/**
 * The business rules a configure job checks against what is published (docs/internals/api-notes.md
 * §P3.4, §P5.3): they fail inside the job, never as a synchronous 400. Pure.
 */
import type { Doc } from "../state.js";

/** A rule's refusal: the outer and inner codes and the service's message (§P5.3). */
export interface RuleProblem {
  code: string;
  inner: string;
  message: string;
}

/** Booleans that cannot be turned off once published (§P3.4 "Sticky" booleans). */
export const STICKY_PROPERTIES = ["supportsNVMe", "supportsCloudInit", "supportsSriov", "supportsBackup"];

const versionsOf = (tc: Doc | undefined): Doc[] =>
  Array.isArray(tc?.vmImageVersions) ? tc.vmImageVersions.filter((v: unknown) => v && typeof v === "object") : [];

/**
 * Why writing `next` over `current` is refused, given the resource as published to preview and to
 * live (`published`, undefined where that slot lacks it); undefined when it may be written.
 */
export function publishedProblems(
  type: string,
  next: Doc,
  current: Doc | undefined,
  published: Array<Doc | undefined>,
): RuleProblem | undefined {
  const live = published.filter((p): p is Doc => p !== undefined);
  if (live.length === 0) return undefined;
  if (next.lifecycleState === "deleted")
    return {
      code: "badRequest",
      inner: "invalidEntityStatus",
      message: `The resource ${String(next.id)} has been published and cannot be deleted: deprecate it instead.`,
    };
  if (type === "plan" && current && next.identity?.externalId !== current.identity?.externalId)
    return {
      code: "badRequest",
      inner: "invalidRequest",
      message: "The property 'PlanId' is locked by a previous submission",
    };
  if (!type.endsWith("plan-technical-configuration")) return undefined;
  const nextVersions = versionsOf(next);
  for (const p of live) {
    for (const v of versionsOf(p)) {
      if (v.lifecycleState === "deleted") continue;
      const kept = nextVersions.find((n) => n.versionNumber === v.versionNumber);
      if (!kept || kept.lifecycleState === "deleted")
        return {
          code: "badRequest",
          inner: "businessValidationError",
          message: `Cannot delete image '${String(v.versionNumber)}' as it is already published`,
        };
    }
    for (const k of STICKY_PROPERTIES) {
      if (p.vmProperties?.[k] === true && next.vmProperties?.[k] === false)
        return {
          code: "badRequest",
          inner: "businessValidationError",
          message: `${k[0].toUpperCase()}${k.slice(1)} property has already been enabled`,
        };
    }
    const skus: Doc[] = Array.isArray(next.skus) ? next.skus : [];
    for (const sku of Array.isArray(p.skus) ? p.skus : []) {
      if (!skus.some((s) => s?.skuId === sku?.skuId && s?.imageType === sku?.imageType))
        return {
          code: "badRequest",
          inner: "invalidRequest",
          message: "The property 'PlanId' is locked by a previous submission",
        };
    }
  }
  return undefined;
}
