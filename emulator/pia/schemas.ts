// SPDX-License-Identifier: Apache-2.0
// The synchronous schema check of a Product Ingestion API (PIA) `POST /configure` body: the
// envelope (docs/internals/api-notes.md §P5.1) and each resource by its `$schema` type
// (§P3.2–§P3.4), refused as a whole with 400 `schemaValidationError` (§P5.3) by the caller.
// The schemas are this project's own: one per resource type, shared by every accepted version of
// that type, written from the reference's tables with the published schemas' enums and limits
// ([S]) and loosened where public clients send more than those schemas allow (§P12). Closed
// sets only where the reference says the service refuses more (`vmProperties`, the reference
// forms); unknown top-level fields and the read-only fields clients echo are tolerated.
import Ajv from "ajv";
import type { ErrorObject, ValidateFunction } from "ajv";

/** What one schema check found wrong in a configure body. */
export interface SchemaProblem {
  /** Position of the resource in `resources`; absent for a problem of the envelope. */
  index?: number;
  /** The resource's request-local `resourceName`, when it has one (§P3.1). */
  resourceName?: string;
  /** The resource type its `$schema` names, when that URL could be read. */
  type?: string;
  /** JSON pointer of the faulty value: inside the resource when `index` is set, else inside the body. */
  path: string;
  /** One line naming the resource, the path and what is wrong: `resources[2] (plan "byol") /alias: is required`. */
  message: string;
}

/** The host of every schema URL the service accepts (§P1 "Schema hosts"). */
export const SCHEMA_HOST = "schema.mp.microsoft.com";

/** Versions of the configure envelope schema that are accepted (§P1 "Versions in use", §P12 "Configure"). */
export const CONFIGURE_VERSIONS: readonly string[] = ["2022-03-01-preview2", "2022-07-01"];

/** Most resources one configure body may carry (the reference gives no limit: a bound against abuse). */
export const MAX_RESOURCES = 1000;

/** Most problems one check reports; the rest are counted in a last summary problem. */
const MAX_PROBLEMS = 100;

const preview = (n: number): string => `2022-03-01-preview${n}`;
/** `2022-03-01-preview<from>` … `2022-03-01-preview<to>`. */
const previews = (from: number, to: number): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => preview(from + i));

/**
 * The schema versions of each resource type: `current` is the one §P3.2 lists (what the real
 * service writes today), `accepted` what a configure body may name. The accepted range runs from
 * preview2 (the version the published schemas are pinned at, [S]) to one preview past the newest
 * version known to be in use: the listed one, or for technical configurations preview6, which
 * clients send (§P12 "Configure": they echo what they read). Any other version is refused.
 */
export const SCHEMA_VERSIONS: Readonly<Record<string, { current: string; accepted: readonly string[] }>> = {
  product: { current: preview(3), accepted: previews(2, 4) },
  property: { current: preview(5), accepted: previews(2, 6) },
  listing: { current: preview(5), accepted: previews(2, 6) },
  "listing-asset": { current: preview(5), accepted: previews(2, 6) },
  "listing-trailer": { current: preview(5), accepted: previews(2, 6) },
  plan: { current: preview(2), accepted: previews(2, 3) },
  "plan-listing": { current: preview(5), accepted: previews(2, 6) },
  "price-and-availability-offer": { current: preview(3), accepted: previews(2, 4) },
  "price-and-availability-plan": { current: preview(4), accepted: previews(2, 5) },
  "virtual-machine-plan-technical-configuration": { current: preview(3), accepted: previews(2, 7) },
  "core-virtual-machine-plan-technical-configuration": { current: preview(5), accepted: previews(2, 7) },
  submission: { current: preview(2), accepted: previews(2, 3) },
  reseller: { current: preview(2), accepted: previews(2, 3) },
  "customer-leads": { current: preview(3), accepted: previews(2, 4) },
  "test-drive": { current: preview(2), accepted: previews(2, 3) },
};

/** The resource types a configure body may carry: those of a VM offer (§P3.2). */
export const KNOWN_TYPES: readonly string[] = Object.freeze(Object.keys(SCHEMA_VERSIONS));

/** `https://<host>/schema/<type>/<version>`; the version is a date with an optional `-preview<n>`-like suffix. */
const SCHEMA_URL =
  /^https:\/\/([A-Za-z0-9.-]{1,253})\/schema\/([a-z][a-z0-9]*(?:-[a-z0-9]+)*)\/(\d{4}-\d{2}-\d{2}(?:-[a-z]+\d*)?)$/;

/**
 * The resource type named by a `$schema` URL (`https://schema.mp.microsoft.com/schema/<type>/<version>`),
 * or undefined when the value is not such a URL. Any host is parsed and reported (lower-cased), so
 * that the caller can answer the retired `product-ingestion.azureedge.net` as the service does
 * (§P1 "Schema hosts"); the type and version are not checked against the known ones.
 */
export function schemaType(url: unknown): { type: string; version: string; host: string } | undefined {
  if (typeof url !== "string" || url.length > 400) return undefined;
  const m = SCHEMA_URL.exec(url);
  if (!m) return undefined;
  return { host: m[1].toLowerCase(), type: m[2], version: m[3] };
}

// ---------------------------------------------------------------------------------------------
// Schema building blocks. Two annotation keywords of our own steer the messages (formatError):
// `problem` replaces the message of an error raised by the schema that carries it (used where
// the plain keyword message would not say why, e.g. a field forbidden by an if/then rule);
// `context` is appended to it (e.g. "when family is linux").

type Schema = Record<string, unknown>;

/**
 * Durable ids (§P3.1): `<type>/<ids>`. The same strings as the published pattern of §P3.1
 * (a lower-case type with single '-', then '/'-separated parts of letters, digits and '-'),
 * written without its nested quantifiers, which backtrack exponentially on a long hostile value.
 */
const DURABLE_ID = "^[a-z][a-z0-9]*(?:-[a-z0-9]+)*/[a-z0-9-]+(?:/[a-z0-9-]+)*$";
/** The durable-id pattern as a RegExp (emulator/pia/ids.ts parses ids with it too). */
export const DURABLE_ID_RE = new RegExp(DURABLE_ID, "u");
/** Product external id = CPP offerId, 3–50 characters (§P3.1). */
const PRODUCT_EXTERNAL_ID = "^[a-z0-9][a-z0-9-_]{2,49}$";
/** Plan external id = CPP planId, 1–50 characters (§P3.1). */
const PLAN_EXTERNAL_ID = "^[a-z0-9-_]{1,50}$";
/** Names a reference may use for another resource of the same request ([S] resource-reference). */
const RESOURCE_NAME_REF = "^[a-zA-Z0-9-_]+$";
const HTTP_URL = "^https?://";
/** ISO 8601 durations such as P90D or P1Y2M (deprecationSchedule.dateOffset, §P3.1). */
const ISO_DURATION = "^P(?:\\d+Y)?(?:\\d+M)?(?:\\d+W)?(?:\\d+D)?(?:T(?:\\d+H)?(?:\\d+M)?(?:\\d+(?:\\.\\d+)?S)?)?$";

const str = (extra: Schema = {}): Schema => ({ type: "string", ...extra });
const text = (max?: number): Schema => str(max === undefined ? {} : { maxLength: max });
const bool: Schema = { type: "boolean" };
const nonNegative: Schema = { type: "number", minimum: 0 };
const oneOfValues = (...values: string[]): Schema => ({ enum: values });
const httpUrl: Schema = str({ pattern: HTTP_URL, problem: "must be an http(s) URL" });
/** A field that an if/then rule forbids, with why. */
const absent = (why: string): Schema => ({ not: {}, problem: `is not allowed ${why}` });
const durableId: Schema = str({
  pattern: DURABLE_ID,
  maxLength: 400,
  problem: "must be a durable id such as product/<guid> (lower-case letters, digits and '-', parts separated by '/')",
});

/**
 * A resource reference (§P3.1): a durable-id string, `{"externalId"}` (only in properties named
 * `product` or `plan`, with that resource's external-id pattern), or `{"resourceName"}` naming
 * another resource of the request. Exactly one key in the object forms.
 */
function reference(kind: "product" | "plan" | "other"): Schema {
  const objectForm: Schema = {
    resourceName: str({ minLength: 1, maxLength: 50, pattern: RESOURCE_NAME_REF }),
  };
  if (kind === "product") objectForm.externalId = str({ pattern: PRODUCT_EXTERNAL_ID });
  if (kind === "plan") objectForm.externalId = str({ pattern: PLAN_EXTERNAL_ID });
  const forms =
    kind === "other"
      ? 'a durable id or {"resourceName": "…"}'
      : 'a durable id, {"externalId": "…"} or {"resourceName": "…"}';
  return {
    if: { type: "string" },
    then: durableId,
    else: {
      type: "object",
      minProperties: 1,
      maxProperties: 1,
      additionalProperties: false,
      properties: objectForm,
      problem: `must be ${forms}`,
    },
  };
}

/** lifecycleState: the full enum of §P3.1, or the subset a type's schema allows. */
const LIFECYCLE_STATES = [
  "notAvailable",
  "neverUsed",
  "test",
  "preview",
  "generallyAvailable",
  "deprecated",
  "decommissioned",
  "deleted",
];
const lifecycle = (...states: string[]): Schema => oneOfValues(...(states.length ? states : LIFECYCLE_STATES));

/**
 * deprecationSchedule (§P3.1); `date` is read-only (echoes are tolerated). `null` is accepted:
 * clients whose models serialise an unset field as null send it (§P12).
 */
const deprecationSchedule: Schema = {
  type: ["object", "null"],
  properties: {
    date: str(),
    dateOffset: str({ pattern: ISO_DURATION, minLength: 2, problem: "must be an ISO 8601 duration such as P90D" }),
    reason: oneOfValues("criticalSecurityIssue", "endOfSupport", "other"),
    alternative: {
      type: "object",
      minProperties: 1,
      maxProperties: 1,
      additionalProperties: false,
      properties: { product: reference("product"), plan: reference("plan") },
      problem: 'must be {"product": …} or {"plan": …}',
    },
  },
};

/**
 * A resource schema: the fields every resource may carry (`$schema`, `id`, `resourceName`, the
 * read-only `validations`, `lifecycleState`) plus the type's own. Unknown top-level fields are
 * accepted: clients post back what they read (§P12 "Configure").
 */
function resource(properties: Schema, required: string[], rules: Schema[] = []): Schema {
  return {
    type: "object",
    required: ["$schema", ...required],
    properties: {
      $schema: str(),
      // null reads as absent (serialisers write unset fields as null): a submission without an id.
      id: { anyOf: [durableId, { type: "null" }] },
      resourceName: str({ minLength: 1, maxLength: 50 }),
      validations: { type: "array" },
      lifecycleState: lifecycle(),
      ...properties,
    },
    ...(rules.length ? { allOf: rules } : {}),
  };
}

/** `if <field> is <value> then <schema>` (the field must be present for the rule to apply). */
const when = (field: string, value: unknown, then: Schema): Schema => ({
  if: { properties: { [field]: { const: value } }, required: [field] },
  then,
});

const contact: Schema = {
  type: "object",
  properties: { name: str(), email: str(), phone: str(), url: httpUrl },
};

const audiences: Schema = {
  type: ["array", "null"],
  items: {
    type: "object",
    properties: {
      type: oneOfValues("none", "subscription", "ea", "msdn", "tenant"),
      id: str({ minLength: 1, maxLength: 50 }),
      label: text(1000),
    },
  },
};

// ---- price-and-availability-plan (§P3.2, §P3.3) ----

const PRICE_FIELDS: Record<string, string | undefined> = {
  free: undefined,
  flat: "price",
  perCore: "pricePerCore",
  perCoreSize: "pricePerCoreSize",
  perMarketAndCoreSize: "prices",
};
const priceMap: Schema = { type: "object", additionalProperties: nonNegative };
/** corePricing: exactly the price field of its priceInputOption, none for `free` (§P3.3). */
const corePricing: Schema = {
  type: "object",
  required: ["priceInputOption"],
  properties: {
    priceInputOption: oneOfValues(...Object.keys(PRICE_FIELDS)),
    price: nonNegative,
    pricePerCore: nonNegative,
    pricePerCoreSize: priceMap,
    prices: {
      type: "array",
      items: {
        type: "object",
        required: ["currency", "markets", "prices"],
        properties: {
          currency: str({ pattern: "^[a-z]{3}$", problem: "must be a lower-case ISO 4217 currency code such as usd" }),
          markets: {
            type: "array",
            items: str({ pattern: "^[a-z]{2,3}$", problem: "must be a lower-case market code" }),
          },
          prices: priceMap,
        },
      },
    },
  },
  allOf: Object.entries(PRICE_FIELDS).map(([option, field]) => {
    const why = `when priceInputOption is ${option}`;
    const others = Object.values(PRICE_FIELDS).filter((f): f is string => f !== undefined && f !== field);
    return when("priceInputOption", option, {
      ...(field ? { required: [field], problem: `is required ${why}` } : {}),
      properties: Object.fromEntries(others.map((f) => [f, absent(why)])),
    });
  }),
};

const priceAndAvailabilityPlan = resource(
  {
    product: reference("product"),
    plan: reference("plan"),
    visibility: oneOfValues("visible", "hidden"),
    audience: oneOfValues("public", "private"),
    privateAudiences: audiences,
    customerMarkets: oneOfValues("customMarkets", "allMarkets", "allTaxRemittedMarkets"),
    markets: {
      type: "array",
      items: str({ pattern: "^[a-z]{2,3}$", problem: "must be a lower-case market code such as us" }),
    },
    pricing: {
      type: "object",
      properties: { licenseModel: oneOfValues("byol", "payAsYouGo"), corePricing },
      allOf: [when("licenseModel", "byol", { properties: { corePricing: absent("when licenseModel is byol") } })],
    },
    trial: {
      type: ["object", "null"],
      required: ["type", "value"],
      properties: { type: oneOfValues("day", "week", "month", "year"), value: nonNegative },
    },
    softwareReservation: {
      type: ["array", "null"],
      items: {
        type: "object",
        required: ["type", "term", "percentageSave"],
        properties: {
          type: oneOfValues("month", "year"),
          term: nonNegative,
          percentageSave: { type: "number", minimum: 0, maximum: 100 },
        },
      },
    },
    billingTag: str(),
  },
  ["product", "plan", "visibility", "audience"],
  [
    // `markets` is forbidden when customerMarkets covers all markets (§P3.2).
    when("customerMarkets", "allMarkets", { properties: { markets: absent("when customerMarkets is allMarkets") } }),
    when("customerMarkets", "allTaxRemittedMarkets", {
      properties: { markets: absent("when customerMarkets is allTaxRemittedMarkets") },
    }),
  ],
);

// ---- technical configurations (§P3.4) ----

const LINUX_TYPES = [
  "debian",
  "centos",
  "openSolaris",
  "redHat",
  "ubuntu",
  "suse",
  "cblMariner",
  "oracleLinux",
  "other",
];
const WINDOWS_TYPES = [
  "windowsServer2008R2",
  "windowsServer2012",
  "windowsServer2012R2",
  "windowsServer2012R2Datacenter",
  "windowsServer2016",
  "windowsServer2019",
  "windowsServer2022",
  "windowsServer2022DatacenterAzureEdition",
  "windowsServerVersion20H2",
  "windowsServerVersion2004",
  "other",
];
/** x64Gen1/x64Gen2 of the preview2 schema, and arm64Gen2 that clients send (§P3.4). */
const IMAGE_TYPES = ["x64Gen1", "x64Gen2", "arm64Gen2"];

/**
 * vmProperties a regular VM technical configuration accepts: those of the published schema [S].
 * Any other is refused with a schema error (§P3.4, §P12).
 */
const VM_PROPERTIES = [
  "isNetworkVirtualAppliance",
  "requiresCustomArmTemplate",
  "supportsAadLogin",
  "supportsAcceleratedNetworking",
  "supportsBackup",
  "supportsCloudInit",
  "supportsExtensions",
  "supportsHibernation",
  "supportsNVMe",
  "supportsRemoteConnection",
];
/** Core VM offers also accept supportsSriov (and supportsBackup, already in the set) (§P3.4, §P12). */
const CORE_VM_PROPERTIES = [...VM_PROPERTIES, "supportsSriov"];

const imageType: Schema = oneOfValues(...IMAGE_TYPES);

const imageSource: Schema = {
  type: "object",
  required: ["sourceType"],
  properties: {
    sourceType: oneOfValues("sasUri", "sharedImageGallery"),
    osDisk: { type: "object", required: ["uri"], properties: { uri: httpUrl } },
    dataDisks: {
      type: "array",
      maxItems: 16,
      items: {
        type: "object",
        required: ["lunNumber", "uri"],
        properties: { lunNumber: { type: "integer", minimum: 0, maximum: 15 }, uri: httpUrl },
      },
    },
    sharedImage: {
      type: "object",
      required: ["tenantId", "resourceId"],
      properties: { tenantId: str({ minLength: 1 }), resourceId: str({ minLength: 1 }) },
    },
  },
  allOf: [
    when("sourceType", "sasUri", {
      required: ["osDisk"],
      problem: "is required when sourceType is sasUri",
      properties: { sharedImage: absent("when sourceType is sasUri") },
    }),
    when("sourceType", "sharedImageGallery", {
      required: ["sharedImage"],
      problem: "is required when sourceType is sharedImageGallery",
      properties: {
        osDisk: absent("when sourceType is sharedImageGallery"),
        dataDisks: absent("when sourceType is sharedImageGallery"),
      },
    }),
  ],
};

const vmImageVersion: Schema = {
  type: "object",
  required: ["versionNumber", "vmImages"],
  properties: {
    // Components may be large (2026.12.01, 9.7.202512150: §P12); only the shape is checked.
    versionNumber: str({ pattern: "^\\d+\\.\\d+\\.\\d+$", maxLength: 32 }),
    lifecycleState: lifecycle("generallyAvailable", "deprecated", "deleted"),
    // `deprecated` without a schedule is used in production (§P12): the schedule stays optional.
    deprecationSchedule,
    vmImages: {
      type: "array",
      minItems: 1,
      maxItems: 2,
      items: { type: "object", required: ["imageType", "source"], properties: { imageType, source: imageSource } },
    },
  },
};

function technicalConfiguration(core: boolean): Schema {
  const known = core ? CORE_VM_PROPERTIES : VM_PROPERTIES;
  return resource(
    {
      product: reference("product"),
      plan: reference("plan"),
      basePlan: reference("other"),
      reuseTechnicalConfigurationState: oneOfValues("enable", "detach"),
      ...(core ? { softwareType: oneOfValues("operatingSystem", "solution") } : {}),
      operatingSystem: {
        type: "object",
        required: ["family", "type"],
        properties: {
          family: oneOfValues("linux", "windows"),
          type: str(),
          friendlyName: str({ minLength: 1, maxLength: 100 }),
        },
        allOf: [
          when("family", "linux", { properties: { type: { enum: LINUX_TYPES, context: "when family is linux" } } }),
          when("family", "windows", {
            properties: { type: { enum: WINDOWS_TYPES, context: "when family is windows" } },
          }),
        ],
      },
      recommendedVmSizes: { type: "array", maxItems: 6, items: str({ minLength: 1 }) },
      openPorts: {
        type: "array",
        maxItems: 100,
        items: {
          type: "object",
          required: ["label", "portRange", "protocol"],
          properties: {
            label: str({ minLength: 1, maxLength: 20 }),
            portRange: str({
              pattern: "^\\d{1,5}(?:\\s*-\\s*\\d{1,5})?$",
              problem: "must be a port or a port range such as 22 or 8000-8080",
            }),
            protocol: oneOfValues("tcp", "udp", "both"),
          },
        },
      },
      vmProperties: {
        type: "object",
        additionalProperties: false,
        properties: Object.fromEntries(known.map((p) => [p, bool])),
      },
      skus: {
        type: "array",
        minItems: 1,
        maxItems: 2,
        items: {
          type: "object",
          required: ["skuId", "imageType"],
          properties: {
            skuId: str({ pattern: "^[a-z0-9-_]+$", maxLength: 50 }),
            imageType,
            // Newer than the preview2 schema; values are not documented (§P3.4).
            securityType: { type: "array", items: str({ minLength: 1 }) },
          },
        },
      },
      vmImageVersions: { type: "array", items: vmImageVersion },
    },
    core ? ["product", "plan", "softwareType"] : ["product", "plan"],
  );
}

// ---- customer-leads (§P3.2): exactly the configuration of the chosen destination ----

const LEAD_CONFIGURATIONS: Record<string, string | undefined> = {
  none: undefined,
  blob: "blobLeadConfiguration",
  dynamics: "dynamicsLeadConfiguration",
  email: "emailLeadConfiguration",
  httpsEndpoint: "httpsEndpointLeadConfiguration",
  marketo: "marketoLeadConfiguration",
  salesforce: "salesforceLeadConfiguration",
  table: "tableLeadConfiguration",
};
const leadConfigurationNames = Object.values(LEAD_CONFIGURATIONS).filter((c): c is string => c !== undefined);

const customerLeads = resource(
  {
    product: reference("product"),
    leadDestination: oneOfValues(...Object.keys(LEAD_CONFIGURATIONS)),
    // Contents unchecked: secrets come as values or as a masked placeholder whose form is open (§P10).
    ...Object.fromEntries(leadConfigurationNames.map((c) => [c, { type: "object" }])),
  },
  ["product", "leadDestination"],
  Object.entries(LEAD_CONFIGURATIONS).map(([destination, own]) => {
    const why = `when leadDestination is ${destination}`;
    return when("leadDestination", destination, {
      ...(own ? { required: [own], problem: `is required ${why}` } : {}),
      properties: Object.fromEntries(leadConfigurationNames.filter((c) => c !== own).map((c) => [c, absent(why)])),
    });
  }),
);

// ---- the schema of each type ----

const PRODUCT_TYPES = [
  "azureApplication",
  "azureContainer",
  "azureVirtualMachine",
  "consultingService",
  "containerApp",
  "coreVirtualMachine",
  "cosellOnly",
  "dynamics365BusinessCentral",
  "dynamics365ForCustomerEngagement",
  "dynamics365ForOperations",
  "iotEdgeModule",
  "managedService",
  "powerBiApp",
  "powerBiVisual",
  "softwareAsAService",
  "xbox360NonBackcompat",
];
const TARGET_TYPES = ["draft", "preview", "live", "flight", "sandbox", "certification", "retail"];

const SCHEMAS: Record<string, Schema> = {
  product: resource(
    {
      identity: {
        type: "object",
        required: ["externalId"],
        properties: { externalId: str({ pattern: PRODUCT_EXTERNAL_ID }) },
      },
      type: oneOfValues(...PRODUCT_TYPES),
      alias: text(120),
      lifecycleState: lifecycle("generallyAvailable", "deprecated", "deleted"),
      deprecationSchedule,
      productGroup: reference("other"),
    },
    ["identity", "type", "alias"],
  ),
  property: resource(
    {
      kind: { const: "azureVM" },
      product: reference("product"),
      categories: { type: "object", additionalProperties: { type: "array", items: str() } },
      termsConditions: oneOfValues("custom", "standardMicrosoft"),
      termsOfUse: str(),
      termsOfUseUrl: str(),
      standardContractAmendment: str(),
      customAmendments: { type: "array" },
      lifecycleState: lifecycle("generallyAvailable", "deleted"),
    },
    ["kind", "product", "categories", "termsConditions"],
  ),
  listing: resource(
    {
      kind: { const: "azureVM" },
      product: reference("product"),
      languageId: str({ minLength: 1 }),
      title: str(),
      searchResultSummary: str(),
      shortDescription: str(),
      description: str(),
      privacyPolicyLink: str(),
      generalLinks: {
        type: "array",
        items: { type: "object", required: ["displayText", "link"], properties: { displayText: str(), link: httpUrl } },
      },
      supportContact: contact,
      engineeringContact: contact,
      cloudSolutionProviderContact: contact,
      globalSupportWebsite: str(),
      governmentSupportWebsite: str(),
      cloudSolutionProviderMarketingMaterials: str(),
      lifecycleState: lifecycle("generallyAvailable", "deleted"),
    },
    ["kind", "product", "languageId"],
  ),
  "listing-asset": resource(
    {
      kind: { const: "azure" },
      product: reference("product"),
      listing: reference("other"),
      languageId: str({ minLength: 1 }),
      type: oneOfValues(
        "azureLogoSmall",
        "azureLogoMedium",
        "azureLogoLarge",
        "azureLogoWide",
        "azureLogoScreenshot",
        "azureLogoHero",
        "pdfDocument",
      ),
      url: httpUrl,
      fileName: str(),
      friendlyName: str(),
      description: str(),
      displayOrder: { type: "integer", minimum: 0 },
      lifecycleState: lifecycle("generallyAvailable", "deleted"),
    },
    ["kind", "product", "listing", "languageId", "type"],
  ),
  "listing-trailer": resource(
    {
      kind: { const: "azure" },
      product: reference("product"),
      listing: reference("other"),
      streamingUrl: httpUrl,
      assets: {
        type: "object",
        additionalProperties: {
          type: "object",
          required: ["title", "imageList"],
          properties: {
            title: str(),
            imageList: {
              type: "array",
              minItems: 1,
              maxItems: 1,
              items: { type: "object", required: ["url"], properties: { url: httpUrl } },
            },
          },
        },
      },
      lifecycleState: lifecycle("generallyAvailable", "deleted"),
    },
    ["kind", "product", "listing"],
  ),
  plan: resource(
    {
      product: reference("product"),
      identity: {
        type: "object",
        required: ["externalId"],
        properties: { externalId: str({ pattern: PLAN_EXTERNAL_ID }) },
      },
      alias: str({ minLength: 1, maxLength: 125 }),
      azureRegions: {
        type: "array",
        uniqueItems: true,
        items: oneOfValues("azureGlobal", "azureGovernment", "azureGermany", "azureChina"),
      },
      azureGovernmentCertifications: {
        type: "array",
        maxItems: 100,
        items: { type: "object", properties: { name: str(), link: str() } },
      },
      displayRank: { type: "number" },
      subtype: oneOfValues("managedApplication", "solutionTemplate"),
      lifecycleState: lifecycle("generallyAvailable", "deprecated", "deleted"),
      deprecationSchedule,
    },
    ["product", "identity", "alias"],
  ),
  "plan-listing": resource(
    {
      kind: { const: "azureVM-plan" },
      product: reference("product"),
      plan: reference("plan"),
      languageId: str({ minLength: 1 }),
      name: str(),
      summary: str(),
      description: str(),
      lifecycleState: lifecycle("generallyAvailable", "deleted"),
    },
    ["kind", "product", "plan", "languageId"],
  ),
  "price-and-availability-offer": resource({ product: reference("product"), previewAudiences: audiences }, [
    "product",
    "previewAudiences",
  ]),
  "price-and-availability-plan": priceAndAvailabilityPlan,
  "virtual-machine-plan-technical-configuration": technicalConfiguration(false),
  "core-virtual-machine-plan-technical-configuration": technicalConfiguration(true),
  submission: resource(
    {
      product: reference("product"),
      target: { type: "object", required: ["targetType"], properties: { targetType: oneOfValues(...TARGET_TYPES) } },
      lifecycleState: lifecycle("generallyAvailable", "deprecated"),
      deprecationSchedule,
      // Read-only; clients echo what they read (§P12), so any string is tolerated.
      status: str(),
      result: str(),
      created: str(),
    },
    ["product", "target"],
  ),
  reseller: resource(
    {
      product: reference("product"),
      resellerChannelState: oneOfValues("notSet", "none", "some", "all", "terminated"),
      audiences: { type: ["array", "null"] },
    },
    ["product", "resellerChannelState"],
  ),
  "customer-leads": customerLeads,
  "test-drive": resource(
    {
      product: reference("product"),
      enabled: bool,
      type: oneOfValues(
        "azureResourceManager",
        "dynamicsForBusinessCentral",
        "dynamicsForCustomerEngagement",
        "dynamicsForOperations",
        "logicApp",
        "powerBi",
      ),
    },
    ["product", "enabled"],
    [when("enabled", true, { required: ["type"], problem: "is required when enabled is true" })],
  ),
};

/** The envelope of §P5.1; each resource is then checked on its own (validateResource). */
const ENVELOPE: Schema = {
  type: "object",
  required: ["$schema", "resources"],
  properties: {
    $schema: str(),
    resources: { type: "array", minItems: 1, maxItems: MAX_RESOURCES },
  },
};

interface Compiled {
  envelope: ValidateFunction;
  byType: Map<string, ValidateFunction>;
}
let compiled: Compiled | undefined;

/** The validators, compiled on first use and kept for the life of the process. */
function validators(): Compiled {
  if (compiled) return compiled;
  // verbose: errors carry their schema, which holds our `problem`/`context` annotations.
  const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
  ajv.addKeyword({ keyword: "problem", schemaType: "string" });
  ajv.addKeyword({ keyword: "context", schemaType: "string" });
  const byType = new Map<string, ValidateFunction>();
  for (const [type, schema] of Object.entries(SCHEMAS)) byType.set(type, ajv.compile(schema));
  compiled = { envelope: ajv.compile(ENVELOPE), byType };
  return compiled;
}

// ---------------------------------------------------------------------------------------------
// Messages

const pointer = (segment: string): string => "/" + segment.replace(/~/g, "~0").replace(/\//g, "~1");
const plural = (n: number, word: string, words = `${word}s`): string => `${n} ${n === 1 ? word : words}`;
const A_TYPE: Record<string, string> = {
  string: "a string",
  number: "a number",
  integer: "an integer",
  boolean: "a boolean (true or false)",
  object: "an object",
  array: "an array",
  null: "null",
};
const shown = (v: unknown): string => {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? s.slice(0, 57) + "…" : s;
};

/** The path and plain-words text of one ajv error; undefined for the redundant "if" errors. */
function formatError(e: ErrorObject): { path: string; text: string } | undefined {
  if (e.keyword === "if") return undefined;
  const parent = (e.parentSchema ?? {}) as Schema;
  const problem = typeof parent.problem === "string" ? parent.problem : undefined;
  const context = typeof parent.context === "string" ? ` ${parent.context}` : "";
  const p = e.params as Record<string, any>;
  let path = e.instancePath;
  let base: string;
  switch (e.keyword) {
    case "required":
      path += pointer(String(p.missingProperty));
      base = "is required";
      break;
    case "additionalProperties": {
      path += pointer(String(p.additionalProperty));
      const known = Object.keys((parent.properties ?? {}) as Schema);
      return {
        path,
        text: `is not a known property${known.length ? ` (expected one of: ${known.join(", ")})` : ""}`,
      };
    }
    case "type": {
      const types = String(p.type).split(",");
      base = `must be ${types.map((t) => A_TYPE[t] ?? t).join(" or ")}`;
      break;
    }
    case "enum":
      base = `must be one of ${(p.allowedValues as unknown[]).map(String).join(", ")} (got ${shown(e.data)})`;
      break;
    case "const":
      base = `must be ${shown(p.allowedValue)}`;
      break;
    case "pattern":
      base = `must match ${p.pattern}`;
      break;
    case "minLength":
      base = `must be at least ${plural(p.limit, "character")} long`;
      break;
    case "maxLength":
      base = `must be at most ${plural(p.limit, "character")} long`;
      break;
    case "minItems":
    case "maxItems": {
      const n = Array.isArray(e.data) ? ` (has ${e.data.length})` : "";
      base = `must have ${e.keyword === "minItems" ? "at least" : "at most"} ${plural(p.limit, "item")}${n}`;
      break;
    }
    case "minProperties":
      base = `must have at least ${plural(p.limit, "property", "properties")}`;
      break;
    case "maxProperties":
      base = `must have at most ${plural(p.limit, "property", "properties")}`;
      break;
    case "minimum":
      base = `must be at least ${p.limit}`;
      break;
    case "maximum":
      base = `must be at most ${p.limit}`;
      break;
    case "uniqueItems":
      base = `must not repeat an item (items ${p.j} and ${p.i} are equal)`;
      break;
    case "not":
    case "false schema":
      base = "is not allowed here";
      break;
    default:
      base = e.message ?? `fails ${e.keyword}`;
  }
  return { path, text: (problem ?? base) + context };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The label of a resource in messages: `resources[2] (plan "byol")`. */
function label(index: number, type: string | undefined, resourceName: string | undefined): string {
  const what = [type, resourceName === undefined ? undefined : shown(resourceName)].filter(Boolean).join(" ");
  return `resources[${index}]${what ? ` (${what})` : ""}`;
}

/** The schema check of one resource of the body (already known to be an object). */
function validateResource(index: number, res: Record<string, unknown>): SchemaProblem[] {
  const resourceName = typeof res.resourceName === "string" ? res.resourceName : undefined;
  const parsed = schemaType(res.$schema);
  const type = parsed?.type;
  const out: SchemaProblem[] = [];
  const add = (path: string, what: string) => {
    const where = `${label(index, type, resourceName)}${path ? ` ${path}` : ""}`;
    out.push({
      index,
      ...(resourceName !== undefined ? { resourceName } : {}),
      ...(type !== undefined ? { type } : {}),
      path,
      message: `${where}: ${what}`,
    });
  };
  if (res.$schema === undefined) {
    add("/$schema", `is required: a schema URL https://${SCHEMA_HOST}/schema/<type>/<version>`);
    return out;
  }
  if (!parsed) {
    add("/$schema", `must be a schema URL https://${SCHEMA_HOST}/schema/<type>/<version> (got ${shown(res.$schema)})`);
    return out;
  }
  if (parsed.host !== SCHEMA_HOST) add("/$schema", `must use the host ${SCHEMA_HOST}, not ${parsed.host}`);
  const versions = SCHEMA_VERSIONS[parsed.type];
  if (!versions) {
    add("/$schema", `unknown resource type "${parsed.type}" (known: ${KNOWN_TYPES.join(", ")})`);
    return out;
  }
  if (!versions.accepted.includes(parsed.version)) {
    add(
      "/$schema",
      `schema version ${parsed.version} of ${parsed.type} is not accepted (accepted: ${versions.accepted.join(", ")})`,
    );
  }
  const validate = validators().byType.get(parsed.type)!;
  if (!validate(res)) {
    for (const e of validate.errors ?? []) {
      const f = formatError(e);
      if (f) add(f.path, f.text);
    }
  }
  // The id must be one of this type (§P3.1: `<resource-type>/<ids>`; §P12: "id with its type prefix").
  if (typeof res.id === "string" && DURABLE_ID_RE.test(res.id)) {
    const prefix = res.id.slice(0, res.id.indexOf("/"));
    if (prefix !== parsed.type)
      add("/id", `must be the durable id of a ${parsed.type} resource (${parsed.type}/…), not of a ${prefix}`);
  }
  return out;
}

/**
 * Validates a whole configure body: the envelope and every resource. Empty array = valid.
 *
 * The envelope (docs/internals/api-notes.md §P5.1) needs a `$schema` naming the configure schema
 * in one of `CONFIGURE_VERSIONS` on `SCHEMA_HOST`, and `resources`: 1 to
 * `MAX_RESOURCES` objects. Each resource needs a `$schema` of a known type
 * (`KNOWN_TYPES`) in one of its accepted versions (`SCHEMA_VERSIONS`) and must match
 * that type's schema (§P3.2–§P3.4); two resources may not share a `resourceName` (it is what
 * references and error messages use, §P3.1). At most 100 problems are listed, the last one
 * counting any others. Never throws, whatever the body.
 */
export function validateConfigure(body: unknown): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  if (!isObject(body)) {
    return [{ path: "", message: 'body: must be a JSON object {"$schema": …, "resources": […]}' }];
  }
  const { envelope } = validators();
  if (!envelope(body)) {
    for (const e of envelope.errors ?? []) {
      const f = formatError(e);
      if (f) out.push({ path: f.path, message: `${f.path}: ${f.text}` });
    }
  }
  const parsed = schemaType(body.$schema);
  if (typeof body.$schema === "string") {
    const expected = `https://${SCHEMA_HOST}/schema/configure/<version>`;
    if (!parsed) out.push({ path: "/$schema", message: `/$schema: must be the configure schema URL ${expected}` });
    else if (parsed.type !== "configure")
      out.push({
        path: "/$schema",
        message: `/$schema: must name the configure schema (${expected}), not ${parsed.type}`,
      });
    else {
      if (parsed.host !== SCHEMA_HOST)
        out.push({ path: "/$schema", message: `/$schema: must use the host ${SCHEMA_HOST}, not ${parsed.host}` });
      if (!CONFIGURE_VERSIONS.includes(parsed.version))
        out.push({
          path: "/$schema",
          message: `/$schema: configure schema version ${parsed.version} is not accepted (accepted: ${CONFIGURE_VERSIONS.join(", ")})`,
        });
    }
  }
  const resources = body.resources;
  if (Array.isArray(resources) && resources.length <= MAX_RESOURCES) {
    const named = new Map<string, number>();
    resources.forEach((res, index) => {
      if (!isObject(res)) {
        out.push({ index, path: "", message: `resources[${index}]: must be a resource object with a $schema` });
        return;
      }
      out.push(...validateResource(index, res));
      if (typeof res.resourceName === "string") {
        const first = named.get(res.resourceName);
        if (first === undefined) named.set(res.resourceName, index);
        else {
          const type = schemaType(res.$schema)?.type;
          out.push({
            index,
            resourceName: res.resourceName,
            ...(type !== undefined ? { type } : {}),
            path: "/resourceName",
            message: `${label(index, type, res.resourceName)} /resourceName: is already used by resources[${first}]`,
          });
        }
      }
    });
  }
  // Distinct messages only (allErrors may reach one fault through two rules), at most MAX_PROBLEMS.
  const seen = new Set<string>();
  const unique = out.filter((p) => !seen.has(p.message) && (seen.add(p.message), true));
  if (unique.length <= MAX_PROBLEMS) return unique;
  const more = unique.length - (MAX_PROBLEMS - 1);
  return [...unique.slice(0, MAX_PROBLEMS - 1), { path: "", message: `… and ${more} more problems` }];
}
