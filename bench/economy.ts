// SPDX-License-Identifier: Apache-2.0
/** Requests per lifecycle step, counted from the emulator's request log (issue 6, measure 1). */
import { sampleDefinition } from "../tests/helpers/offers.js";
import { captureConsole, startProviderEnv } from "../tests/helpers/provider-env.js";

/** One measured step: API requests (and polls among them) and token requests. */
export interface StepCount {
  step: string;
  api: number;
  polls: number;
  tokens: number;
  target: string;
}

export async function requestEconomy(): Promise<StepCount[]> {
  const env = await startProviderEnv({
    timeScale: 100_000_000,
    config: { "cloudpartner:pollMinIntervalSeconds": "0.01" },
  });
  const out: StepCount[] = [];
  let n = 0;
  const measure = async (step: string, target: string, fn: () => Promise<unknown>) => {
    await env.clearLog();
    const { error } = await captureConsole(fn as () => Promise<unknown>);
    if (error) throw error;
    const log = await env.requests({ includeAad: true });
    const api = log.filter((r) => r.kind === "api");
    out.push({
      step,
      target,
      api: api.length,
      polls: api.filter((r) => /\/operations\//.test(r.path)).length,
      tokens: log.length - api.length,
    });
  };
  try {
    const offer = env.provider("offer");
    const pricing = env.provider("vmPricing");
    const publish = env.provider("offerPublish");
    const inputs = async (priced: boolean) =>
      (
        await offer.check(
          {},
          { publisherId: "contoso", offerId: `bench-${++n}`, definition: sampleDefinition({ pricedPlans: priced }) },
        )
      ).inputs;

    const owned = await inputs(true);
    let created: any;
    await measure(
      "Offer create (first call of the process: includes the token)",
      "1 (+ OpenID metadata and 1 token)",
      async () => {
        created = await offer.create(owned);
      },
    );
    await measure("Offer check + diff", "0", async () => {
      await offer.check({}, owned);
      await offer.diff("id", created.outs, owned);
    });
    await measure("Offer update (pricing in the definition)", "1", () =>
      offer.update("id", created.outs, { ...owned, definition: sampleDefinition({ pricedPlans: true, summary: "x" }) }),
    );
    await measure("Offer read (refresh)", "1", () => offer.read("id", created.outs));
    const delegated = await inputs(false);
    const d = await offer.create(delegated);
    await measure("Offer update (a plan's pricing left to VmPricing)", "2 (read, compare, write)", () =>
      offer.update("id", d.outs, { ...delegated, definition: sampleDefinition({ summary: "y" }) }),
    );
    await measure("Offer adopt (existing offer, one change)", "2", () =>
      offer.create({ ...delegated, adopt: true, definition: sampleDefinition({ summary: "z" }) }),
    );
    await measure("VmPricing apply", "2 (+2 per 412)", () =>
      pricing.create({ publisherId: "contoso", offerId: delegated.offerId, planId: "byol", pricing: { kind: "byol" } }),
    );
    await pricing.create({
      publisherId: "contoso",
      offerId: delegated.offerId,
      planId: "payg",
      pricing: { kind: "perCore", pricePerCoreUsd: 1 },
    });
    await measure("OfferPublish to preview", "POST + polls + status", () =>
      publish.create({ publisherId: "contoso", offerId: owned.offerId, target: "preview" }),
    );
    await measure("OfferPublish to live", "2 POSTs + polls + status", () =>
      publish.create({ publisherId: "contoso", offerId: delegated.offerId, target: "live" }),
    );
    return out;
  } finally {
    await env.close();
  }
}
