// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { startEmulator } from "../../emulator/index.js";
import { sampleDefinition } from "../helpers/offers.js";
import { configureForEmulator, engineKit, inlineStack, type EngineKit } from "../helpers/engine.js";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
const PUB = "contoso";
const SUMMARY = "microsoft-azure-marketplace.summary";

/**
 * The real engine (CLI v3.259.0) through the Automation API, the packed package installed in a
 * scratch project, against the emulator: the lifecycle users rely on.
 */
describe("engine: Offer, VmPricing and OfferPublish under the real Pulumi engine", function () {
  this.timeout(300_000);
  let kit: EngineKit;
  let emulator: Emulator;
  let stack: Awaited<ReturnType<typeof inlineStack>>;
  /** What the program declares; tests change it between runs. */
  const spec = { offerId: "engine-offer", summary: "First summary", publish: true, timeoutSeconds: 60, adopt: false };

  const program = async () => {
    const { Offer, OfferPublish, VmPricing } = kit.cpp;
    const definition = sampleDefinition({ summary: spec.summary });
    const offer = new Offer("offer", { publisherId: PUB, offerId: spec.offerId, definition, adopt: spec.adopt });
    const byol = new VmPricing(
      "byol",
      { publisherId: PUB, offerId: offer.offerId, planId: "byol", pricing: { kind: "byol" } },
      { dependsOn: offer },
    );
    const payg = new VmPricing(
      "payg",
      {
        publisherId: PUB,
        offerId: offer.offerId,
        planId: "payg",
        pricing: { kind: "perCoreSize", pricesUsd: { "1core": 0.02, "2core": 0.04 } },
      },
      { dependsOn: offer },
    );
    const outputs: Record<string, unknown> = { etag: offer.etag, status: offer.status };
    if (spec.publish) {
      const trigger = [offer.fingerprint, byol.fingerprint, payg.fingerprint];
      const pub = new OfferPublish("publish", {
        publisherId: PUB,
        offerId: offer.offerId,
        target: "preview",
        trigger,
        timeoutSeconds: spec.timeoutSeconds,
      });
      outputs.publishStatus = pub.operationStatus;
    }
    return outputs;
  };
  // Steps of our resources and the stack (the default pulumi-nodejs provider is the engine's own).
  const ops = (events: any[]) =>
    events
      .filter((e) => e.resourcePreEvent && !e.resourcePreEvent.metadata.type.startsWith("pulumi:providers:"))
      .map((e) => `${e.resourcePreEvent.metadata.op} ${e.resourcePreEvent.metadata.type.split(":").pop()}`);
  // What a user sees: diagnostics above debug level (debug events echo every input, by design).
  const diagnostics = (events: any[]) =>
    events
      .filter((e) => e.diagnosticEvent && e.diagnosticEvent.severity !== "debug")
      .map((e) => e.diagnosticEvent.message as string);

  before(async () => {
    kit = await engineKit();
    emulator = await startEmulator({ timeScale: 10_000_000 });
    stack = await inlineStack(kit, "lifecycle", program);
    await configureForEmulator(stack, emulator);
  });
  after(async () => {
    try {
      await stack?.destroy({ onOutput: () => undefined });
    } catch {
      /* reported by the tests */
    }
    await emulator?.close();
  });

  it("preview lists the operations per resource and writes nothing", async () => {
    await emulator.control.clearRequests();
    const events: any[] = [];
    const pv = await stack.preview({ onEvent: (e) => events.push(e) });
    expect(ops(events).sort()).to.deep.equal(
      ["create Offer", "create OfferPublish", "create Stack", "create VmPricing", "create VmPricing"].sort(),
    );
    expect(pv.changeSummary.create).to.equal(5);
    expect((await emulator.control.requests()).filter((r) => r.kind === "api")).to.deep.equal([]);
  });

  it("up creates the offer, prices both plans and publishes once; a second preview has no changes", async () => {
    await emulator.control.clearRequests();
    const events: any[] = [];
    const up = await stack.up({ onEvent: (e) => events.push(e) });
    expect(up.summary.result).to.equal("succeeded");
    expect(up.outputs.status.value).to.equal("neverPublished");
    expect(up.outputs.publishStatus.value).to.be.oneOf(["succeeded", "waitingForSignoff"]);
    const offer = await emulator.control.offer(PUB, spec.offerId);
    expect(offer.draft.definition.plans.map((p: any) => p.virtualMachinePricing?.isByol)).to.deep.equal([true, false]);
    expect(offer.preview).to.not.equal(null);
    const posts = (await emulator.control.requests()).filter((r) => r.kind === "api" && r.method === "POST");
    expect(posts.map((r) => r.path.split("/").pop())).to.deep.equal(["publish"]);
    const lines = diagnostics(events).join("\n");
    expect(lines).to.match(/preview is ready for publisher sign-off/);
    // Planted secrets: the VHD URL's SAS signature and the client secret never reach a log line.
    expect(lines).to.not.contain("planted-sas-signature");
    expect(lines).to.not.contain(emulator.clientSecret);
    await stack.preview({ expectNoChanges: true });
  });

  it("a changed definition updates in place (property-level), with If-Match", async () => {
    spec.summary = "Second summary";
    const events: any[] = [];
    await stack.preview({ onEvent: (e) => events.push(e) });
    expect(ops(events)).to.include("update Offer");
    await emulator.control.clearRequests();
    const up = await stack.up();
    expect(up.summary.resourceChanges?.update).to.be.greaterThan(0);
    const offer = await emulator.control.offer(PUB, spec.offerId);
    expect(offer.draft.definition.offer[SUMMARY]).to.equal("Second summary");
    const puts = (await emulator.control.requests()).filter((r) => r.method === "PUT");
    expect(puts.length).to.be.greaterThan(0);
    expect(puts.every((r) => r.ifMatch && r.ifMatch !== "*")).to.equal(true);
    expect(offer.draft.definition.plans[1].virtualMachinePricing.coreMultiplier.individually["2core"]).to.equal(0.04);
  });

  it("drift: an out-of-band edit is detected by refresh and corrected by the next up", async () => {
    await emulator.control.editOffer(PUB, spec.offerId, {
      definition: { offer: { [SUMMARY]: "Edited in the portal" } },
    });
    await emulator.control.clearRequests();
    // One step at a time, so that no two reads are ever in flight together: only the copy the
    // refresh keeps can let them share a GET.
    const refresh = await stack.refresh({ parallel: 1 });
    expect(refresh.summary.resourceChanges?.update).to.be.greaterThan(0);
    // The offer's four resources are refreshed from one GET of it, with one token: the engine's
    // host configures each resource kind's provider, and that must not start a new client. (An
    // OfferPublish whose operation has not ended reads the offer beside the operation itself.)
    const log = await emulator.control.requests();
    const offerGets = log.filter(
      (r) => r.method === "GET" && r.path === `/api/publishers/${PUB}/offers/${spec.offerId}`,
    );
    const operationRead = log.some((r) => r.method === "GET" && r.path.includes("/operations/"));
    expect(offerGets).to.have.length(operationRead ? 2 : 1);
    expect(log.filter((r) => r.kind === "aad" && r.path.endsWith("/token"))).to.have.length(1);
    const events: any[] = [];
    await stack.preview({ onEvent: (e) => events.push(e) });
    expect(ops(events)).to.include("update Offer");
    await stack.up();
    expect((await emulator.control.offer(PUB, spec.offerId)).draft.definition.offer[SUMMARY]).to.equal(
      "Second summary",
    );
    await stack.preview({ expectNoChanges: true });
  });

  it("a 412 conflict surfaces the advised fix", async () => {
    await emulator.control.editOffer(PUB, spec.offerId, { definition: { displayText: "Changed elsewhere" } });
    spec.summary = "Third summary";
    const err = await stack.up().then(
      () => undefined,
      (e: Error) => e,
    );
    expect(String(err?.message))
      .to.match(/changed outside Pulumi/)
      .and.match(/pulumi refresh/);
    await stack.refresh();
    await stack.up();
    expect((await emulator.control.offer(PUB, spec.offerId)).draft.definition.displayText).to.equal(
      "Fabrikam Appliance",
    );
  });

  it("a changed offerId replaces the offer (the old one is retained with a warning)", async () => {
    spec.offerId = "engine-offer-2";
    const events: any[] = [];
    await stack.preview({ onEvent: (e) => events.push(e) });
    expect(ops(events)).to.include("replace Offer");
    const upEvents: any[] = [];
    await stack.up({ onEvent: (e) => upEvents.push(e) });
    expect(await emulator.control.offer(PUB, "engine-offer-2")).to.have.property("draft");
    expect(await emulator.control.offer(PUB, "engine-offer")).to.have.property("draft");
    expect(diagnostics(upEvents).join("\n")).to.match(/engine-offer was removed from the stack but retained/);
  });

  it("state audit: no client secret or bearer token in state, the config secret only as ciphertext", async () => {
    // What is persisted: every checkpoint, history and backup file of the file backend.
    const files = readdirSync(kit.stateDir, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith(".json"));
    expect(files.length).to.be.greaterThan(0);
    let sawCiphertext = false;
    for (const f of files) {
      const text = readFileSync(join(kit.stateDir, f), "utf8");
      expect(text, f).to.not.contain(emulator.clientSecret);
      expect(text, f).to.not.match(/Bearer |eyJ[A-Za-z0-9_-]{20,}\./);
      if (/"cloudpartner:clientSecret":\{"[0-9a-f]{32}":"[0-9a-f]{32}","ciphertext":"v1:/.test(text))
        sawCiphertext = true;
    }
    expect(sawCiphertext).to.equal(true);
    // Even decrypted (exportStack shows secrets), our resources hold no credential: only the
    // engine's default provider carries the stack config, and the stored provider code is a
    // require() of the installed package's provider module.
    const deployment = (await stack.exportStack()).deployment as {
      resources: Array<{ type: string; inputs?: unknown; outputs?: unknown }>;
    };
    for (const r of deployment.resources.filter((x) => x.type.startsWith("pulumi-nodejs:dynamic/"))) {
      const text = JSON.stringify(r);
      expect(text).to.not.contain(emulator.clientSecret);
      expect(text).to.match(/require\(\\"pulumi-cloudpartner\/dynamic\/[a-z-]+\\"\)/);
    }
    const settings = JSON.stringify(await stack.workspace.stackSettings("lifecycle"));
    expect(settings).to.not.contain(emulator.clientSecret);
    expect(settings).to.contain("secure");
  });

  it("destroy: the offers are retained with a warning, nothing is deleted on the service", async () => {
    const events: any[] = [];
    await stack.destroy({ onEvent: (e) => events.push(e) });
    expect(diagnostics(events).join("\n")).to.match(/retained in Partner Center: an offer is never deleted by Pulumi/);
    expect(await emulator.control.offer(PUB, "engine-offer-2")).to.have.property("draft");
  });
});
