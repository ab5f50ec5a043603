// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import {
  definitionToPia,
  piaToDefinition,
  planIdsByReference,
  resourceContent,
  resourceContentKey,
  resourceSlot,
  resourcesBySlot,
  resourceTypeOf,
  supportedDefinition,
  type PiaOfferTypeId,
  type PiaResource,
} from "../../../provider/pia-offer/index.js";
import { coreVmDefinitionWithoutImages } from "../../helpers/images.js";
import { sampleDefinition } from "../../helpers/offers.js";

/**
 * The no-ETag lost-update check (docs/internals/api-notes.md §P6): content keys without what the
 * service adds, slots that match a request's resources with a tree's, and reading a tree shaped
 * as the service writes it (durable ids, references by id, versions, validations).
 */
const VM: PiaOfferTypeId = "microsoft-azure-virtualmachines";
const P = "3c9ca0e5-2a1e-4c4b-9e3d-0a1b2c3d4e5f";

/** What the service makes of a configure request's resources: ids, references by id, its own additions. */
function asTree(resources: PiaResource[]): PiaResource[] {
  const planGuids = new Map<string, string>();
  let n = 0;
  const planGuid = (name: string) => {
    if (!planGuids.has(name)) planGuids.set(name, `00000000-0000-0000-0000-${String(++n).padStart(12, "0")}`);
    return planGuids.get(name)!;
  };
  const ref = (r: unknown) =>
    r && typeof r === "object" && "resourceName" in r
      ? String((r as { resourceName: string }).resourceName).startsWith("plan-")
        ? `plan/${P}/${planGuid(String((r as { resourceName: string }).resourceName))}`
        : String((r as { resourceName: string }).resourceName).startsWith("listing-")
          ? `listing/${P}/public/main/default/en-us`
          : `product/${P}`
      : r;
  return resources.map((resource, i) => {
    const r = structuredClone(resource) as PiaResource;
    const type = resourceTypeOf(r)!;
    if (type === "plan") r.id = `plan/${P}/${planGuid(String(r.resourceName))}`;
    else if (type === "product") r.id = `product/${P}`;
    else r.id = `${type}/${P}/${i}`;
    delete r.resourceName;
    for (const field of ["product", "plan", "listing"]) if (r[field] !== undefined) r[field] = ref(r[field]);
    r.validations = [{ level: "informational", code: "x", message: "note" }];
    if (type === "product" || type === "plan") r.lifecycleState = "generallyAvailable";
    r.$schema = r.$schema.replace(/\/[^/]+$/, "/2022-03-01-preview9");
    if (Array.isArray(r.vmImageVersions)) {
      r.vmImageVersions = r.vmImageVersions.map((v: Record<string, unknown>) => ({
        ...v,
        lifecycleState: v.lifecycleState,
      }));
    }
    if (r.trial === null) delete r.trial;
    return r;
  });
}

describe("pia-offer: content keys and slots (§P6)", () => {
  const written = definitionToPia({
    offerId: "fab",
    offerTypeId: VM,
    definition: {
      ...sampleDefinition({ pricedPlans: true }),
      offer: {
        ...sampleDefinition().offer,
        "microsoft-azure-marketplace.leadDestination": "AzureTable",
        "microsoft-azure-marketplace.tableLeadConfiguration": {
          contactEmail: "leads@fab.example",
          storageAccountConnectionString: "DefaultEndpointsProtocol=https;AccountKey=planted",
        },
      },
    },
  }).resources;
  const tree = asTree(written);

  it("a resource as written and as the service holds it have the same key (ids, names, versions, validations, GA, null, masked secrets)", () => {
    const leads = tree.find((r) => resourceTypeOf(r) === "customer-leads")!;
    (leads.tableLeadConfiguration as Record<string, unknown>).storageAccountConnectionString = "**********";
    const bySlot = resourcesBySlot(tree);
    for (const [slot, resource] of resourcesBySlot(written)) {
      const held = bySlot.get(slot);
      expect(held, slot).to.not.equal(undefined);
      expect(resourceContentKey(held!), slot).to.equal(resourceContentKey(resource));
    }
    expect(resourceContent(leads)).to.deep.include({ $type: "customer-leads", leadDestination: "table" });
    const asset = tree.find((r) => resourceTypeOf(r) === "listing-asset")!;
    expect(resourceContent(asset)).to.deep.include({ $type: "listing-asset", type: "azureLogoSmall" });
    expect(JSON.stringify(resourceContent(leads))).to.not.match(/planted|\*\*\*/);
  });

  it("someone else's change moves the key: a field, an image version, a market, a lifecycle state", () => {
    const keys = new Map(tree.map((r) => [r.id, resourceContentKey(r)]));
    const changed = (mutate: (r: PiaResource) => void, type: string) => {
      const r = structuredClone(tree.find((x) => resourceTypeOf(x) === type)!);
      mutate(r);
      return resourceContentKey(r) !== keys.get(r.id);
    };
    expect(changed((r) => (r.title = "Edited in Partner Center"), "listing")).to.equal(true);
    expect(changed((r) => (r.markets as string[]).push("de"), "price-and-availability-plan")).to.equal(true);
    expect(
      changed(
        (r) => (r.vmImageVersions as unknown[]).push({ versionNumber: "2.0.0", vmImages: [] }),
        "virtual-machine-plan-technical-configuration",
      ),
    ).to.equal(true);
    expect(changed((r) => (r.lifecycleState = "deprecated"), "plan")).to.equal(true);
    // …and what the service adds does not.
    expect(changed((r) => (r.validations = []), "listing")).to.equal(false);
    expect(changed((r) => (r.$schema = r.$schema.replace(/preview\d+$/, "preview3")), "listing")).to.equal(false);
  });

  it("slots: product, listing, assets by type, per plan by plan id, whatever the references", () => {
    const slots = (list: PiaResource[]) => {
      const ids = planIdsByReference(list);
      return list.map((r) => resourceSlot(r, ids));
    };
    expect(slots(tree)).to.deep.equal(slots(written));
    expect(slots(written)).to.include.members([
      "product",
      "property",
      "listing:en-us",
      "listing-asset:en-us:azureLogoLarge",
      "price-and-availability-offer",
      "customer-leads",
      "plan:byol",
      "plan-listing:byol:en-us",
      "price-and-availability-plan:payg",
      "virtual-machine-plan-technical-configuration:payg",
    ]);
    expect(new Set(slots(written)).size).to.equal(written.length);
  });

  it("a tree shaped as the service writes it reads back as the definition's supported part, with the durable ids", () => {
    const definition = sampleDefinition({ pricedPlans: true });
    const res = definitionToPia({ offerId: "fab", offerTypeId: VM, definition });
    const read = piaToDefinition(
      { root: `product/${P}`, target: { targetType: "draft" }, resources: [...asTree(res.resources).reverse()] },
      { offerTypeId: VM },
    );
    expect(read.problems).to.deep.equal([]);
    expect(read.ids.product).to.equal(`product/${P}`);
    expect(Object.keys(read.ids.plans).sort()).to.deep.equal(["byol", "payg"]);
    const supported = supportedDefinition({ offerId: "fab", offerTypeId: VM, definition });
    expect(read.definition.plans.map((p) => p.planId)).to.deep.equal(["payg", "byol"]);
    expect({ ...read.definition, plans: [...read.definition.plans].reverse() }).to.deep.equal(supported);
  });

  it("reading reports what a CPP definition cannot hold: a second SKU, a screenshot, a free plan, an email lead destination", () => {
    const res = definitionToPia({
      offerId: "core",
      offerTypeId: "microsoft-azure-corevm",
      definition: coreVmDefinitionWithoutImages(),
    }).resources;
    const t = asTree(res);
    const tc = t.find((r) => resourceTypeOf(r) === "core-virtual-machine-plan-technical-configuration")!;
    (tc.skus as unknown[]).push({ skuId: "gen1-gen2", imageType: "x64Gen2" });
    t.push({
      $schema: "https://schema.mp.microsoft.com/schema/listing-asset/2022-03-01-preview5",
      id: `listing-asset/${P}/public/main/default/en-us/azurelogoscreenshot/1`,
      product: `product/${P}`,
      type: "azureLogoScreenshot",
      url: "https://x/s.png",
    });
    t.find((r) => resourceTypeOf(r) === "price-and-availability-plan")!.pricing = {
      licenseModel: "payAsYouGo",
      corePricing: { priceInputOption: "free" },
    };
    t.push({
      $schema: "https://schema.mp.microsoft.com/schema/customer-leads/2022-03-01-preview3",
      id: `customer-leads/${P}`,
      product: `product/${P}`,
      leadDestination: "email",
      emailLeadConfiguration: { contactEmail: ["a@b.c"] },
    });
    const read = piaToDefinition(t, { offerTypeId: "microsoft-azure-corevm" });
    expect(read.problems.map((p) => p.path)).to.have.members([
      `${tc.id}.skus[1]`,
      `listing-asset/${P}/public/main/default/en-us/azurelogoscreenshot/1.type`,
      `${t.find((r) => resourceTypeOf(r) === "price-and-availability-plan")!.id}.pricing`,
      `customer-leads/${P}.leadDestination`,
    ]);
    expect(read.definition.plans[0]["microsoft-azure-corevm.generation"]).to.equal("1");
  });
});
