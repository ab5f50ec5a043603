// SPDX-License-Identifier: Apache-2.0
/**
 * Engine-tier harness: the real Pulumi CLI through the Automation API with the packed package
 * installed as a user installs it (scripts/lib/engine-kit.ts, shared with the benchmarks), and
 * the tests' stack config pointing the provider at an emulator with short poll intervals.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { emulatorConfig } from "../../scripts/lib/engine-project.js";
import type { EngineKit, InlineStack } from "../../scripts/lib/engine-kit.js";

export { engineKit, inlineStack, pulumiRoot, scratchProject, type EngineKit } from "../../scripts/lib/engine-kit.js";

/** Sets the cloudpartner:* config of a stack to point at an emulator. */
export async function configureForEmulator(
  stack: InlineStack,
  e: { apiUrl: string; authorityUrl: string; tenantId: string; clientId: string; clientSecret: string },
  extra: Record<string, string> = {},
): Promise<void> {
  await stack.setAllConfig(
    emulatorConfig(e, {
      "cloudpartner:pollMinIntervalSeconds": "0.05",
      "cloudpartner:pollMaxIntervalSeconds": "0.5",
      ...extra,
    }),
  );
}

/**
 * A documented TypeScript program block, compiled to CommonJS as `<name>.js` in the project that
 * has the packed package installed, as an inline program: each run (preview, up) evaluates the
 * module afresh, as a new process would, with `cwd` (when given) as the working folder it reads
 * files from, as `pulumi up` run in the project folder.
 */
export function blockProgram(
  kit: EngineKit,
  code: string,
  name: string,
  cwd?: string,
): () => Promise<Record<string, unknown>> {
  const file = join(kit.project, `${name}.js`);
  const js = ts.transpileModule(code, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, strict: true },
  }).outputText;
  writeFileSync(file, js);
  return async () => {
    delete require.cache[require.resolve(file)];
    const previous = process.cwd();
    if (cwd) process.chdir(cwd);
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a program module, loaded at each run
      return { ...(require(file) as Record<string, unknown>) };
    } finally {
      if (cwd) process.chdir(previous);
    }
  };
}
