// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { startEmulator } from "../../emulator/index.js";
import {
  definitionDifferences,
  definitionToPia,
  piaToDefinition,
  resourceContent,
  resourcesBySlot,
  supportedDefinition,
  type PiaOfferTypeId,
  type PiaResource,
} from "../../provider/pia-offer/index.js";
import type { PiaClient } from "../../provider/pia/index.js";
import { isRecord, jsonEqual } from "../../provider/util/json.js";
import { coreVmDefinitionWithoutImages } from "../helpers/images.js";
import { sampleDefinition } from "../helpers/offers.js";
import { emulatedWaits, PIA_PUB, piaClient, resetForPia } from "../helpers/pia-client.js";

/**
 * provider/pia-offer (the package's CPP ⇄ PIA translation) against emulator/pia (the emulator's,
 * written apart on purpose, docs/internals/architecture.md): each side's mistakes show as a
 * disagreement. Both directions, for the sample VM definition, a richer VM definition and a core-VM
 * definition with images:
 * - CPP → PIA: seed the CPP offer, read its PIA resource tree, compare it resource by resource and
 *   field by field with definitionToPia of the same definition; and read the tree back with
 *   piaToDefinition, to compare with the definition's supported part.
 * - PIA → CPP: post definitionToPia's resources for a new offer (configure, jobs on the emulated
 *   clock) and compare the CPP Draft the emulator holds with the definition's supported part.
 *
 * Not compared, as documented in provider/pia-offer: ids, references and `resourceName`s,
 * `$schema` versions, `validations`, `lifecycleState: generallyAvailable`, null fields, a field
 * that one side leaves out and the other writes empty (`[]`, `{}`: omitted and empty are one for
 * the reading, §P10.2), a customer-leads `none` that the other side leaves out, secrets (masked on
 * reads), the submission resource. Every other difference is listed: those of
 * {@link KNOWN_EMULATOR_DISAGREEMENTS} are known to be the emulator's (none today); anything
 * else fails the test.
 */
type Emulator = Awaited<ReturnType<typeof startEmulator>>;
const VM: PiaOfferTypeId = "microsoft-azure-virtualmachines";
const CORE: PiaOfferTypeId = "microsoft-azure-corevm";
const MP = "microsoft-azure-marketplace.";
const VMNS = "microsoft-azure-virtualmachines.";
const CVM = "microsoft-azure-corevm.";
const SAS = "sv=2022-11-02&sp=rl&se=2099-01-01T00%3A00%3A00Z&sig=planted-crosscheck-signature";

/** A VM definition with more of §P4's rows than the sample: leads, reseller, links, audience, sizes, disks, trial. */
function richVmDefinition() {
  const d = sampleDefinition({ pricedPlans: true }) as unknown as {
    displayText: string;
    offer: Record<string, unknown>;
    plans: Array<Record<string, unknown>>;
  };
  delete d.offer[MP + "offerMarketingUrlIdentifier"];
  Object.assign(d.offer, {
    [MP + "usefulLinks"]: [{ linkTitle: "Docs", linkUrl: "https://fabrikam.example/docs" }],
    [MP + "categoryMap"]: [
      { categoryL1: "networking", "categoryL2-networking": ["firewalls", "load-balancers"] },
      { categoryL1: "security", "categoryL2-security": ["threat-protection"] },
    ],
    [MP + "heroLogo"]: "https://fab.blob.core.windows.net/a/hero.png",
    [MP + "leadDestination"]: "AzureTable",
    [MP + "tableLeadConfiguration"]: {
      contactEmail: "leads@fabrikam.example",
      storageAccountConnectionString: "DefaultEndpointsProtocol=https;AccountName=leads;AccountKey=planted",
    },
    [MP + "useEnterpriseContract"]: true,
    [MP + "cspOfferOptIn"]: true,
    [MP + "publicAzureSupportUrl"]: "https://fabrikam.example/support",
    [MP + "fairfaxSupportUrl"]: "https://fabrikam.example/gov-support",
  });
  const [byol, payg] = d.plans;
  Object.assign(byol, {
    [VMNS + "hideSKUForSolutionTemplate"]: true,
    [VMNS + "cloudAvailability"]: ["PublicAzure", "Fairfax"],
    [VMNS + "supportsAcceleratedNetworking"]: true,
    [VMNS + "supportsNVMe"]: true,
    [VMNS + "supportsCloudInit"]: true,
    [VMNS + "recommendedVMSizes"]: ["d2s-standard-v3", "d4s-standard-v3"],
    [VMNS + "openPorts"]: [{ label: "https", portRange: "443", protocol: "tcp" }],
    restrictedAudience: {
      manualEntries: [{ type: "subscriptionId", id: "aaaaaaaa-0000-0000-0000-000000000002", description: "Fabrikam" }],
    },
    [VMNS + "vmImages"]: {
      "1.0.0": {
        osVhdUrl: `https://fab.blob.core.windows.net/vhd/os-1.vhd?${SAS}`,
        lunVhdDetails: [
          { lun: 0, uri: `https://fab.blob.core.windows.net/vhd/d0-1.vhd?${SAS}` },
          { lun: 1, uri: `https://fab.blob.core.windows.net/vhd/d1-1.vhd?${SAS}` },
        ],
      },
      "1.1.0": {
        osVhdUrl: `https://fab.blob.core.windows.net/vhd/os-2.vhd?${SAS}`,
        lunVhdDetails: [
          { lun: 0, uri: `https://fab.blob.core.windows.net/vhd/d0-2.vhd?${SAS}` },
          { lun: 1, uri: `https://fab.blob.core.windows.net/vhd/d1-2.vhd?${SAS}` },
        ],
      },
    },
  });
  Object.assign(payg, {
    regions: ["US", "GB", "DE"],
    [VMNS + "operatingSystemFamily"]: "Windows",
    [VMNS + "osType"]: "WindowsServer2019",
    [VMNS + "operationSystem"]: "Windows Server 2019 Datacenter",
    virtualMachinePricing: {
      isByol: false,
      freeTrialDurationInMonths: 3,
      coreMultiplier: { currency: "USD", individually: { sharedcore: 0.01, "1core": 0.02, "2core": 0.04 } },
    },
  });
  return d;
}

/** A core-VM definition with images: two generations, data disks, a hidden (deprecated) version. */
function coreVmDefinitionWithImages() {
  const d = coreVmDefinitionWithoutImages(["gen1", "gen2"]) as unknown as {
    displayText: string;
    offer: Record<string, unknown>;
    plans: Array<Record<string, unknown>>;
  };
  d.offer[CVM + "allowedSubscriptions"] = ["aaaaaaaa-0000-0000-0000-000000000005"];
  const [gen1, gen2] = d.plans;
  Object.assign(gen1, {
    regions: ["US"],
    [CVM + "osType"]: "Debian",
    [CVM + "osFriendlyName"]: "Debian 12",
    [CVM + "vmImagesPublicAzure"]: {
      "2024.1.0": {
        osVhdUrl: `https://fab.blob.core.windows.net/vhd/core-1.vhd?${SAS}`,
        lunVhdDetails: [{ lun: 0, uri: `https://fab.blob.core.windows.net/vhd/core-d0.vhd?${SAS}` }],
      },
      "2024.2.0": {
        osVhdUrl: `https://fab.blob.core.windows.net/vhd/core-2.vhd?${SAS}`,
        lunVhdDetails: [{ lun: 0, uri: `https://fab.blob.core.windows.net/vhd/core-d0b.vhd?${SAS}` }],
        showInGui: false,
      },
    },
  });
  Object.assign(gen2, {
    [CVM + "generation"]: "2",
    [CVM + "supportsSriov"]: true,
    [CVM + "vmImagesPublicAzure"]: {
      "2024.1.0": { osVhdUrl: `https://fab.blob.core.windows.net/vhd/core-g2.vhd?${SAS}`, lunVhdDetails: [] },
    },
  });
  return d;
}

const CASES: Array<{ name: string; offerTypeId: PiaOfferTypeId; definition: () => Record<string, unknown> }> = [
  {
    name: "sampleDefinition({ pricedPlans: true })",
    offerTypeId: VM,
    definition: () => sampleDefinition({ pricedPlans: true }),
  },
  { name: "a richer VM definition", offerTypeId: VM, definition: richVmDefinition },
  { name: "a core-VM definition with images", offerTypeId: CORE, definition: coreVmDefinitionWithImages },
];

/**
 * Disagreements that are the emulator's (emulator/pia/mapping.ts), by case and check: none today.
 * This test fails when a disagreement appears, and when one listed here goes away (so that the
 * list stays true). The first run found five (customer leads, reseller, private audience, the
 * core-VM friendly name and generation), since fixed in the emulator.
 */
const KNOWN_EMULATOR_DISAGREEMENTS: Record<string, string[]> = {};

const isEmpty = (v: unknown) =>
  v === undefined || v === null || (Array.isArray(v) && v.length === 0) || (isRecord(v) && Object.keys(v).length === 0);
const show = (v: unknown) => (v === undefined ? "(absent)" : JSON.stringify(v));

/** Field-by-field differences of two lists of resources, matched by slot (see resourceSlot). */
function resourceDisagreements(mine: PiaResource[], theirs: PiaResource[]): string[] {
  const a = resourcesBySlot(mine);
  const b = resourcesBySlot(theirs);
  const out: string[] = [];
  const noLeads = (r: PiaResource | undefined) => r !== undefined && r.leadDestination === "none";
  for (const slot of new Set([...a.keys(), ...b.keys()])) {
    if (slot.startsWith("submission")) continue;
    const x = a.get(slot);
    const y = b.get(slot);
    if (!x || !y) {
      if (slot === "customer-leads" && (noLeads(x) || noLeads(y))) continue;
      out.push(`${slot}: ${x ? "only in definitionToPia" : "only in the emulator's tree"}`);
      continue;
    }
    const cx = resourceContent(x);
    const cy = resourceContent(y);
    for (const field of new Set([...Object.keys(cx), ...Object.keys(cy)])) {
      if (isEmpty(cx[field]) && isEmpty(cy[field])) continue;
      if (!jsonEqual(cx[field], cy[field]))
        out.push(`${slot}.${field}: definitionToPia ${show(cx[field])}, emulator ${show(cy[field])}`);
    }
  }
  return out.sort();
}

describe("pia-offer ⇄ emulator cross-check (§P4, both mappings written apart)", function () {
  this.timeout(120_000);
  let emulator: Emulator;
  let client: PiaClient;
  let n = 0;

  before(async () => {
    emulator = await startEmulator({ timeScale: 1 });
  });
  after(() => emulator.close());
  beforeEach(async () => {
    await resetForPia(emulator);
    client = piaClient(emulator, emulatedWaits());
  });

  const found: Record<string, string[]> = {};
  after(() => {
    // What the run found, for the report (printed on failure by the checks below).
    if (process.env.PIA_OFFER_CROSSCHECK_PRINT) console.log(JSON.stringify(found, null, 2));
  });

  /** Records one check's disagreements; {@link expectKnown} compares them all at the end of a case. */
  const check = (key: string, disagreements: string[]) => {
    found[key] = [...disagreements].sort();
  };
  const expectKnown = (name: string) => {
    const keys = Object.keys(found).filter((k) => k.startsWith(`${name} / `));
    const actual = Object.fromEntries(keys.map((k) => [k, found[k]]).filter(([, v]) => v.length > 0));
    const expected = Object.fromEntries(Object.entries(KNOWN_EMULATOR_DISAGREEMENTS).filter(([k]) => keys.includes(k)));
    expect(actual).to.deep.equal(expected);
  };

  for (const c of CASES) {
    it(`${c.name}: CPP → PIA, the emulator's tree of the seeded offer is definitionToPia's, field by field`, async () => {
      const offerId = `cross-${++n}`;
      const definition = c.definition();
      await emulator.control.seed({
        offers: [
          {
            publisherId: PIA_PUB,
            offer: { id: offerId, publisherId: PIA_PUB, offerTypeId: c.offerTypeId, definition },
          },
        ],
      });
      const product = await client.findProduct(offerId);
      expect(product, offerId).to.not.equal(undefined);
      const tree = await client.getResourceTree(product!.id!);
      const read = piaToDefinition(tree, { offerTypeId: c.offerTypeId });
      const mine = definitionToPia({
        offerId,
        offerTypeId: c.offerTypeId,
        definition,
        known: { product: read.ids.product, plans: read.ids.plans },
      });
      check(`${c.name} / CPP → PIA resources`, resourceDisagreements(mine.resources, tree.resources));
      // The tree read back: the definition's supported part, nothing the reading cannot place.
      const supported = supportedDefinition({ offerId, offerTypeId: c.offerTypeId, definition });
      check(`${c.name} / CPP → PIA read back`, [
        ...read.problems.map((p) => `${p.path}: unreadable (${p.reason})`),
        ...definitionDifferences(read.definition, supported).map(
          (d) => `${d.path}: read ${show(d.left)}, supported part ${show(d.right)}`,
        ),
      ]);
      expectKnown(`${c.name}`);
    });

    it(`${c.name}: PIA → CPP, definitionToPia's resources posted for a new offer give the definition's Draft`, async () => {
      const offerId = `cross-${++n}`;
      const definition = c.definition();
      const { resources } = definitionToPia({ offerId, offerTypeId: c.offerTypeId, definition });
      const status = await client.configureAndWait(resources);
      expect(status.jobResult, JSON.stringify(status.errors)).to.equal("succeeded");
      const view = await emulator.control.offer(PIA_PUB, offerId);
      const draft = view.draft.definition as Record<string, unknown>;
      const input = { offerId, offerTypeId: c.offerTypeId, definition };
      const disagreements = [
        // What the emulator wrote that PIA could not have given it (a key of no PIA field).
        ...definitionToPia({ ...input, definition: draft }).problems.map((p) => `${p.path}: in the Draft, ${p.reason}`),
        ...definitionDifferences(supportedDefinition({ ...input, definition: draft }), supportedDefinition(input)).map(
          (d) => `${d.path}: Draft ${show(d.left)}, supported part ${show(d.right)}`,
        ),
      ];
      // Secrets land where they were posted (the caller handles secrecy).
      const leads = (definition.offer as Record<string, unknown>)[MP + "tableLeadConfiguration"] as
        Record<string, unknown> | undefined;
      if (leads?.storageAccountConnectionString) {
        const stored = (draft.offer as Record<string, any>)[MP + "tableLeadConfiguration"]
          ?.storageAccountConnectionString;
        if (stored !== leads.storageAccountConnectionString)
          disagreements.push(`lead secret: Draft ${show(stored === undefined ? undefined : "(another value)")}`);
      }
      check(`${c.name} / PIA → CPP draft`, disagreements);
      // And the tree now holds what was posted.
      const product = await client.findProduct(offerId);
      const tree = await client.getResourceTree(product!.id!);
      check(`${c.name} / PIA → CPP resources as stored`, resourceDisagreements(resources, tree.resources));
      expectKnown(`${c.name}`);
    });
  }
});
