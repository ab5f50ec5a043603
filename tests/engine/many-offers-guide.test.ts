// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startEmulator } from "../../emulator/index.js";
import { FAST_TIME_SCALE } from "../../emulator/modes.js";
import { INLINE_PROJECT } from "../../scripts/lib/engine-kit.js";
import { REPO } from "../../scripts/lib/engine-project.js";
import { tsBlocks } from "../helpers/markdown.js";
import { blockProgram, configureForEmulator, engineKit, inlineStack, type EngineKit } from "../helpers/engine.js";
import { sampleDefinition } from "../helpers/offers.js";
import { scratchDir } from "../helpers/scratch.js";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

/**
 * docs/guides/many-offers.md's program, as a reader pastes it: one project, a stack per group of
 * offers, each stack's config naming its offers (set with the guide's `config set --path`
 * commands) and each offer's definition read from `offers/<offerId>.json`. Two stacks split three
 * offers; each publishes its own to preview, and neither touches the other's.
 */
describe("engine: the many-offers guide's split catalogue runs as written", function () {
  this.timeout(300_000);
  let kit: EngineKit;
  let emulator: Emulator;
  let catalogue: string;
  const guide = readFileSync(join(REPO, "docs", "guides", "many-offers.md"), "utf8");
  const block = tsBlocks(guide).find((b) => b.code.includes("new Offer("));
  const quiet = { onOutput: () => undefined };

  // The program reads `offers/<id>.json` relative to where it runs, as `pulumi up` in the project folder.
  const program = (code: string) => blockProgram(kit, code, "many-offers-guide", catalogue);

  /** The guide's `pulumi config set --path 'offers[i]' <id>` commands, for this stack's offers. */
  const configCommands = (md: string) =>
    [...md.matchAll(/^pulumi config set --path '(offers\[\d+\])' (\S+)$/gm)].map((m) => ({ key: m[1], value: m[2] }));

  const flat = (md: string) => md.replace(/\s+/g, " ");

  before(async () => {
    kit = await engineKit();
    emulator = await startEmulator({ timeScale: FAST_TIME_SCALE });
    catalogue = scratchDir("many-offers");
    mkdirSync(join(catalogue, "offers"));
    for (const offerId of ["contoso-web", "contoso-db", "contoso-cache"])
      writeFileSync(
        join(catalogue, "offers", `${offerId}.json`),
        JSON.stringify(sampleDefinition({ displayText: offerId, withoutSas: true, pricedPlans: true })),
      );
  });
  after(() => emulator?.close());

  it("each stack publishes the offers its config names, and only those", async () => {
    expect(block, "the guide has the program's block").to.not.equal(undefined);
    const commands = configCommands(guide);
    expect(commands.map((c) => c.value)).to.deep.equal(["contoso-web", "contoso-db"]);
    const run = program(block!.code);
    const a = await inlineStack(kit, "catalogue-a", run);
    await configureForEmulator(a, emulator);
    // As the guide's commands do: `pulumi config set --path` (the CLI, through the Automation API).
    for (const c of commands) await a.setConfig(c.key, { value: c.value }, true);
    const b = await inlineStack(kit, "catalogue-b", run);
    await configureForEmulator(b, emulator);
    await b.setConfig("offers[0]", { value: "contoso-cache" }, true);

    const upA = await a.up(quiet);
    expect(upA.outputs.phases?.value).to.deep.equal(["waitingForSignoff", "waitingForSignoff"]);
    expect(await emulator.control.offer("contoso", "contoso-cache").catch(() => undefined)).to.equal(undefined);
    const upB = await b.up(quiet);
    expect(upB.outputs.phases?.value).to.deep.equal(["waitingForSignoff"]);
    for (const offerId of ["contoso-web", "contoso-db", "contoso-cache"]) {
      const held = await emulator.control.offer("contoso", offerId);
      expect(held.preview, offerId).to.not.equal(null);
      expect(held.draft.definition.displayText).to.equal(offerId);
    }
    // The other stack's up changed nothing of the first's.
    const again = await a.preview(quiet);
    expect(again.changeSummary).to.deep.equal({ same: 5 });

    // What the guide says of moving contoso-db: `pulumi state move` refuses between these stacks,
    // and taking it out of a stack's config lets go of it without deleting it.
    const urn = (type: string, name: string) => `urn:pulumi:catalogue-a::${INLINE_PROJECT}::${type}::${name}`;
    const move = () =>
      execFileSync(
        kit.pulumiCommand.command,
        [
          ...["state", "move", "--yes", "--non-interactive", "--source", "catalogue-a", "--dest", "catalogue-b"],
          urn("pulumi-nodejs:dynamic/cloudpartner:Offer", "contoso-db"),
          urn("pulumi-nodejs:dynamic/cloudpartner:OfferPublish", "contoso-db-preview"),
        ],
        { cwd: a.workspace.workDir, env: { ...process.env, ...kit.envVars }, stdio: "pipe", encoding: "utf8" },
      );
    expect(move).to.throw(/already exists in destination stack/);
    expect(flat(guide)).to.include("already exists in destination stack");
    await a.removeConfig("offers[1]", true);
    await emulator.control.clearRequests();
    const letGo = await a.up(quiet);
    expect(letGo.summary.resourceChanges).to.deep.include({ delete: 2 });
    const held = await emulator.control.offer("contoso", "contoso-db");
    expect(held.draft.definition.displayText, "the offer stays in Partner Center").to.equal("contoso-db");
    const writes = (await emulator.control.requests()).filter((r) => r.kind !== "aad" && r.method !== "GET");
    expect(
      writes.map((r) => `${r.method} ${r.path}`),
      "nothing written",
    ).to.deep.equal([]);
    await b.destroy(quiet);
    await a.destroy(quiet);
  });
});
