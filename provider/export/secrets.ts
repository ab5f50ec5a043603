// SPDX-License-Identifier: Apache-2.0
/**
 * Which secret fields an existing offer uses. GET never returns secret values (docs/internals/api-notes.md §5.2),
 * so a lead configuration holding only a connection string reads back as `{}`: the lead
 * destination is what tells the export that a secret is set. Pure.
 */
import { isNoLeadDestination, leadTargetOf } from "../schema/leads.js";
import type { JsonRecord } from "../util/json.js";

/** What the lead configuration of an offer needs from the user. */
export interface SecretFinding {
  /** `secrets` paths of the Offer, e.g. `offer/<ns>tableLeadConfiguration/storageAccountConnectionString`. */
  paths: string[];
  /** Lead destinations this table does not know: `[key, value]`. */
  unknown: Array<[key: string, value: string]>;
}

/** The secret fields of a listing (`definition.offer` as read), from its lead destination(s). */
export function findSecretFields(offer: JsonRecord): SecretFinding {
  const out: SecretFinding = { paths: [], unknown: [] };
  for (const key of Object.keys(offer).sort()) {
    if (!key.endsWith("leadDestination")) continue;
    const value = offer[key];
    if (typeof value !== "string" || isNoLeadDestination(value)) continue;
    const ns = key.slice(0, key.length - "leadDestination".length);
    const target = leadTargetOf(value);
    if (!target) {
      out.unknown.push([key, value]);
      continue;
    }
    for (const field of target.secrets) out.paths.push(`offer/${ns}${target.config}/${field}`);
  }
  return out;
}
