// SPDX-License-Identifier: Apache-2.0
/**
 * Engine-tier harness: the real Pulumi CLI through the Automation API with the packed package
 * installed as a user installs it (scripts/lib/engine-kit.ts, shared with the benchmarks), and
 * the tests' stack config pointing the provider at an emulator with short poll intervals.
 */
import { emulatorConfig } from "../../scripts/lib/engine-project.js";
import type { InlineStack } from "../../scripts/lib/engine-kit.js";

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
