// SPDX-License-Identifier: Apache-2.0
/**
 * Scale under the real engine (issue 6, measure 2) and the provider process's peak memory
 * (measure 5): preview, up, refresh and destroy of N offers against the emulator with 20 ms per
 * request, each as a ratio against N no-op dynamic resources run by the same engine in the same
 * run — the engine's own floor.
 */
import { execFileSync } from "node:child_process";
import { startEmulator } from "../emulator/index.js";
import { sampleDefinition } from "../tests/helpers/offers.js";
import { configureForEmulator, engineKit, inlineStack, type EngineKit } from "../tests/helpers/engine.js";

export interface ScaleRow {
  count: number;
  op: string;
  offersMs: number;
  /** No-op dynamic resources with a one-key input: the engine's floor the issue asks for. */
  noopMs: number;
  ratio: number;
  /** No-op resources carrying the same offer definition as inputs: separates input size from provider work. */
  noopSameInputsMs: number;
  ratioSameInputs: number;
}

const OPS = ["preview", "up", "refresh", "destroy"] as const;

export async function scale(counts: number[]): Promise<{ rows: ScaleRow[]; peakRssMb: number }> {
  const kit = await engineKit();
  const emulator = await startEmulator({ timeScale: 100_000_000, modes: { latencyMs: 20 } });
  const rows: ScaleRow[] = [];
  let peakRssMb = 0;
  try {
    for (const count of counts) {
      const offers = await timeStack(
        kit,
        `offers-${count}`,
        async () => {
          const { Offer } = kit.cpp;
          for (let i = 0; i < count; i++)
            new Offer(`o${i}`, {
              publisherId: "contoso",
              offerId: `scale-${count}-${i}`,
              definition: sampleDefinition({ pricedPlans: true }),
            });
        },
        (s) => configureForEmulator(s, emulator),
        count === Math.max(...counts)
          ? (mb) => {
              peakRssMb = Math.max(peakRssMb, mb);
            }
          : undefined,
      );
      const noopProgram = (withDefinition: boolean) => async () => {
        // The engine's floor: dynamic resources whose provider does nothing.
        const provider = {
          async create(inputs: Record<string, unknown>) {
            return { id: String(inputs.key), outs: inputs };
          },
          async diff() {
            return { changes: false };
          },
          async read(id: string, props: Record<string, unknown>) {
            return { id, props };
          },
          async delete() {
            /* nothing */
          },
        };
        class Noop extends kit.pulumi.dynamic.Resource {
          constructor(name: string, props: Record<string, unknown>) {
            super(provider, name, props, {}, "bench", "Noop");
          }
        }
        for (let i = 0; i < count; i++)
          new Noop(`n${i}`, {
            key: `noop-${count}-${i}`,
            ...(withDefinition ? { definition: sampleDefinition({ pricedPlans: true }) } : {}),
          });
      };
      const noop = await timeStack(kit, `noop-${count}`, noopProgram(false), async () => undefined);
      const same = await timeStack(kit, `noop-inputs-${count}`, noopProgram(true), async () => undefined);
      for (const op of OPS)
        rows.push({
          count,
          op,
          offersMs: offers[op],
          noopMs: noop[op],
          ratio: offers[op] / noop[op],
          noopSameInputsMs: same[op],
          ratioSameInputs: offers[op] / same[op],
        });
    }
  } finally {
    await emulator.close();
  }
  return { rows, peakRssMb };
}

async function timeStack(
  kit: EngineKit,
  name: string,
  program: () => Promise<void>,
  configure: (s: any) => Promise<void>,
  onRss?: (mb: number) => void,
): Promise<Record<(typeof OPS)[number], number>> {
  const stack = await inlineStack(kit, name, program);
  await configure(stack);
  const times = {} as Record<(typeof OPS)[number], number>;
  const sampler = onRss ? setInterval(() => onRss(providerRssMb()), 100) : undefined;
  try {
    for (const op of OPS) {
      const t = Date.now();
      if (op === "preview") await stack.preview();
      else if (op === "up") await stack.up();
      else if (op === "refresh") await stack.refresh();
      else await stack.destroy();
      times[op] = Date.now() - t;
    }
  } finally {
    if (sampler) clearInterval(sampler);
  }
  return times;
}

/** Resident memory of the dynamic-provider plugin processes now, in MB (0 when none runs). */
function providerRssMb(): number {
  try {
    const out = execFileSync("ps", ["-eo", "rss,args"], { encoding: "utf8" });
    return out
      .split("\n")
      .filter((l) => l.includes("cmd/dynamic-provider"))
      .reduce((m, l) => Math.max(m, Number(l.trim().split(/\s+/)[0]) / 1024), 0);
  } catch {
    return 0;
  }
}
