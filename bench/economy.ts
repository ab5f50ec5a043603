// SPDX-License-Identifier: Apache-2.0
/**
 * Requests per lifecycle step, counted from the emulator's request log: the provider's handlers
 * called in this process, configured the way the engine configures them (stack config through
 * `configure()`), against an in-process emulator.
 */
import { startEmulator } from "../emulator/index.js";
import { BENCH_TIME_SCALE } from "./lib/emulator-process.js";
import { configure } from "../provider/handlers/context.js";
import { providerFor } from "../provider/resources/provider.js";
import { BENCH_PUBLISHER, benchDefinition, pricedDefinition } from "./lib/definition.js";

/** One measured step: API requests (and polls among them) and token requests. */
export interface StepCount {
  step: string;
  api: number;
  polls: number;
  tokens: number;
  target: string;
}

/** Runs each step once and counts what reached the emulator. */
export async function requestEconomy(): Promise<StepCount[]> {
  const emulator = await startEmulator({ timeScale: BENCH_TIME_SCALE });
  const config: Record<string, string> = {
    "cloudpartner:tenantId": emulator.tenantId,
    "cloudpartner:clientId": emulator.clientId,
    "cloudpartner:clientSecret": emulator.clientSecret,
    "cloudpartner:endpoint": emulator.apiUrl,
    "cloudpartner:authority": emulator.authorityUrl,
    "cloudpartner:pollMinIntervalSeconds": "0.01",
    "cloudpartner:pollMaxIntervalSeconds": "0.2",
  };
  configure({ config: { get: (k) => config[k] } });
  const out: StepCount[] = [];
  let since = 0;
  const measure = async <T>(step: string, target: string, fn: () => Promise<T>): Promise<T> => {
    since = Math.max(since, ...(await emulator.control.requests(since)).map((r) => r.seq));
    const result = await quietly(fn);
    const log = (await emulator.control.requests(since)).filter((r) => r.seq > since);
    const api = log.filter((r) => r.kind === "api");
    out.push({
      step,
      target,
      api: api.length,
      polls: api.filter((r) => /\/operations\//.test(r.path)).length,
      tokens: log.length - api.length,
    });
    return result;
  };
  let n = 0;
  try {
    const offer = providerFor("offer");
    const pricing = providerFor("vmPricing");
    const publish = providerFor("offerPublish");
    const inputs = async (definition: ReturnType<typeof benchDefinition>) =>
      (await offer.check!({}, { publisherId: BENCH_PUBLISHER, offerId: `economy-${++n}`, definition })).inputs;
    const owned = await inputs(pricedDefinition());
    let created: any;
    await measure(
      "Offer create (first call of the process: includes the token)",
      "1 (+ OpenID metadata and 1 token)",
      async () => {
        created = await offer.create!(owned);
      },
    );
    await measure("Offer check + diff", "0", async () => {
      await offer.check!({}, owned);
      await offer.diff!("id", created.outs, owned);
    });
    const changed = pricedDefinition();
    changed.offer["microsoft-azure-marketplace.summary"] = "changed";
    await measure("Offer update (pricing in the definition)", "1", () =>
      offer.update!("id", created.outs, { ...owned, definition: changed }),
    );
    await measure("Offer read (refresh)", "1", () => offer.read!("id", created.outs));
    const delegated = await inputs(benchDefinition());
    const d = await offer.create!(delegated);
    const changedDelegated = benchDefinition();
    changedDelegated.offer["microsoft-azure-marketplace.summary"] = "changed";
    await measure("Offer update (a plan's pricing left to VmPricing)", "2 (read, compare, write)", () =>
      offer.update!("id", d.outs, { ...delegated, definition: changedDelegated }),
    );
    const adopted = benchDefinition();
    adopted.offer["microsoft-azure-marketplace.summary"] = "adopted";
    await measure("Offer adopt (existing offer, one change)", "2", () =>
      offer.create!({ ...delegated, adopt: true, definition: adopted }),
    );
    const priced = await measure("VmPricing apply", "2 (+2 per 412)", () =>
      pricing.create!({
        publisherId: BENCH_PUBLISHER,
        offerId: delegated.offerId,
        planId: "payg",
        pricing: { kind: "perCore", pricePerCoreUsd: 1 },
      }),
    );
    await measure("OfferPublish to preview", "POST + polls + status", () =>
      publish.create!({ publisherId: BENCH_PUBLISHER, offerId: owned.offerId, target: "preview" }),
    );
    const live = await measure("OfferPublish to live", "2 POSTs + polls + Preview slot + status", () =>
      publish.create!({
        publisherId: BENCH_PUBLISHER,
        offerId: delegated.offerId,
        target: "live",
        approvedContentHash: "unreviewed",
      }),
    );
    await measure("Refresh of one offer's Offer, VmPricing and OfferPublish (read in turn)", "1", async () => {
      await offer.read!(d.id, d.outs);
      await pricing.read!(priced.id, priced.outs);
      await publish.read!(live.id, live.outs);
    });
    return out;
  } finally {
    await emulator.close();
  }
}

/** Runs `fn` with the provider's console lines swallowed (they would interleave with the report). */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const log = console.log;
  const err = console.error;
  console.log = () => undefined;
  console.error = () => undefined;
  try {
    return await fn();
  } finally {
    console.log = log;
    console.error = err;
  }
}
