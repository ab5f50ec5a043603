// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { startEmulator } from "../../emulator/index.js";
import { configureForEmulator, engineKit, inlineStack, type EngineKit } from "../helpers/engine.js";
import { sampleDefinition } from "../helpers/offers.js";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
const PUB = "contoso";
const OFFER = "moving-offer";
const SUMMARY = "microsoft-azure-marketplace.summary";

/**
 * Moving a stack from the Cloud Partner Portal API to the Product Ingestion API under the real
 * engine: an offer created through CPP, then `cloudpartner:api` set to `productIngestion` as a
 * user sets it. Requests are counted by API on the emulator (`api`: CPP, `pia`: PIA).
 */
describe("engine: moving a stack from CPP to the Product Ingestion API", function () {
  this.timeout(300_000);
  let kit: EngineKit;
  let emulator: Emulator;
  let stack: Awaited<ReturnType<typeof inlineStack>>;
  const spec = { definition: sampleDefinition({ pricedPlans: true }) };

  const program = async () => {
    const { Offer, OfferPublish } = kit.cpp;
    const offer = new Offer("offer", { publisherId: PUB, offerId: OFFER, definition: spec.definition });
    const preview = new OfferPublish(
      "preview",
      { publisherId: PUB, offerId: OFFER, target: "preview", trigger: offer.fingerprint },
      { dependsOn: [offer] },
    );
    return { productId: offer.productId, fingerprint: offer.fingerprint, phase: preview.phase };
  };
  const requestsByApi = async (since: number) => {
    const log = await emulator.control.requests(since);
    const of = (kind: string) => log.filter((r) => r.kind === kind && r.seq > since);
    return { cpp: of("api"), pia: of("pia"), piaWrites: of("pia").filter((r) => r.method !== "GET") };
  };
  const publishes = async () =>
    (await emulator.control.operations()).filter((o) => o.offerId === OFFER && o.type === "publish");
  const submissionJobs = async () =>
    (await emulator.control.piaJobs()).filter(
      (j) => j.offer === `${PUB}/${OFFER}` && j.resources.includes("submission"),
    );
  const lastSeq = async () => (await emulator.control.requests()).reduce((m, r) => Math.max(m, r.seq), 0);

  before(async () => {
    kit = await engineKit();
    emulator = await startEmulator({ timeScale: 10_000_000 });
    await emulator.control.setModes({
      stepDurationsMs: Object.fromEntries(
        ["displaydummycertify", "displaycertify", "displayprovision", "displaypackage", "live"].map((id) => [
          id,
          60_000,
        ]),
      ),
    });
    stack = await inlineStack(kit, "move-to-pia", program);
    await configureForEmulator(stack, emulator, {
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

  it("created through CPP, then switched: check names the key PIA cannot hold; without it, nothing is replaced or written", async () => {
    const created = await stack.up({ onOutput: () => undefined });
    expect(created.summary.result).to.equal("succeeded");
    expect(created.outputs.productId?.value).to.equal(undefined);
    expect(created.outputs.phase.value).to.equal("waitingForSignoff");
    expect(await publishes()).to.have.length(1);

    await stack.setConfig("cloudpartner:api", { value: "productIngestion" });
    const refused = await stack.preview().then(
      () => undefined,
      (e: Error) => e,
    );
    expect(refused, "preview with the CPP-only key").to.be.instanceOf(Error);
    expect(String(refused)).to.contain("offerMarketingUrlIdentifier").and.contain("productIngestion");

    // The user removes the key, as the message says: the Offer shows an update, nothing else.
    spec.definition = sampleDefinition({ pricedPlans: true, forPia: true });
    const since = await lastSeq();
    const preview = await stack.preview();
    // The Offer's definition changed (one key less) and so did the publish trigger; nothing is replaced.
    expect(preview.changeSummary, preview.stdout).to.deep.equal({ same: 1, update: 2 });
    expect(preview.stdout).to.not.match(/replace/i);
    const up = await stack.up({ onOutput: () => undefined });
    expect(up.summary.result).to.equal("succeeded");
    const seen = await requestsByApi(since);
    expect(seen.cpp, "no CPP request once switched").to.deep.equal([]);
    expect(seen.piaWrites, "nothing written: the draft already holds the content").to.deep.equal([]);
    expect(up.outputs.productId.value).to.match(/^product\//);
    expect(await publishes(), "no publish for the move").to.have.length(1);
    expect(up.outputs.phase.value).to.equal("waitingForSignoff");
    const again = await stack.preview();
    expect(again.changeSummary, again.stdout).to.deep.equal({ same: 3 });
  });

  it("a content change then writes and publishes exactly once, through PIA; a refresh then sees no drift", async () => {
    spec.definition = sampleDefinition({ pricedPlans: true, forPia: true, summary: "Changed after the move" });
    const since = await lastSeq();
    const up = await stack.up({ onOutput: () => undefined });
    expect(up.summary.result).to.equal("succeeded");
    const seen = await requestsByApi(since);
    expect(seen.cpp).to.deep.equal([]);
    // One configure for the content, one for the preview submission.
    expect(seen.piaWrites.map((r) => `${r.method} ${r.path}`)).to.deep.equal([
      "POST /rp/product-ingestion/configure",
      "POST /rp/product-ingestion/configure",
    ]);
    expect(await submissionJobs()).to.have.length(1);
    expect(await publishes()).to.have.length(2);
    expect(up.outputs.phase.value).to.equal("waitingForSignoff");
    const held = await emulator.control.offer(PUB, OFFER);
    expect(held.draft.definition.offer[SUMMARY]).to.equal("Changed after the move");

    const refresh = await stack.refresh({ onOutput: () => undefined });
    expect(refresh.summary.resourceChanges ?? {}).to.not.have.property("update");
    expect((await stack.preview()).changeSummary).to.deep.equal({ same: 3 });
  });
});
