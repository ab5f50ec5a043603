// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { execFile } from "node:child_process";
import { readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startEmulator } from "../../emulator/index.js";
import { installPackedProject, REPO } from "../../scripts/lib/engine-project.js";
import { configureForEmulator, engineKit, type EngineKit } from "../helpers/engine.js";
import { exportSeedOffers, PLANTED_LEAD_SECRET, UNMODELLED_PRICING } from "../helpers/export-offers.js";
import { scratchDir } from "../helpers/scratch.js";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
const PUB = "contoso";
const CLI = join(REPO, "dist", "provider", "export", "cli.js");
const TSC = join(REPO, "node_modules", "typescript", "bin", "tsc");

/** Runs a command without blocking this process (the emulator answers from it). */
function run(
  cmd: string,
  args: string[],
  env: Record<string, string>,
  cwd?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env: { PATH: process.env.PATH ?? "", ...env }, cwd }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/**
 * The round trip of README "Adopting existing offers": offers seeded through the control API →
 * `cloudpartner-export` (child process, env pointing at the emulator) → the packed package
 * installed in the generated project → its index.ts compiled and run by the real engine.
 */
describe("engine: cloudpartner-export round trip", function () {
  this.timeout(600_000);
  let emulator: Emulator;
  let kit: EngineKit;
  let dir: string;
  let build: string;
  let cli: { code: number; stdout: string; stderr: string };
  let stack: any;
  let seeded: Record<string, any>;

  const writes = async () =>
    (await emulator.control.requests()).filter((r) => r.kind === "api" && (r.method === "PUT" || r.method === "POST"));
  const draft = async (offerId: string) => (await emulator.control.offer(PUB, offerId)).draft;
  const compile = async () => {
    const r = await run(process.execPath, [TSC, "-p", join(dir, "tsconfig.json"), "--outDir", build], {});
    expect(r.code, r.stdout + r.stderr).to.equal(0);
  };
  const program = async () => {
    const file = join(build, "index.js");
    // The program is the compiled file, run afresh each time (a fresh module registers afresh).
    delete require.cache[require.resolve(file)];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(file);
  };

  before(async () => {
    emulator = await startEmulator({ timeScale: 10_000_000 });
    await emulator.control.seed({ offers: exportSeedOffers() });
    dir = join(scratchDir("export"), "contoso-offers");
    cli = await run(process.execPath, [CLI, "--publisher", PUB, "--out", dir], {
      AZURE_TENANT_ID: emulator.tenantId,
      AZURE_CLIENT_ID: emulator.clientId,
      AZURE_CLIENT_SECRET: emulator.clientSecret,
      CLOUDPARTNER_ENDPOINT: emulator.apiUrl,
      AZURE_AUTHORITY_HOST: emulator.authorityUrl,
    });
    expect(cli.code, cli.stderr).to.equal(0);
    seeded = {};
    for (const o of exportSeedOffers()) seeded[o.offer.id as string] = await draft(o.offer.id as string);
  });
  after(async () => {
    try {
      await stack?.destroy({ onOutput: () => undefined });
    } catch {
      /* reported by the tests */
    }
    await emulator?.close();
  });

  it("the export reads every offer (one progress line each on stderr) and writes a standalone project", () => {
    expect(
      cli.stderr
        .trim()
        .split("\n")
        .filter((l) => / read contoso\//.test(l)),
    ).to.have.length(5);
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    expect(Object.keys(pkg.dependencies).sort()).to.deep.equal(["@pulumi/pulumi", "pulumi-cloudpartner"]);
    expect(readFileSync(join(dir, "Pulumi.yaml"), "utf8"))
      .to.match(/^name: contoso-offers$/m)
      .and.match(/^runtime: nodejs$/m);
    const index = readFileSync(join(dir, "index.ts"), "utf8");
    expect(index.match(/new Offer\(/g)).to.have.length(5);
    expect(index.match(/^ {2}adopt: true,$/gm)).to.have.length(5);
    expect(index.match(/new VmPricing\(/g)).to.have.length(6);
    expect(index).to.contain('config.requireSecret("leadsTableLeadStorageAccountConnectionString")');
    // Images with a valid SAS become VmImageVersion resources (appliance: 3 versions with data disks, and 1);
    // the planted sample URL has no expiry, so those maps stay in the Offer's plans, said in the summary.
    expect(index.match(/new VmImageVersion\(/g)).to.have.length(4);
    expect(index.match(/\[vm \+ "vmImages"\]/g)).to.have.length(7);
    for (const v of ["1.0.0", "1.1.0", "2.0.0"]) expect(index).to.contain(`data-${v}-1.vhd`);
    expect(cli.stdout).to.match(/images: 4 VmImageVersion resources; 8 plans keep their image map in the Offer/);
    expect(cli.stdout).to.match(
      /contoso\/priced plans\[sizes\]\.microsoft-azure-virtualmachines\.vmImages\["1\.0\.0"\]: images kept/,
    );
    // Read-only and service-filled keys are not in the program.
    expect(index).to.not.match(/legacyOfferId|pcMigrationStatus|changedTime|LeadConfiguration"\]: \{\}/);
    expect(readFileSync(join(dir, "README.md"), "utf8")).to.contain(
      "pulumi config set --secret leadsTableLeadStorageAccountConnectionString <value>",
    );
    expect(cli.stdout)
      .to.match(/offers: 5 /)
      .and.match(/pricing: 6 VmPricing resources; 3 plans keep pricing in the Offer/);
    expect(cli.stdout).to.match(
      /contoso\/private plans\[partners\]\.virtualMachinePricing\.freeTrialDurationInMonths: kept in wire form/,
    );
    expect(cli.stdout).to.match(/contoso\/private plans\[regional\]\.virtualMachinePricing: kept in wire form.*"AF"/);
    // Neither the stored secret nor the client secret is printed.
    for (const text of [cli.stdout, cli.stderr, index]) {
      expect(text).to.not.contain(PLANTED_LEAD_SECRET);
      expect(text).to.not.contain(emulator.clientSecret);
    }
  });

  it("the generated project installs the packed package and compiles; its bin answers --help", async () => {
    // Offline: the dependencies become the packed tarball and the pinned SDK (the first test
    // checked the generated package.json names exactly these two).
    installPackedProject(dir, "contoso-offers");
    const help = await run(join(dir, "node_modules", ".bin", "cloudpartner-export"), ["--help"], {});
    expect(help.code).to.equal(0);
    expect(help.stdout).to.match(/--publisher P/);
    build = scratchDir("export-build");
    symlinkSync(join(dir, "node_modules"), join(build, "node_modules"));
    await compile();
    kit = await engineKit(dir);
    stack = await kit.automation.LocalWorkspace.createOrSelectStack(
      { stackName: "adopt", projectName: "contoso-offers", program },
      {
        pulumiCommand: kit.pulumiCommand,
        envVars: kit.envVars,
        workDir: scratchDir("export-work"),
        projectSettings: { name: "contoso-offers", runtime: "nodejs", main: dir } as any,
      },
    );
    await configureForEmulator(stack, emulator);
    await stack.setConfig("leadsTableLeadStorageAccountConnectionString", { value: PLANTED_LEAD_SECRET, secret: true });
  });

  it("up adopts every offer: no PUT and no POST except one PUT of the offer with secret fields", async () => {
    await emulator.control.clearRequests();
    const up = await stack.up();
    expect(up.summary.result).to.equal("succeeded");
    expect((await writes()).map((r) => `${r.method} ${r.path.split("?")[0]}`)).to.deep.equal([
      `PUT /api/publishers/${PUB}/offers/leads`,
    ]);
    for (const id of Object.keys(seeded)) {
      const now = await draft(id);
      if (id === "leads") continue;
      expect(now, id).to.deep.equal(seeded[id]);
    }
    // The one write kept the document and (re)wrote the secret the config holds.
    const leads = await draft("leads");
    expect(
      leads.definition.offer["microsoft-azure-marketplace.tableLeadConfiguration"].storageAccountConnectionString,
    ).to.equal(PLANTED_LEAD_SECRET);
    const strip = (d: any) => ({ ...d, changedTime: undefined });
    expect(strip(leads)).to.deep.equal(strip(seeded.leads));
    // The secret from config is kept encrypted in state, and so are the image SAS URLs.
    for (const f of readdirSync(kit.stateDir, { recursive: true })
      .map(String)
      .filter((x) => x.endsWith(".json"))) {
      expect(readFileSync(join(kit.stateDir, f), "utf8"), f).to.not.contain(PLANTED_LEAD_SECRET);
      // VmImageVersion keeps its SAS URLs secret in state.
      expect(readFileSync(join(kit.stateDir, f), "utf8"), f).to.not.contain("planted-image-signature");
    }
  });

  it("pricing the typed union cannot reproduce is not normalised", async () => {
    const plans = (await draft("private")).definition.plans as any[];
    const pricing = Object.fromEntries(plans.map((p) => [p.planId, p.virtualMachinePricing]));
    expect(pricing.partners).to.deep.equal(UNMODELLED_PRICING.byolWithoutTrial);
    expect(pricing.regional).to.deep.equal(UNMODELLED_PRICING.unknownCurrencyMarket);
    expect(pricing.evaluated).to.deep.equal(UNMODELLED_PRICING.evaluatedSpreadsheet);
  });

  it("preview afterwards shows no changes", async () => {
    await emulator.control.clearRequests();
    await stack.preview({ expectNoChanges: true });
    expect(await writes()).to.deep.equal([]);
  });

  it("an edited listing field in the generated code makes exactly one PUT, of that offer", async () => {
    const file = join(dir, "index.ts");
    const text = readFileSync(file, "utf8");
    const edited = text.replace('[mp + "summary"]: "Contoso Private summary"', '[mp + "summary"]: "Edited in code"');
    expect(edited).to.not.equal(text);
    writeFileSync(file, edited);
    await compile();
    await emulator.control.clearRequests();
    await stack.up();
    expect((await writes()).map((r) => `${r.method} ${r.path.split("?")[0]}`)).to.deep.equal([
      `PUT /api/publishers/${PUB}/offers/private`,
    ]);
    const now = await draft("private");
    expect(now.definition.offer["microsoft-azure-marketplace.summary"]).to.equal("Edited in code");
    // The PUT carried the wire pricing exactly as it was.
    expect(now.definition.plans.find((p: any) => p.planId === "partners").virtualMachinePricing).to.deep.equal(
      UNMODELLED_PRICING.byolWithoutTrial,
    );
    await stack.preview({ expectNoChanges: true });
  });
});
