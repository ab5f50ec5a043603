// SPDX-License-Identifier: Apache-2.0
/**
 * Type-checks TypeScript sources in a scratch project that has the package installed, the way a
 * user's editor and `tsc` see it: strict, nodenext resolution through the package's `exports`
 * and `types`, with this repository's TypeScript and @types/node (nothing else is installed).
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "../../scripts/lib/engine-project.js";

/** What tsc said: `ok` when it exited 0; `output` its diagnostics. */
export interface TypecheckResult {
  ok: boolean;
  output: string;
}

/**
 * Writes `files` (name → source) into `dir` with a tsconfig.json and runs `tsc --noEmit` there;
 * `options` override the compiler options (e.g. another `moduleResolution`).
 */
export function typecheck(
  dir: string,
  files: Record<string, string>,
  options: Record<string, unknown> = {},
): TypecheckResult {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify(
      {
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: "es2022",
          module: "nodenext",
          moduleResolution: "nodenext",
          // Each file is its own module, so two snippets may declare the same names.
          moduleDetection: "force",
          esModuleInterop: true,
          types: ["node"],
          typeRoots: [join(REPO, "node_modules", "@types")],
          ...options,
        },
        files: Object.keys(files),
      },
      null,
      2,
    ),
  );
  const run = spawnSync(process.execPath, [join(REPO, "node_modules", "typescript", "bin", "tsc"), "-p", dir], {
    cwd: dir,
    encoding: "utf8",
  });
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}`.trim() };
}
