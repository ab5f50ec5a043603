// SPDX-License-Identifier: Apache-2.0
/**
 * A PiaClient against an in-process emulator whose waits move the emulated clock: the client's
 * `sleep` advances it (and the client's `now`) instead of sleeping, so configure jobs move
 * without wall-clock waits (tests/client/pia.test.ts, tests/reliability/pia-client.test.ts).
 */
import type { startEmulator } from "../../emulator/index.js";
import { PiaClient, schemaUrl, type PiaClientOptions, type PiaResource } from "../../provider/pia/index.js";
import { sampleDefinition } from "./offers.js";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

/** The publisher of the emulator's start principal. */
export const PIA_PUB = "contoso";

/** Emulated duration of every publishing step while a PIA test runs: a preview reaches sign-off in minutes. */
export const PIA_STEP_MS = 5 * 60_000;

/** The client's clock: `now` in epoch ms, moved only by the client's own sleeps; `sleeps` lists them. */
export interface EmulatedWaits {
  now: number;
  sleeps: number[];
}

/** A fresh clock starting at the machine's time. */
export function emulatedWaits(): EmulatedWaits {
  return { now: Date.now(), sleeps: [] };
}

/** A PiaClient on the emulator's Product Ingestion API with its start principal's secret. */
export function piaClient(emulator: Emulator, waits: EmulatedWaits, over: Partial<PiaClientOptions> = {}): PiaClient {
  return new PiaClient({
    credential: {
      tenantId: emulator.tenantId,
      clientId: emulator.clientId,
      clientSecret: emulator.clientSecret,
      authority: emulator.authorityUrl,
    },
    endpoint: emulator.productIngestionUrl,
    now: () => waits.now,
    sleep: async (ms) => {
      waits.sleeps.push(ms);
      waits.now += ms;
      if (ms > 0) await emulator.control.clock({ advanceMs: ms });
    },
    ...over,
  });
}

/** Resets the emulator to real speed with {@link PIA_STEP_MS} publishing steps. */
export async function resetForPia(emulator: Emulator): Promise<void> {
  await emulator.control.reset();
  await emulator.control.clock({ timeScale: 1 });
  await emulator.control.setModes({
    stepDurationsMs: Object.fromEntries(
      ["displaydummycertify", "displaycertify", "displayprovision", "displaypackage", "live"].map((id) => [
        id,
        PIA_STEP_MS,
      ]),
    ),
  });
}

/** Seeds a priced VM offer through the control API: in the one store, the PIA product with external id `offerId`. */
export async function seedPiaOffer(emulator: Emulator, offerId: string): Promise<string> {
  await emulator.control.seed({
    offers: [
      {
        publisherId: PIA_PUB,
        offer: {
          id: offerId,
          publisherId: PIA_PUB,
          offerTypeId: "microsoft-azure-virtualmachines",
          definition: sampleDefinition({ pricedPlans: true }),
        },
      },
    ],
  });
  return offerId;
}

/** A preview submission of a product (api-notes §P5.4): all of the draft. */
export function previewSubmission(productId: string): PiaResource {
  return { $schema: schemaUrl("submission"), product: productId, target: { targetType: "preview" } };
}
