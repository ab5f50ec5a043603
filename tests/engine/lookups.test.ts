// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { startEmulator } from "../../emulator/index.js";
import { sampleDefinition } from "../helpers/offers.js";
import { configureForEmulator, engineKit, inlineStack, type EngineKit } from "../helpers/engine.js";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
const TITLE = "microsoft-azure-marketplace.title";

/** Offer.get and getOffer under the real engine: an existing offer read, never managed. */
describe("engine: Offer.get and getOffer read an existing offer without managing it", function () {
  this.timeout(300_000);
  let kit: EngineKit;
  let emulator: Emulator;
  let stack: Awaited<ReturnType<typeof inlineStack>>;

  const program = async () => {
    const { Offer, getOffer, listOffers } = kit.cpp;
    const existing = Offer.get("existing", "contoso/managed-elsewhere");
    const looked = await getOffer({ publisherId: "contoso", offerId: "managed-elsewhere" });
    const listed = await listOffers({ publisherId: "contoso" });
    return {
      title: existing.definition.apply((d) => d?.offer[TITLE]),
      status: existing.status,
      lookedUpTitle: looked.definition.offer[TITLE],
      lookedUpVersion: looked.version,
      listed: listed.offers.map((o) => o.offerId),
    };
  };

  before(async () => {
    kit = await engineKit();
    emulator = await startEmulator({ timeScale: 10_000_000 });
    const definition = sampleDefinition({ pricedPlans: true });
    await emulator.control.seed({
      offers: [
        {
          publisherId: "contoso",
          offer: {
            id: "managed-elsewhere",
            publisherId: "contoso",
            offerTypeId: "microsoft-azure-virtualmachines",
            definition,
          },
        },
      ],
    });
    stack = await inlineStack(kit, "lookups", program);
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

  it("up reads the offer into outputs; the next up reads it again; destroy leaves it; nothing is ever written", async () => {
    await emulator.control.clearRequests();
    const up = await stack.up();
    expect(up.summary.result).to.equal("succeeded");
    expect(up.outputs.title.value).to.equal("Fabrikam Appliance");
    expect(up.outputs.status.value).to.equal("neverPublished");
    expect(up.outputs.lookedUpTitle.value).to.equal("Fabrikam Appliance");
    expect(up.outputs.lookedUpVersion.value).to.equal(1);
    expect(up.outputs.listed.value).to.deep.equal(["managed-elsewhere"]);
    const deployment = (await stack.exportStack()).deployment as {
      resources: Array<{ urn: string; external?: boolean; id?: string }>;
    };
    const read = deployment.resources.find((r) => r.urn.endsWith("::existing"));
    expect(read).to.include({ external: true, id: "contoso/managed-elsewhere" });
    // An out-of-band change shows in the next read.
    await emulator.control.editOffer("contoso", "managed-elsewhere", {
      definition: { offer: { [TITLE]: "Renamed in the portal" } },
    });
    const again = await stack.up();
    expect(again.outputs.title.value).to.equal("Renamed in the portal");
    const events: any[] = [];
    await stack.destroy({ onEvent: (e) => events.push(e) });
    const lines = events
      .filter((e) => e.diagnosticEvent && e.diagnosticEvent.severity !== "debug")
      .map((e) => e.diagnosticEvent.message as string)
      .join("\n");
    expect(lines).to.not.match(/retained/);
    expect((await emulator.control.offer("contoso", "managed-elsewhere")).draft.definition.offer[TITLE]).to.equal(
      "Renamed in the portal",
    );
    const api = (await emulator.control.requests()).filter((r) => r.kind === "api");
    expect(api.length).to.be.greaterThan(0);
    expect(api.filter((r) => r.method !== "GET")).to.deep.equal([]);
  });
});
