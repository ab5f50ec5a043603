// SPDX-License-Identifier: Apache-2.0
/**
 * `npm run bench:profile`: where the dynamic-provider host's CPU goes during one operation of the
 * offers stack and of the content floor (bench/lib/stacks.ts), from a CPU profile of each host.
 * A diagnostic, not part of `npm run bench`: the profiler slows the host, so its times are not
 * the bench's. Prints each part's self time in both hosts (module loading, garbage collection,
 * idle, each npm package) and keeps the .cpuprofile files (open them in Chrome's DevTools).
 *
 * Knobs: `BENCH_PROFILE_COUNT` (offers, default 100), `BENCH_PROFILE_OP` (`preview`, `up`,
 * `refresh` or `destroy`; default `refresh`), `BENCH_LATENCY_MS` (as for the bench, default 20),
 * `BENCH_PROFILE_DIR` (the folder under which each run makes a new folder for its profiles;
 * default the system's temp folder; the run prints where they are).
 */
import {
  chmodSync,
  copyFileSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { engineKit, pulumiRoot } from "../scripts/lib/engine-kit.js";
import { scratchDir } from "../scripts/lib/scratch.js";
import { addParts, compareParts, selfTimeByPart, type CpuProfile } from "./lib/cpu-profile.js";
import { benchConfig } from "./lib/config.js";
import { BENCH_TIME_SCALE, spawnEmulator } from "./lib/emulator-process.js";
import { floorStack, offersStack, OPS, timeOp, type BenchStack, type Op } from "./lib/stacks.js";

/**
 * A CLI root whose dynamic-provider plugin runs the host under the profiler: the CLI itself (a
 * hard link, or a copy across file systems; the CLI looks for the plugin next to its own real
 * path) and a plugin script like the SDK's with `-r profile-preload.js` added.
 */
function profilingRoot(): string {
  const root = scratchDir("profiling-cli");
  mkdirSync(join(root, "bin"));
  const cli = join(pulumiRoot(), "bin", "pulumi");
  try {
    linkSync(cli, join(root, "bin", "pulumi"));
  } catch {
    copyFileSync(cli, join(root, "bin", "pulumi"));
  }
  const plugin = join(root, "bin", "pulumi-resource-pulumi-nodejs");
  writeFileSync(
    plugin,
    [
      "#!/bin/sh",
      `script=$(node -e "console.log(require.resolve('@pulumi/pulumi/cmd/dynamic-provider'))")`,
      // exec: the CLI's child is the host itself, so the CLI's wait for it to stop covers the
      // profile being written.
      `exec node -r ${JSON.stringify(join(__dirname, "lib", "profile-preload.js"))} "$script" "$@"`,
      "",
    ].join("\n"),
  );
  chmodSync(plugin, 0o755);
  return root;
}

async function profiled(s: BenchStack, op: Op, dir: string): Promise<{ ms: number; parts: Map<string, number> }> {
  mkdirSync(dir, { recursive: true });
  // The workspace passes its envVars to every CLI run, and the CLI to the hosts it starts.
  const env = s.stack.workspace.envVars;
  env.CPP_PROFILE_DIR = dir;
  const ms = await timeOp(s.stack, op).finally(() => delete env.CPP_PROFILE_DIR);
  const files = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
  if (files.length === 0) throw new Error(`no host profile was written to ${dir}: did the provider host start?`);
  return {
    ms,
    parts: addParts(files.map((f) => selfTimeByPart(JSON.parse(readFileSync(join(dir, f), "utf8")) as CpuProfile))),
  };
}

/** A difference in ms with its sign. */
const signed = (ms: number) => `${ms >= 0 ? "+" : ""}${ms.toFixed(0)}`;

async function main(): Promise<void> {
  // An empty variable is an unset one, as for the bench's other knobs.
  const count = Number(process.env.BENCH_PROFILE_COUNT?.trim() || 100);
  const op = (process.env.BENCH_PROFILE_OP?.trim() || "refresh") as Op;
  if (!Number.isInteger(count) || count < 1) throw new Error(`BENCH_PROFILE_COUNT: give a whole number of offers ≥ 1`);
  if (!OPS.includes(op)) throw new Error(`BENCH_PROFILE_OP: give one of ${OPS.join(", ")}`);
  const { latencyMs } = benchConfig();
  // A new folder per run, so a BENCH_PROFILE_DIR used before adds no old profiles to the totals.
  const parent = process.env.BENCH_PROFILE_DIR?.trim() || tmpdir();
  mkdirSync(parent, { recursive: true });
  const out = mkdtempSync(join(resolve(parent), "cpp-host-profile-"));
  process.env.PULUMI_ROOT = profilingRoot();
  const kit = await engineKit();
  const emulator = await spawnEmulator(BENCH_TIME_SCALE, { latencyMs });
  try {
    const offers = await offersStack(kit, count, emulator, `profile-offers-${count}`);
    const content = await floorStack(kit, count, `profile-content-${count}`, true);
    const run = async (s: BenchStack, name: string) => {
      // The stack the operation needs: deployed for preview, refresh and destroy; empty for up.
      if (op !== "up") await timeOp(s.stack, "up");
      const r = await profiled(s, op, join(out, name));
      if (op !== "destroy") await timeOp(s.stack, "destroy");
      return r;
    };
    const a = await run(offers, "offers");
    const b = await run(content, "content-floor");
    const rows = compareParts(a.parts, b.parts);
    const total = (m: Map<string, number>) => [...m.values()].reduce((x, y) => x + y, 0);
    const lines = [
      `${op} of ${count} offers (${3 * count} resources), emulated latency ${latencyMs} ms, under the profiler:` +
        ` offers ${(a.ms / 1000).toFixed(2)} s, content floor ${(b.ms / 1000).toFixed(2)} s.`,
      "",
      "Self time of the dynamic-provider host, ms (all hosts of the operation; idle is time spent waiting, and counts in the total):",
      "",
      "| part | offers | content floor | difference |",
      "|---|---|---|---|",
      ...rows
        .filter((r) => Math.abs(r.difference) >= 1 || r.a >= 5)
        .map((r) => `| ${r.part} | ${r.a.toFixed(0)} | ${r.b.toFixed(0)} | ${signed(r.difference)} |`),
      `| all, idle included | ${total(a.parts).toFixed(0)} | ${total(b.parts).toFixed(0)} | ${signed(total(a.parts) - total(b.parts))} |`,
      "",
      `Profiles: ${out}`,
      "",
    ];
    process.stdout.write(lines.join("\n"));
  } finally {
    await emulator.close();
  }
}

main().catch((e) => {
  process.stderr.write(`bench:profile failed: ${(e as Error).stack}\n`);
  process.exit(1);
});
