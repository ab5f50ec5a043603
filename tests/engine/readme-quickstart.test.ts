// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startEmulator } from "../../emulator/index.js";
import { FAST_TIME_SCALE } from "../../emulator/modes.js";
import { REPO } from "../../scripts/lib/engine-project.js";
import { tsBlocks } from "../helpers/markdown.js";
import { blockProgram, configureForEmulator, engineKit, inlineStack, type EngineKit } from "../helpers/engine.js";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

/**
 * README's quickstart, as a reader pastes it: its `index.ts` block, compiled as written and run
 * by the real engine against an emulator started as the README starts it (`--fast`) and
 * configured with the same keys. It passes `check`, `up` publishes it to preview, and the change
 * the README suggests previews as that one listing key.
 */
describe("engine: README's quickstart runs as written", function () {
  this.timeout(300_000);
  let kit: EngineKit;
  let emulator: Emulator;
  let n = 0;
  const block = tsBlocks(readFileSync(join(REPO, "README.md"), "utf8")).find((b) => b.code.includes("new Offer("));
  const program = (code: string) => blockProgram(kit, code, `readme-quickstart-${++n}`);
  const quiet = { onOutput: () => undefined };

  before(async () => {
    kit = await engineKit();
    emulator = await startEmulator({ timeScale: FAST_TIME_SCALE });
  });
  after(() => emulator?.close());

  it("passes check, up publishes it to preview, and the summary change previews as one listing key", async () => {
    expect(block, "README has the quickstart's index.ts block").to.not.equal(undefined);
    const stack = await inlineStack(kit, "readme-quickstart", program(block!.code));
    await configureForEmulator(stack, emulator);
    await stack.preview(quiet); // check and diff of every resource
    const up = await stack.up(quiet);
    expect(up.outputs.phase?.value).to.equal("waitingForSignoff");
    expect(up.outputs.publishedContentHash?.value).to.match(/^sha256:/);
    const held = await emulator.control.offer("contoso", "contoso-appliance");
    expect(held.preview).to.not.equal(null);
    expect(held.draft.definition.plans[0].virtualMachinePricing).to.be.an("object");

    const changed = block!.code.replace('"A hardened network appliance image"', '"A changed summary"');
    expect(changed).to.not.equal(block!.code);
    const next = await inlineStack(kit, "readme-quickstart", program(changed));
    const preview = await next.preview({ diff: true, ...quiet });
    expect(preview.changeSummary).to.include({ update: 2 }); // the Offer, and the publication it triggers
    expect(preview.stdout).to.contain("microsoft-azure-marketplace.summary").and.contain("A changed summary");
    await stack.destroy(quiet);
  });

  it("the check can fail: the block without a required listing key fails preview, naming it", async () => {
    const broken = block!.code.replace(/^.*privacyURL.*$/m, "");
    expect(broken).to.not.equal(block!.code);
    const stack = await inlineStack(kit, "readme-quickstart-broken", program(broken));
    await configureForEmulator(stack, emulator);
    const failed = await stack.preview(quiet).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(String(failed?.message)).to.match(/microsoft-azure-marketplace\.privacyURL.*is required/);
  });
});
