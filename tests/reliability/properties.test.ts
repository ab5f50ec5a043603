// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import fc from "fast-check";
import { sampleDefinition } from "../helpers/offers.js";
import { captureConsole, startProviderEnv, type ProviderEnv } from "../helpers/provider-env.js";

/** Bad input (issue 5): properties over arbitrary and malformed inputs against the emulator. */
describe("reliability: bad input never reaches the service", function () {
  this.timeout(120_000);
  let env: ProviderEnv;
  let n = 0;

  before(async () => {
    env = await startProviderEnv({ config: { "cloudpartner:retryDelayMs": "5" } });
  });
  after(() => env.close());

  /** A valid definition with arbitrary damage at arbitrary places. */
  const damaged = fc
    .record({
      path: fc.constantFrom(
        "displayText",
        "offer",
        "plans",
        "title",
        "logo",
        "planId",
        "regions",
        "pricing",
        "images",
        "category",
        "extra",
      ),
      value: fc.oneof(
        fc.anything(),
        fc.string(),
        fc.constant("http://insecure.example/x"),
        fc.constant(""),
        fc.constant("Bad_Id!"),
      ),
    })
    .map(({ path, value }) => {
      const d: any = sampleDefinition();
      const ns = "microsoft-azure-marketplace.";
      switch (path) {
        case "displayText":
          d.displayText = value;
          break;
        case "offer":
          d.offer = value;
          break;
        case "plans":
          d.plans = value;
          break;
        case "title":
          d.offer[ns + "title"] = value;
          break;
        case "logo":
          d.offer[ns + "smallLogo"] = value;
          break;
        case "planId":
          d.plans[0].planId = value;
          break;
        case "regions":
          d.plans[1].regions = value;
          break;
        case "pricing":
          d.plans[0].virtualMachinePricing = value;
          break;
        case "images":
          d.plans[0]["microsoft-azure-virtualmachines.vmImages"] = value;
          break;
        case "category":
          d.offer[ns + "categoryMap"] = value;
          break;
        default:
          d.status = value;
      }
      return d;
    });

  it("check never throws, makes no request, and whatever it accepts the service accepts", async () => {
    const offer = env.provider("offer");
    let accepted = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(damaged, async (definition) => {
        await env.clearLog();
        const offerId = `prop-${++n}`;
        const checked = await offer.check({}, { publisherId: "contoso", offerId, definition });
        expect(await env.requests({ includeAad: true })).to.deep.equal([]);
        if (checked.failures?.length) {
          refused++;
          for (const f of checked.failures) expect(f.property).to.be.a("string").and.not.equal("");
          return; // the engine stops here: nothing reaches the API
        }
        accepted++;
        const { error } = await captureConsole(() => offer.create(checked.inputs));
        expect(error, String(error)).to.equal(undefined);
      }),
      { numRuns: 150 },
    );
    expect(refused).to.be.greaterThan(0);
    expect(accepted).to.be.greaterThan(0);
  });

  it("malformed answers give typed errors: invalid JSON, an operation without status, an unknown status word", async () => {
    const { inputs } = await env
      .provider("offer")
      .check(
        {},
        { publisherId: "contoso", offerId: `malformed-${++n}`, definition: sampleDefinition({ pricedPlans: true }) },
      );
    await env.provider("offer").create(inputs);
    await env.control("POST", "/faults", {
      method: "GET",
      path: `/offers/${inputs.offerId}`,
      status: 200,
      body: "{not json",
    });
    const { error: e1 } = await captureConsole(() => env.provider("offer").read("id", { ...inputs }));
    expect((e1 as any).code).to.equal("CPP_INVALID_RESPONSE");
    await env.control("POST", "/faults", {
      method: "GET",
      path: "/api/operations/",
      status: 200,
      body: { steps: [] },
      count: 100,
    });
    const { error: e2 } = await captureConsole(() =>
      env
        .provider("offerPublish")
        .create({ publisherId: "contoso", offerId: inputs.offerId, target: "preview", timeoutSeconds: 1 }),
    );
    expect((e2 as any).code).to.be.oneOf(["CPP_PARTIAL_FAILURE", "CPP_INVALID_RESPONSE"]);
    await env.control("DELETE", "/faults");
    // A fresh offer (the first one's publish has finished and would be waited on), and every
    // operation URL form answering a status word nobody documents.
    const fresh = { ...inputs, offerId: `malformed-${++n}` };
    await env.provider("offer").create(fresh);
    await env.control("POST", "/faults", {
      method: "GET",
      path: "/\\/operations\\//",
      status: 200,
      body: { status: "pondering" },
      count: 1000,
    });
    const { error: e3 } = await captureConsole(() =>
      env
        .provider("offerPublish")
        .create({ publisherId: "contoso", offerId: fresh.offerId, target: "preview", timeoutSeconds: 1 }),
    );
    // Not a normal wait: red, with the operation kept in state.
    expect((e3 as any).code).to.equal("CPP_PARTIAL_FAILURE");
    expect((e3 as Error).message).to.match(/could not be followed until the deadline.*status word was not recognised/);
    expect((e3 as any).properties.phase).to.equal("inProgress");
    await env.control("DELETE", "/faults");
  });
});
