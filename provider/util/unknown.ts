// SPDX-License-Identifier: Apache-2.0
import { isRecord } from "./json.js";

/**
 * The placeholder the Pulumi engine sends for values not known during preview
 * (`pulumi.runtime.unknownValue`). Kept as a literal so pure modules need no Pulumi import.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** True when `value` is, or contains, a preview-time unknown. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (isRecord(value)) return Object.values(value).some(containsUnknown);
  return false;
}
