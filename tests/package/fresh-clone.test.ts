// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { PULUMI_SDK_VERSION, REPO } from "../../scripts/lib/engine-project.js";
import { scratchDir } from "../helpers/scratch.js";
import { typecheck } from "../helpers/typecheck.js";

const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

/**
 * `npm pack` in a fresh clone builds the package (the `prepare` script) and yields a working one:
 * the repository cloned at HEAD into a scratch folder, its dependencies installed WITHOUT running
 * any script (so nothing is built beforehand), `npm pack`, then the tarball installed into a
 * scratch project that requires every entry point and type-checks against its declarations.
 */
describe("package: npm pack from a fresh clone", function () {
  this.timeout(600_000);
  let tarball: string;
  let project: string;

  before(() => {
    const clone = join(scratchDir("fresh-clone"), "repo");
    run("git", ["clone", "--quiet", "--no-hardlinks", REPO, clone], REPO);
    run("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], clone);
    expect(existsSync(join(clone, "dist")), "nothing is built before the pack").to.equal(false);
    const out = join(scratchDir("fresh-pack"));
    const name = run("npm", ["pack", "--silent", "--pack-destination", out], clone).trim().split("\n").pop()!;
    tarball = join(out, name);
    project = scratchDir("fresh-consumer");
    run("npm", ["init", "-y"], project);
    run(
      "npm",
      ["install", "--no-audit", "--no-fund", "--loglevel=error", tarball, `@pulumi/pulumi@${PULUMI_SDK_VERSION}`],
      project,
    );
  });

  it("npm pack from a fresh clone builds and yields a working package", () => {
    const installed = join(project, "node_modules", "pulumi-cloudpartner");
    expect(readdirSync(join(installed, "dist"))).to.include.members(["provider", "emulator"]);
    // Every entry point of `exports` loads, with what users import from it.
    const probe = [
      'const cpp = require("pulumi-cloudpartner");',
      'const out = { resources: ["Offer", "OfferPublish", "VmPricing"].filter((k) => typeof cpp[k] === "function") };',
      'out.handlers = typeof require("pulumi-cloudpartner/handlers");',
      'out.client = typeof require("pulumi-cloudpartner/client");',
      'out.pia = typeof require("pulumi-cloudpartner/pia").PiaClient;',
      'out.emulator = typeof require("pulumi-cloudpartner/emulator").startEmulator;',
      'out.version = require("pulumi-cloudpartner/package.json").version;',
      "console.log(JSON.stringify(out));",
    ].join("\n");
    const loaded = JSON.parse(run(process.execPath, ["-e", probe], project));
    expect(loaded).to.deep.equal({
      resources: ["Offer", "OfferPublish", "VmPricing"],
      handlers: "object",
      client: "object",
      pia: "function",
      emulator: "function",
      version: loaded.version,
    });
    // The emulator's bin is installed and runs.
    expect(run(join(project, "node_modules", ".bin", "cloudpartner-emulator"), ["--help"], project)).to.match(
      /usage: cloudpartner-emulator/,
    );
  });

  it("the packed package type-checks: a program using it compiles, a wrong input does not", () => {
    const good = [
      'import { Offer, VmPricing } from "pulumi-cloudpartner";',
      'import { startEmulator } from "pulumi-cloudpartner/emulator";',
      'const definition = { displayText: "O", offer: {}, plans: [] };',
      'const offer = new Offer("o", { publisherId: "contoso", offerId: "o", definition });',
      'new VmPricing("p", { publisherId: "contoso", offerId: offer.offerId, planId: "x", pricing: { kind: "byol" } });',
      "export const started: Promise<{ apiUrl: string }> = startEmulator();",
    ].join("\n");
    const ok = typecheck(project, { "good.ts": good });
    expect(ok.ok, ok.output).to.equal(true);
    const bad = typecheck(project, {
      "bad.ts": 'import { Offer } from "pulumi-cloudpartner";\nnew Offer("o", { publisherId: 1, offerId: "o" });\n',
    });
    expect(bad.ok).to.equal(false);
    expect(bad.output).to.match(/bad\.ts/);
  });
});
