// SPDX-License-Identifier: Apache-2.0
/**
 * The value tables of the translation (docs/internals/api-notes.md §P3.2–§P3.4, §P4): CPP
 * spellings on one side, PIA enum values on the other. A CPP value is matched by its spelling
 * lower-cased without separators (`Red Hat`, `RedHat` and `redhat` are one), and read back in the
 * canonical spelling of the table. Pure.
 */
import { LEAD_TARGETS } from "../schema/leads.js";

/** A CPP spelling lower-cased without separators: the key values are matched by. */
export function spellingKey(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/** A two-way table: canonical CPP spelling ⇄ PIA value, with extra CPP spellings accepted. */
export interface ValueTable {
  /** The PIA value of a CPP spelling, or undefined when the table has none. */
  toPia(cpp: string): string | undefined;
  /** The canonical CPP spelling of a PIA value, or undefined. */
  toCpp(pia: string): string | undefined;
  /** The CPP spellings, for messages. */
  readonly spellings: readonly string[];
}

/** Builds a {@link ValueTable} from `[canonical CPP, PIA, ...other CPP spellings]` rows. */
export function valueTable(rows: ReadonlyArray<readonly [string, string, ...string[]]>): ValueTable {
  const toPia = new Map<string, string>();
  const toCpp = new Map<string, string>();
  for (const [cpp, pia, ...others] of rows) {
    for (const spelling of [cpp, pia, ...others]) toPia.set(spellingKey(spelling), pia);
    toCpp.set(pia, cpp);
  }
  return {
    toPia: (cpp) => toPia.get(spellingKey(cpp)),
    toCpp: (pia) => toCpp.get(pia),
    spellings: rows.map((r) => r[0]),
  };
}

/** `operatingSystemFamily` → `operatingSystem.family`. */
export const OS_FAMILIES = valueTable([
  ["Linux", "linux"],
  ["Windows", "windows"],
]);

/** `osType` of a Linux plan → `operatingSystem.type` (§P3.4 enum). */
export const LINUX_OS_TYPES = valueTable([
  ["Debian", "debian"],
  ["CentOS", "centos"],
  ["OpenSolaris", "openSolaris"],
  ["RedHat", "redHat", "rhel", "redhatenterpriselinux"],
  ["Ubuntu", "ubuntu"],
  ["SUSE", "suse", "sles", "opensuse"],
  ["CBLMariner", "cblMariner", "mariner"],
  ["OracleLinux", "oracleLinux", "oracle"],
  ["Other", "other"],
]);

/** `osType` / `windowsOSType` of a Windows plan → `operatingSystem.type` (§P3.4 enum). */
export const WINDOWS_OS_TYPES = valueTable([
  ["WindowsServer2008R2", "windowsServer2008R2"],
  ["WindowsServer2012", "windowsServer2012"],
  ["WindowsServer2012R2", "windowsServer2012R2"],
  ["WindowsServer2012R2Datacenter", "windowsServer2012R2Datacenter"],
  ["WindowsServer2016", "windowsServer2016"],
  ["WindowsServer2019", "windowsServer2019"],
  ["WindowsServer2022", "windowsServer2022"],
  ["WindowsServer2022DatacenterAzureEdition", "windowsServer2022DatacenterAzureEdition"],
  ["WindowsServerVersion20H2", "windowsServerVersion20H2"],
  ["WindowsServerVersion2004", "windowsServerVersion2004"],
  ["Other", "other"],
]);

/** The OS type a plan with a family and no `osType` gets, read back as no `osType`. */
export const DEFAULT_OS_TYPE = "other";

/** `cloudAvailability` → `plan.azureRegions` (§P4). */
export const CLOUDS = valueTable([
  ["PublicAzure", "azureGlobal"],
  ["Fairfax", "azureGovernment", "azuregovernment", "usgov"],
  ["Mooncake", "azureChina", "china"],
  ["Blackforest", "azureGermany", "germany"],
]);

/** Listing logo key suffixes → `listing-asset.type` (§P4), in listing order. */
export const LOGO_TYPES: ReadonlyArray<readonly [cppSuffix: string, assetType: string]> = [
  ["smallLogo", "azureLogoSmall"],
  ["mediumLogo", "azureLogoMedium"],
  ["largeLogo", "azureLogoLarge"],
  ["wideLogo", "azureLogoWide"],
  ["heroLogo", "azureLogoHero"],
];

/**
 * `vmProperties` of a regular VM technical configuration (the published schema's list, §P3.4)
 * and the CPP spelling of each as a plan key suffix. Matched case-insensitively.
 */
export const VM_PROPERTIES: ReadonlyArray<readonly [pia: string, cpp: string]> = [
  ["isNetworkVirtualAppliance", "isNetworkVirtualAppliance"],
  ["requiresCustomArmTemplate", "requiresCustomArmTemplate"],
  ["supportsAadLogin", "supportsAADLogin"],
  ["supportsAcceleratedNetworking", "supportsAcceleratedNetworking"],
  ["supportsBackup", "supportsBackup"],
  ["supportsCloudInit", "supportsCloudInit"],
  ["supportsExtensions", "supportsExtensions"],
  ["supportsHibernation", "supportsHibernation"],
  ["supportsNVMe", "supportsNVMe"],
  ["supportsRemoteConnection", "supportsRemoteConnection"],
];

/** Core-VM technical configurations also take `supportsSriov` (§P3.4, §P12). */
export const COREVM_PROPERTIES: ReadonlyArray<readonly [pia: string, cpp: string]> = [
  ...VM_PROPERTIES,
  ["supportsSriov", "supportsSriov"],
];

/** A CPP lead target and its PIA form (§P3.2, §P4: renamed configurations, lower-camel values). */
export interface PiaLeadTarget {
  /** The CPP configuration key suffix, e.g. `crmLeadConfiguration`. */
  cppConfig: string;
  /** The canonical CPP `leadDestination` spelling this translation reads back. */
  cppDestination: string;
  /** `customer-leads.leadDestination`. */
  piaDestination: string;
  /** The PIA configuration field, e.g. `dynamicsLeadConfiguration`. */
  piaConfig: string;
}

const PIA_LEADS: Record<string, Omit<PiaLeadTarget, "cppConfig">> = {
  tableLeadConfiguration: {
    cppDestination: "AzureTable",
    piaDestination: "table",
    piaConfig: "tableLeadConfiguration",
  },
  blobLeadConfiguration: { cppDestination: "AzureBlob", piaDestination: "blob", piaConfig: "blobLeadConfiguration" },
  crmLeadConfiguration: {
    cppDestination: "Dynamics",
    piaDestination: "dynamics",
    piaConfig: "dynamicsLeadConfiguration",
  },
  marketoLeadConfiguration: {
    cppDestination: "Marketo",
    piaDestination: "marketo",
    piaConfig: "marketoLeadConfiguration",
  },
  salesForceLeadConfiguration: {
    cppDestination: "Salesforce",
    piaDestination: "salesforce",
    piaConfig: "salesforceLeadConfiguration",
  },
  httpsEndpointLeadConfiguration: {
    cppDestination: "HttpsEndpoint",
    piaDestination: "httpsEndpoint",
    piaConfig: "httpsEndpointLeadConfiguration",
  },
};

/** The six lead targets with their PIA names, in the order of schema/leads.ts. */
export const PIA_LEAD_TARGETS: readonly PiaLeadTarget[] = LEAD_TARGETS.map((t) => ({
  cppConfig: t.config,
  ...PIA_LEADS[t.config],
}));

/** `customer-leads.leadDestination` of "no lead target". */
export const NO_LEADS = "none";

/** `restrictedAudience.manualEntries[].type` → `privateAudiences[].type`. */
export const AUDIENCE_TYPES = valueTable([
  ["subscriptionId", "subscription", "subscription"],
  ["tenantId", "tenant", "tenant"],
]);

/** Core-VM `generation` → `skus[].imageType`; VM plans (no generation key) are Gen1. */
export const GENERATIONS: ReadonlyArray<readonly [generation: string, imageType: string]> = [
  ["1", "x64Gen1"],
  ["2", "x64Gen2"],
];

/** The image type of a plan without a generation: CPP VM images are Gen1 [I]. */
export const DEFAULT_IMAGE_TYPE = "x64Gen1";

/** `cspOfferOptIn` → `reseller.resellerChannelState`. */
export const RESELLER_ALL = "all";
/** `cspOfferOptIn: false` → `reseller.resellerChannelState`. */
export const RESELLER_NONE = "none";
