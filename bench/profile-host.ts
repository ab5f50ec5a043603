// SPDX-License-Identifier: Apache-2.0
/**
 * `npm run bench:profile`: where the dynamic-provider host's CPU goes during one operation of the
 * offers stack and of the content floor (bench/lib/stacks.ts), from a CPU profile of each host.
 * A diagnostic, not part of `npm run bench`: the profiler slows the host, so its times are not
 * the bench's. Prints each part's self time in both hosts (module loading, garbage collection,
 * idle, each npm package) and keeps the .cpuprofile files (open them in Chrome's DevTools).
 *
 * Knobs: `BENCH_PROFILE_COUNT` (offers, default 100), `BENCH_PROFILE_OP` (`preview`, `up`,
 * `refresh` or `destroy`; default `refresh`), `BENCH_LATENCY_MS` (default 20),
 * `BENCH_PROFILE_DIR` (where the profiles go; default a new folder under the system's temp
 * folder, printed).
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
import { join } from "node:path";
import { engineKit, pulumiRoot } from "../scripts/lib/engine-kit.js";
import { scratchDir } from "../scripts/lib/scratch.js";
import { addParts, compareParts, selfTimeByPart, type CpuProfile } from "./lib/cpu-profile.js";
import { spawnEmulator } from "./lib/emulator-process.js";
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

async function main(): Promise<void> {
  const count = Number(process.env.BENCH_PROFILE_COUNT ?? 100);
  const op = (process.env.BENCH_PROFILE_OP ?? "refresh") as Op;
  if (!Number.isInteger(count) || count < 1) throw new Error(`BENCH_PROFILE_COUNT: give a whole number of offers ≥ 1`);
  if (!OPS.includes(op)) throw new Error(`BENCH_PROFILE_OP: give one of ${OPS.join(", ")}`);
  const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 20);
  const out = process.env.BENCH_PROFILE_DIR ?? mkdtempSync(join(tmpdir(), "cpp-host-profile-"));
  process.env.PULUMI_ROOT = profilingRoot();
  const kit = await engineKit();
  const emulator = await spawnEmulator(100_000_000, { latencyMs });
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
      "Self time of the dynamic-provider host, ms (all hosts of the operation; idle is time spent waiting):",
      "",
      "| part | offers | content floor | difference |",
      "|---|---|---|---|",
      ...rows
        .filter((r) => Math.abs(r.difference) >= 1 || r.a >= 5)
        .map(
          (r) =>
            `| ${r.part} | ${r.a.toFixed(0)} | ${r.b.toFixed(0)} | ${r.difference >= 0 ? "+" : ""}${r.difference.toFixed(0)} |`,
        ),
      `| all | ${total(a.parts).toFixed(0)} | ${total(b.parts).toFixed(0)} | +${(total(a.parts) - total(b.parts)).toFixed(0)} |`,
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
