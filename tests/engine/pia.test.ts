// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { startEmulator } from "../../emulator/index.js";
import { configureForEmulator, engineKit, inlineStack, type EngineKit } from "../helpers/engine.js";
import { filesContaining } from "../helpers/files.js";
import { sampleDefinition } from "../helpers/offers.js";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
const PUB = "contoso";
const SUMMARY = "microsoft-azure-marketplace.summary";
const STEPS = ["displaydummycertify", "displaycertify", "displayprovision", "displaypackage", "live"];
/** A lead secret planted in the program: it must never reach state, output or the emulator's log in plaintext. */
const LEAD_SECRET = "DefaultEndpointsProtocol=https;AccountName=fab;AccountKey=planted-pia-lead-key==";
const TABLE = "microsoft-azure-marketplace.tableLeadConfiguration";

/**
 * A new offer end to end on the Product Ingestion API under the real engine (`cloudpartner:api:
 * productIngestion`): Offer, two VmPricing written in parallel, and OfferPublish through preview,
 * approval and live; a portal edit seen by refresh; a failed certification. Requests are counted
 * by API on the emulator: no CPP request at all.
 */
describe("engine: a new offer on the Product Ingestion API", function () {
  this.timeout(300_000);
  let kit: EngineKit;
  let emulator: Emulator;
  let stack: Awaited<ReturnType<typeof inlineStack>>;
  let projectDir: string;
  const spec = {
    offerId: "pia-engine-offer",
    summary: "First summary",
    target: "preview" as "preview" | "live",
    approvedContentHash: undefined as string | undefined,
  };

  const program = async () => {
    const { Offer, OfferPublish, VmPricing } = kit.cpp;
    const definition = sampleDefinition({ forPia: true, summary: spec.summary });
    const offer = definition.offer as Record<string, unknown>;
    offer["microsoft-azure-marketplace.leadDestination"] = "AzureTable";
    offer[TABLE] = { contactEmail: "leads@fabrikam.example" };
    const o = new Offer("offer", {
      publisherId: PUB,
      offerId: spec.offerId,
      definition,
      secrets: { [`offer/${TABLE}/storageAccountConnectionString`]: LEAD_SECRET },
    });
    const byol = new VmPricing(
      "byol",
      { publisherId: PUB, offerId: o.offerId, planId: "byol", pricing: { kind: "byol" } },
      { dependsOn: o },
    );
    const payg = new VmPricing(
      "payg",
      { publisherId: PUB, offerId: o.offerId, planId: "payg", pricing: { kind: "perCore", pricePerCoreUsd: 0.04 } },
      { dependsOn: o },
    );
    const pub = new OfferPublish(
      "publish",
      {
        publisherId: PUB,
        offerId: o.offerId,
        target: spec.target,
        trigger: [o.fingerprint, byol.fingerprint, payg.fingerprint],
        ...(spec.approvedContentHash ? { approvedContentHash: spec.approvedContentHash } : {}),
      },
      { dependsOn: [byol, payg] },
    );
    return { productId: o.productId, phase: pub.phase, hash: pub.publishedContentHash, failure: pub.failure };
  };
  const log = async () => emulator.control.requests();
  const ops = async () => (await emulator.control.operations()).filter((op) => op.offerId === spec.offerId);

  before(async () => {
    kit = await engineKit();
    emulator = await startEmulator({ timeScale: 10_000_000 });
    await emulator.control.setModes({ stepDurationsMs: Object.fromEntries(STEPS.map((id) => [id, 60_000])) });
    stack = await inlineStack(kit, "pia", program);
    projectDir = stack.workspace.workDir;
    await configureForEmulator(stack, emulator, {
      "cloudpartner:api": "productIngestion",
      "cloudpartner:productIngestionEndpoint": emulator.productIngestionUrl,
    });
  });
  after(async () => {
    try {
      await stack?.destroy({ onOutput: () => undefined });
    } catch {
      /* reported by the tests */
    }
    await emulator?.close();
  });

  it("up creates the offer, both plans' pricing and a preview, through PIA only; the lead secret and SAS signature stay secret", async () => {
    let printed = "";
    const preview = await stack.preview({ diff: true });
    printed += preview.stdout + preview.stderr;
    const up = await stack.up({ onOutput: (o) => (printed += o) });
    expect(up.summary.result).to.equal("succeeded");
    expect(up.outputs.productId.value).to.match(/^product\//);
    expect(up.outputs.phase.value).to.equal("waitingForSignoff");
    const requests = await log();
    expect(requests.filter((r) => r.kind === "api")).to.deep.equal([], "no CPP request");
    expect(requests.filter((r) => r.kind === "pia").length).to.be.greaterThan(0);
    const held = await emulator.control.offer(PUB, spec.offerId);
    const plans = held.draft.definition.plans;
    expect(plans.find((p: any) => p.planId === "byol").virtualMachinePricing.isByol).to.equal(true);
    expect(plans.find((p: any) => p.planId === "payg").virtualMachinePricing.coreMultiplier).to.deep.equal({
      currency: "USD",
      single: 0.04,
    });
    expect(held.draft.definition.offer[TABLE].storageAccountConnectionString).to.equal(LEAD_SECRET);
    expect((await ops()).filter((op) => op.type === "publish")).to.have.length(1);
    const refresh = await stack.refresh({ onOutput: (o) => (printed += o) });
    expect(refresh.summary.result).to.equal("succeeded");
    printed += (await stack.preview({ diff: true })).stdout;
    // The secrets are in the service, nowhere else: not in what preview --diff, up and refresh
    // printed, nor in any file of the backend (the state) or the project. The SAS signature too.
    for (const planted of ["planted-pia-lead-key", "planted-sas-signature"]) {
      expect(printed).to.not.contain(planted);
      expect(filesContaining(kit.stateDir, planted), planted).to.deep.equal([]);
      expect(filesContaining(projectDir, planted), planted).to.deep.equal([]);
    }
    expect(filesContaining(kit.stateDir, "pia-engine-offer").length, "the oracle can find the state").to.be.greaterThan(
      0,
    );
  });

  it("approve → live: one go-live with the preview's submission; the same program again submits nothing", async () => {
    const hash = (await stack.outputs()).hash.value as string;
    spec.target = "live";
    spec.approvedContentHash = hash;
    const up = await stack.up({ onOutput: () => undefined });
    expect(up.outputs.phase.value).to.equal("live");
    const all = await ops();
    expect(all.filter((op) => op.type === "goLive")).to.have.length(1);
    const again = await stack.up({ onOutput: () => undefined });
    expect(again.summary.resourceChanges).to.not.have.property("update");
    expect((await ops()).length).to.equal(all.length);
  });

  it("a portal edit is seen by refresh, and up puts the program's text back once", async () => {
    await emulator.control.editOffer(PUB, spec.offerId, {
      definition: { offer: { [SUMMARY]: "Edited in the portal" } },
    });
    const refresh = await stack.refresh({ onOutput: () => undefined });
    expect(refresh.summary.result).to.equal("succeeded");
    const preview = await stack.preview({ diff: true });
    expect(preview.stdout).to.contain("Edited in the portal").and.contain(spec.summary);
    const configuresBefore = (await emulator.control.piaJobs()).length;
    await stack.up({ onOutput: () => undefined });
    const held = await emulator.control.offer(PUB, spec.offerId);
    expect(held.draft.definition.offer[SUMMARY]).to.equal(spec.summary);
    const jobs = (await emulator.control.piaJobs()).slice(configuresBefore);
    expect(
      jobs.filter((j) => !j.resources.includes("submission")),
      "one write of the text",
    ).to.have.length(1);
  });

  it("a failed certification fails the up with the service's reason and submits nothing by itself", async () => {
    spec.target = "preview";
    spec.approvedContentHash = undefined;
    spec.summary = "A summary certification refuses";
    await emulator.control.forceOutcome(PUB, spec.offerId, {
      outcome: "reject",
      message: "The VHD is not generalized.",
    });
    const failed = await stack.up({ onOutput: () => undefined }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(failed, "the up fails").to.be.instanceOf(Error);
    expect(String(failed)).to.contain("The VHD is not generalized.");
    const publishes = (await ops()).filter((op) => op.type === "publish").length;
    const preview = await stack.preview();
    expect(preview.changeSummary).to.not.have.property("create");
    await stack.up({ onOutput: () => undefined }).catch(() => undefined);
    expect((await ops()).filter((op) => op.type === "publish").length, "no second submission by itself").to.equal(
      publishes,
    );
  });
});
