// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import fc from "fast-check";
import {
  definitionDifferences,
  definitionToPia,
  leavesOf,
  piaToDefinition,
  supportedDefinition,
  type Leaf,
  type PiaOfferTypeId,
  type PiaResource,
} from "../../../provider/pia-offer/index.js";
import { valueAt } from "../../../provider/pia-offer/reader.js";
import { spellingKey } from "../../../provider/pia-offer/vocabulary.js";
import { VM_CATEGORIES } from "../../../provider/schema/categories.js";
import { CORE_SIZE_KEYS } from "../../../provider/schema/core-sizes.js";
import { isSecretKey } from "../../../provider/util/secrets.js";
import { exportSeedOffers } from "../../helpers/export-offers.js";
import { coreVmDefinitionWithoutImages } from "../../helpers/images.js";
import { sampleDefinition } from "../../helpers/offers.js";

/**
 * Two properties over generated definitions (every key family of §P4, the unsupported ones, unknown
 * keys and wrongly typed values), for VM and core-VM offers:
 * - round trip: `piaToDefinition(definitionToPia(d).resources)` is `supportedDefinition(d)`, in
 *   any resource order;
 * - nothing dropped silently: every leaf of `d` is named (or an ancestor is) by a problem or an
 *   ignored path, is a value PIA cannot tell from its default, or reads back — so a key the
 *   translation takes and does not write fails it, whatever the normal form says.
 */
const VM: PiaOfferTypeId = "microsoft-azure-virtualmachines";
const CORE: PiaOfferTypeId = "microsoft-azure-corevm";
const RUNS = Number(process.env.PIA_OFFER_PROPERTY_RUNS ?? 300);

const text = fc.string({ maxLength: 10 });
const url = fc.webUrl({ validSchemes: ["https"] });
const price = fc.integer({ min: 0, max: 100_000 }).map((n) => n / 1000);
const wrong = fc.oneof(
  fc.integer(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 1 }),
  fc.constant({ a: 1 }),
);
const maybeWrong = <T>(a: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 9, arbitrary: a as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: wrong });
const cased = (...values: string[]) =>
  fc.oneof(...values.map((v) => fc.constantFrom(v, v.toLowerCase(), v.toUpperCase())));
const optional = <T extends Record<string, fc.Arbitrary<unknown>>>(fields: T) =>
  fc.record(fields, { requiredKeys: [] });
const prefixed = (ns: string, o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [ns + k, v]));

const categoryMap = fc
  .uniqueArray(fc.constantFrom(...Object.keys(VM_CATEGORIES)), { maxLength: 2 })
  .chain((l1s) =>
    fc.tuple(
      ...l1s.map((l1) =>
        fc
          .subarray([...VM_CATEGORIES[l1]], { maxLength: Math.min(2, VM_CATEGORIES[l1].length) })
          .map((l2) => ({ categoryL1: l1, ...(l2.length ? { [`categoryL2-${l1}`]: l2 } : {}) })),
      ),
    ),
  );
const leadConfig = fc.oneof(
  fc.constant({}),
  fc.dictionary(
    fc.constantFrom("contactEmail", "clientId", "storageAccountConnectionString", "password", "url"),
    text,
    {
      maxKeys: 3,
    },
  ),
);

function offerArb(kind: "vm" | "core"): fc.Arbitrary<Record<string, unknown>> {
  const ns = kind === "vm" ? "microsoft-azure-marketplace." : "microsoft-azure-corevm.";
  const listing = optional({
    title: maybeWrong(text),
    summary: text,
    longSummary: text,
    description: text,
    privacyURL: url,
    termsOfUse: text,
    offerMarketingUrlIdentifier: text,
    allowedSubscriptions: fc.array(fc.uuid(), { maxLength: 2 }),
    usefulLinks: fc.array(
      fc.oneof(
        fc.record({ linkTitle: text, linkUrl: url }),
        fc.record({ linkTitle: text, linkUrl: url, extra: text }),
        fc.record({ linkTitle: text }),
      ),
      { maxLength: 2 },
    ),
    categoryMap,
    categories: fc.array(text, { maxLength: 2 }),
    smallLogo: url,
    mediumLogo: url,
    largeLogo: url,
    wideLogo: url,
    heroLogo: url,
    screenshots: fc.array(url, { maxLength: 1 }),
    videos: fc.array(url, { maxLength: 1 }),
    leadDestination: cased(
      "None",
      "AzureTable",
      "AzureBlob",
      "Dynamics",
      "Marketo",
      "Salesforce",
      "HttpsEndpoint",
      "Pigeon",
    ),
    tableLeadConfiguration: leadConfig,
    marketoLeadConfiguration: leadConfig,
    crmLeadConfiguration: leadConfig,
    useEnterpriseContract: maybeWrong(fc.boolean()),
    cspOfferOptIn: fc.boolean(),
    engineeringContactName: text,
    engineeringContactEmail: text,
    supportContactPhone: text,
    publicAzureSupportUrl: fc.oneof(url, fc.constant("")),
    fairfaxSupportUrl: url,
    leadNotificationEmails: text,
    somethingNew: text,
  }).map((o) => prefixed(ns, o));
  const extra = optional({
    "microsoft-azure-marketplace-testdrive.enabled": fc.boolean(),
    "microsoft-azure-marketplace-testdrive.videos": fc.array(url, { maxLength: 1 }),
    "other-namespace.key": text,
    ...(kind === "vm"
      ? {
          "microsoft-azure-virtualmachines.gtmMaterials": text,
          "microsoft-azure-virtualmachines.managerContactName": text,
        }
      : { "microsoft-azure-corevm.legacyOfferId": text, "microsoft-azure-marketplace.title": text }),
  });
  return fc.tuple(listing, extra).map(([a, b]) => ({ ...a, ...b }));
}

const pricingArb = fc.oneof(
  fc.record(
    { isByol: fc.constant(true), freeTrialDurationInMonths: fc.constantFrom(0, 1) },
    { requiredKeys: ["isByol"] },
  ),
  fc.record(
    {
      isByol: fc.constant(false),
      freeTrialDurationInMonths: fc.constantFrom(0, 1, 3, 2),
      coreMultiplier: fc.oneof(
        fc.record({ currency: fc.constantFrom("USD", "usd", "EUR"), single: price }, { requiredKeys: ["single"] }),
        fc.record({
          currency: fc.constant("USD"),
          individually: fc.dictionary(fc.constantFrom(...CORE_SIZE_KEYS, "3core"), price, { minKeys: 1, maxKeys: 3 }),
        }),
        fc.record({ single: price, individually: fc.constant({ "1core": 1 }) }),
      ),
      spreadSheetPricing: fc.record({ uri: url }),
      regionPrices: fc.constantFrom({}, { US: { currency: "USD", single: 1 } }),
    },
    { requiredKeys: ["isByol"] },
  ),
  fc.record({ freeTrialDurationInMonths: fc.constant(0) }),
  wrong,
);

const imagesArb = fc.dictionary(
  fc.oneof(
    { weight: 5, arbitrary: fc.tuple(fc.nat(30), fc.nat(30), fc.nat(30)).map(([a, b, c]) => `${a}.${b}.${c}`) },
    { weight: 1, arbitrary: fc.constant("1.0") },
  ),
  fc.record(
    {
      osVhdUrl: url,
      lunVhdDetails: fc.array(
        fc.oneof(
          fc.record({ lun: fc.integer({ min: 0, max: 16 }), uri: url }),
          fc.record({ lun: fc.integer({ min: 0, max: 15 }), lunVhdUrl: url }),
        ),
        { maxLength: 2 },
      ),
      showInGui: fc.boolean(),
      mediaName: text,
      publishedDate: text,
    },
    { requiredKeys: [] },
  ),
  { maxKeys: 2 },
);

function planArb(kind: "vm" | "core"): fc.Arbitrary<Record<string, unknown>> {
  const ns = kind === "vm" ? "microsoft-azure-virtualmachines." : "microsoft-azure-corevm.";
  const namespaced = optional({
    skuTitle: maybeWrong(text),
    skuSummary: text,
    [kind === "vm" ? "skuDescription" : "skuDescriptionPublicAzure"]: text,
    hideSKUForSolutionTemplate: maybeWrong(fc.boolean()),
    cloudAvailability: fc.subarray(["PublicAzure", "Fairfax", "Mooncake", "Blackforest", "Mars", "PublicAzure"]),
    certificationsFairfax: fc.constantFrom([], [{ name: "FedRAMP" }]),
    supportsAcceleratedNetworking: fc.boolean(),
    supportsnvme: fc.boolean(),
    supportsAADLogin: fc.boolean(),
    supportsSriov: fc.boolean(),
    supportsHub: fc.boolean(),
    operatingSystemFamily: cased("Linux", "Windows", "BeOS"),
    osType: cased("Ubuntu", "RedHat", "Other", "WindowsServer2019", "Plan9"),
    windowsOSType: fc.constantFrom("WindowsServer2016"),
    [kind === "vm" ? "operationSystem" : "osFriendlyName"]: text,
    recommendedVMSizes: fc.array(fc.constantFrom("d2s-standard-v3", "a1-standard"), { maxLength: 2 }),
    openPorts: fc.array(
      fc.oneof(
        fc.record({
          label: text,
          portRange: fc.constantFrom("22", "8000-8080"),
          protocol: cased("tcp", "udp", "both"),
        }),
        fc.record({ port: fc.integer() }),
      ),
      { maxLength: 2 },
    ),
    [kind === "vm" ? "vmImages" : "vmImagesPublicAzure"]: fc.oneof(
      { weight: 4, arbitrary: imagesArb },
      { weight: 1, arbitrary: wrong },
    ),
    skuWhatever: text,
    ...(kind === "core"
      ? {
          generation: fc.constantFrom("1", "2", "3", 2),
          deploymentModels: fc.subarray(["ARM", "RDFE"]),
          vmImagesArchitecture: fc.constantFrom("X64", "Arm64"),
          skuLongSummary: text,
          hardened: fc.boolean(),
          migratedOffer: fc.boolean(),
          smallLogo: url,
        }
      : {}),
  }).map((o) => prefixed(ns, o));
  const plain = optional({
    regions: fc.subarray(["US", "GB", "DE", "jp"]),
    virtualMachinePricing: pricingArb,
    virtualMachinePricingV2: fc.constant({ isByol: true }),
    restrictedAudience: fc.oneof(
      fc.constant({}),
      fc.record({
        manualEntries: fc.array(
          fc.record(
            { type: fc.constantFrom("subscriptionId", "tenantId", "ea"), id: fc.uuid(), description: text },
            { requiredKeys: ["type", "id"] },
          ),
          { maxLength: 2 },
        ),
      }),
      fc.record({ uploadedCsvUri: url }),
    ),
    notAKey: text,
    ...(kind === "core" ? { diskGenerations: fc.constantFrom([], [{ planId: "child" }]) } : {}),
  });
  return fc
    .tuple(fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,8}$/), namespaced, plain)
    .map(([planId, a, b]) => ({ planId, ...a, ...b }));
}

function definitionArb(kind: "vm" | "core"): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .record(
      {
        displayText: maybeWrong(text),
        offer: offerArb(kind),
        plans: fc.uniqueArray(planArb(kind), { selector: (p) => p.planId, maxLength: 3 }),
        duplicate: fc.boolean(),
        status: fc.option(fc.constant("neverPublished"), { nil: undefined }),
      },
      { requiredKeys: ["offer", "plans", "duplicate"] },
    )
    .map(({ duplicate, plans, ...d }) => ({
      ...d,
      plans: duplicate && plans.length > 0 ? [...plans, { ...plans[0] }] : plans,
    }));
}

/** A stable shuffle: the tree's resource order is not stable (§P0), so the reading must not depend on it. */
function shuffled<T>(list: readonly T[], seed: number): T[] {
  const out = [...list];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function roundTrip(offerTypeId: PiaOfferTypeId, definition: unknown, seed = 0) {
  const input = { offerId: "gen-offer", offerTypeId, definition: definition as Record<string, unknown> };
  const res = definitionToPia(input);
  const back = piaToDefinition(shuffled(res.resources, seed), { offerTypeId });
  return { input, res, back, supported: supportedDefinition(input) };
}

// ---- the "nothing dropped silently" oracle ----

const FLAGS =
  /\.(hideSKUForSolutionTemplate|useEnterpriseContract|cspOfferOptIn|enabled|supports\w+|is\w+|requires\w+)$/i;

/** Leaves PIA cannot tell from their default: absent after a round trip, and rightly so. */
function isDefaultLeaf(leaf: Leaf): boolean {
  const { path, value } = leaf;
  const last = path.slice(path.lastIndexOf(".") + 1);
  if (Array.isArray(value) && value.length === 0) return true;
  if (value !== null && typeof value === "object" && Object.keys(value).length === 0) return true;
  if (value === false && FLAGS.test(path)) return true;
  if (value === true && path.endsWith(".showInGui")) return true;
  if (typeof value === "string") {
    if (path.endsWith("leadDestination") && spellingKey(value) === "none") return true;
    if (/\.(osType|windowsOSType)$/.test(path) && spellingKey(value) === "other") return true;
    if (/deploymentModels\[\d+\]$/.test(path) && value === "ARM") return true;
    if (path.endsWith("vmImagesArchitecture") && value === "X64") return true;
  }
  return isSecretKey(last);
}

const loose = (a: unknown, b: unknown) =>
  typeof a === "string" || typeof b === "string"
    ? b !== undefined && a !== undefined && spellingKey(String(a)) === spellingKey(String(b))
    : JSON.stringify(a) === JSON.stringify(b);

/**
 * A leaf path as looked up among the leaves read back: letter case aside (VM property keys have
 * one spelling), and any array index (an item a problem took out of a list moves the ones after
 * it; clouds read back deduplicated).
 */
const lookupKey = (path: string) => path.toLowerCase().replace(/\[\d+\]/g, "[*]");

/** Whether a leaf of the definition reads back (same path, modulo spelling, renames and list positions). */
function readsBack(leaf: Leaf, back: unknown, backLeaves: Map<string, unknown[]>): boolean {
  const renamed = leaf.path.replace(/\.windowsOSType$/, ".osType").replace(/\.lunVhdUrl$/, ".uri");
  for (const p of [leaf.path, renamed]) {
    if (loose(leaf.value, valueAt(back, p))) return true;
    if ((backLeaves.get(lookupKey(p)) ?? []).some((v) => loose(leaf.value, v))) return true;
  }
  return false;
}

/** The leaves of `definition` nothing accounts for: not a problem, not ignored, not a default, not read back. */
function unaccounted(offerTypeId: PiaOfferTypeId, definition: unknown): Leaf[] {
  const { res, back } = roundTrip(offerTypeId, definition);
  const named = new Set([...res.problems.map((p) => p.path), ...res.ignored]);
  const backLeaves = new Map<string, unknown[]>();
  for (const l of leavesOf(back.definition)) {
    const key = lookupKey(l.path);
    backLeaves.set(key, [...(backLeaves.get(key) ?? []), l.value]);
  }
  return leavesOf(definition).filter(
    (leaf) =>
      !leaf.ancestry.some((p) => named.has(p)) && !isDefaultLeaf(leaf) && !readsBack(leaf, back.definition, backLeaves),
  );
}

function expectRoundTrip(offerTypeId: PiaOfferTypeId, definition: unknown, seed = 0): void {
  const { back, supported } = roundTrip(offerTypeId, definition, seed);
  expect(back.problems, "reading what was written finds nothing unreadable").to.deep.equal([]);
  expect(definitionDifferences(back.definition, supported)).to.deep.equal([]);
}

function realisticInputs(): Array<[string, PiaOfferTypeId, unknown]> {
  const withImages = coreVmDefinitionWithoutImages(["gen1", "gen2"]) as unknown as {
    plans: Array<Record<string, unknown>>;
  };
  withImages.plans[1]["microsoft-azure-corevm.generation"] = "2";
  withImages.plans[1]["microsoft-azure-corevm.vmImagesPublicAzure"] = {
    "2024.1.0": {
      osVhdUrl: "https://x.blob.core.windows.net/v/a.vhd?sig=s",
      lunVhdDetails: [{ lun: 0, uri: "https://x/d" }],
    },
  };
  return [
    ["sampleDefinition()", VM, sampleDefinition()],
    ["sampleDefinition({ pricedPlans: true })", VM, sampleDefinition({ pricedPlans: true })],
    ["coreVmDefinitionWithoutImages()", CORE, coreVmDefinitionWithoutImages()],
    ["a core-VM definition with images", CORE, withImages],
    ...exportSeedOffers().map(
      (s) =>
        [`export seed ${String(s.offer.id)}`, s.offer.offerTypeId as PiaOfferTypeId, s.offer.definition] as [
          string,
          PiaOfferTypeId,
          unknown,
        ],
    ),
  ];
}

describe("pia-offer: round trip and nothing dropped silently", () => {
  for (const [name, type, definition] of realisticInputs()) {
    it(`${name}: reads back as its supported part, every leaf accounted for`, () => {
      expectRoundTrip(type, definition);
      expect(unaccounted(type, definition).map((l) => l.path)).to.deep.equal([]);
    });
  }

  for (const [kind, type] of [
    ["vm", VM],
    ["core", CORE],
  ] as const) {
    it(`property (${kind}): piaToDefinition(definitionToPia(d).resources) equals supportedDefinition(d), in any resource order`, () => {
      fc.assert(
        fc.property(definitionArb(kind), fc.nat(), (d, seed) => expectRoundTrip(type, d, seed)),
        { numRuns: RUNS },
      );
    });

    it(`property (${kind}): every leaf of a definition is a problem, ignored, a default or read back`, () => {
      fc.assert(
        fc.property(definitionArb(kind), (d) => {
          expect(unaccounted(type, d).map((l) => `${l.path} = ${JSON.stringify(l.value)}`)).to.deep.equal([]);
        }),
        { numRuns: RUNS },
      );
    });
  }

  it("the oracle catches a silent drop: a key taken and not written is unaccounted for", () => {
    const d = sampleDefinition({ pricedPlans: true });
    const { res } = roundTrip(VM, d);
    // Simulate a translation that loses the listing's privacy URL without a problem.
    const listing = res.resources.find((r) => r.$schema.includes("/listing/")) as PiaResource;
    delete listing.privacyPolicyLink;
    const back = piaToDefinition(res.resources, { offerTypeId: VM });
    const diffs = definitionDifferences(
      back.definition,
      supportedDefinition({ offerId: "gen-offer", offerTypeId: VM, definition: d }),
    );
    expect(diffs.map((x) => x.path)).to.deep.equal(["definition.offer.microsoft-azure-marketplace.privacyURL"]);
  });

  it("supportedDefinition is idempotent and a fixed point of the round trip", () => {
    fc.assert(
      fc.property(definitionArb("vm"), (d) => {
        const input = { offerId: "gen-offer", offerTypeId: VM, definition: d };
        const once = supportedDefinition(input);
        const twice = supportedDefinition({ ...input, definition: once });
        expect(definitionDifferences(twice, once)).to.deep.equal([]);
        expect(definitionToPia({ ...input, definition: once }).problems).to.deep.equal([]);
      }),
      { numRuns: Math.min(RUNS, 200) },
    );
  });
});
