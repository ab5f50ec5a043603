// SPDX-License-Identifier: Apache-2.0
/**
 * The lead targets of a CPP listing (docs/internals/api-notes.md §5.2): the `…LeadConfiguration`
 * key each `leadDestination` fills and the secret fields it holds. The enum strings of
 * `leadDestination` are undocumented, so a value is matched by its spelling lower-cased without
 * separators against the `names` each target lists. Pure.
 */

/** A lead target: its configuration key and the secret fields it holds. */
export interface LeadTarget {
  /** The listing key suffix of its configuration, e.g. `tableLeadConfiguration`. */
  config: string;
  /** Fields of the configuration that hold secrets (GET never returns them). */
  secrets: string[];
  /** Spellings of `leadDestination` naming it, lower case without separators. */
  names: string[];
}

/** The six lead targets CPP configures, in the order of §5.2. */
export const LEAD_TARGETS: readonly LeadTarget[] = [
  {
    config: "tableLeadConfiguration",
    secrets: ["storageAccountConnectionString"],
    names: ["azuretable", "table", "tablestorage", "azuretablestorage"],
  },
  {
    config: "blobLeadConfiguration",
    secrets: ["storageAccountConnectionString"],
    names: ["azureblob", "blob", "blobstorage", "azureblobstorage"],
  },
  {
    config: "crmLeadConfiguration",
    secrets: ["password"],
    names: ["dynamics", "dynamicscrm", "dynamicscrmonline", "crm", "dynamics365"],
  },
  { config: "marketoLeadConfiguration", secrets: ["clientSecret"], names: ["marketo"] },
  { config: "salesForceLeadConfiguration", secrets: [], names: ["salesforce"] },
  { config: "httpsEndpointLeadConfiguration", secrets: [], names: ["httpsendpoint", "https", "webhook"] },
];

/** True when a `leadDestination` value means "no lead target" (`None`, or empty). */
export function isNoLeadDestination(value: string): boolean {
  return value.trim() === "" || value.trim().toLowerCase() === "none";
}

/** The target a `leadDestination` value names, or undefined when no target spells it so. */
export function leadTargetOf(value: string): LeadTarget | undefined {
  const name = value.toLowerCase().replace(/[^a-z0-9]/g, "");
  return LEAD_TARGETS.find((t) => t.names.includes(name));
}
