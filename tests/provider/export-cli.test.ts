// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { execFile, execFileSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { startEmulator } from "../../emulator/index.js";
import { REPO } from "../../scripts/lib/engine-project.js";
import { exportSeedOffers, PLANTED_LEAD_SECRET } from "../helpers/export-offers.js";
import { scratchDir } from "../helpers/scratch.js";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
const CLI = join(REPO, "dist", "provider", "export", "cli.js");

/** Runs the CLI as a child process without blocking this process (the emulator answers from it). */
function exportCli(
  args: string[],
  env: Record<string, string>,
  cwd?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { PATH: process.env.PATH ?? "", ...env }, cwd },
      (err, stdout, stderr) => {
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

/** The CLI's arguments, failures and folder handling, against the emulator over loopback. */
describe("cloudpartner-export CLI", function () {
  this.timeout(120_000);
  let emulator: Emulator;
  let env: Record<string, string>;

  before(async () => {
    emulator = await startEmulator({});
    await emulator.control.seed({ offers: exportSeedOffers() });
    env = {
      AZURE_TENANT_ID: emulator.tenantId,
      AZURE_CLIENT_ID: emulator.clientId,
      AZURE_CLIENT_SECRET: emulator.clientSecret,
      CLOUDPARTNER_ENDPOINT: emulator.apiUrl,
      AZURE_AUTHORITY_HOST: emulator.authorityUrl,
    };
  });
  after(() => emulator?.close());

  /** A target folder that does not exist yet, and a check that a failure left no trace beside it. */
  const target = () => {
    const parent = scratchDir("export-cli");
    return { parent, dir: join(parent, "out"), untouched: () => expect(readdirSync(parent)).to.deep.equal([]) };
  };

  it("--help prints the flags and exits 0; a missing --publisher or a bad --publish exits 2", async () => {
    const help = await exportCli(["--help"], {});
    expect(help.code).to.equal(0);
    for (const flag of [
      "--publisher P",
      "--offer O",
      "--out DIR",
      "--publish T",
      "--force",
      "AZURE_CLIENT_SECRET",
      "CLOUDPARTNER_ENDPOINT",
    ])
      expect(help.stdout).to.contain(flag);
    const missing = await exportCli([], env);
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.match(/--publisher is required/);
    const bad = await exportCli(["--publisher", "contoso", "--publish", "later"], env);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.match(/--publish takes none, preview or live; got "later"/);
  });

  it("a certificate credential from AZURE_CLIENT_CERTIFICATE_PATH (made at run time) exports", async () => {
    const folder = scratchDir("export-cert");
    const pem = join(folder, "sp.pem");
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        join(folder, "key.pem"),
        "-out",
        join(folder, "cert.pem"),
        "-subj",
        "/CN=export-test",
        "-days",
        "1",
      ],
      { stdio: "ignore" },
    );
    const certPem = readFileSync(join(folder, "cert.pem"), "utf8");
    writeFileSync(pem, readFileSync(join(folder, "key.pem"), "utf8") + certPem);
    const cert = new X509Certificate(certPem);
    const clientId = "33333333-3333-3333-3333-333333333333";
    await emulator.control.seed({
      principals: [
        {
          clientId,
          certificate: {
            thumbprintSha256: cert.fingerprint256.replace(/:/g, ""),
            publicKeyPem: cert.publicKey.export({ type: "spki", format: "pem" }),
          },
          publishers: ["contoso"],
        },
      ],
    });
    const t = target();
    const r = await exportCli(["--publisher", "contoso", "--offer", "leads", "--out", t.dir], {
      ...env,
      AZURE_CLIENT_ID: clientId,
      AZURE_CLIENT_SECRET: "",
      AZURE_CLIENT_CERTIFICATE_PATH: pem,
    });
    expect(r.code, r.stderr).to.equal(0);
    expect(readdirSync(t.dir)).to.include("index.ts");
  });

  it("missing credentials: names the environment variables to set, exit 1, nothing written", async () => {
    const t = target();
    const r = await exportCli(["--publisher", "contoso", "--out", t.dir], { ...env, AZURE_CLIENT_SECRET: "" });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(
      /set AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH or AZURE_FEDERATED_TOKEN_FILE in the environment \[CPP_CONFIGURATION\]/,
    );
    t.untouched();
  });

  it("a wrong client secret: a clear message without the secret, exit 1, nothing written", async () => {
    const t = target();
    const r = await exportCli(["--publisher", "contoso", "--out", t.dir], {
      ...env,
      AZURE_CLIENT_SECRET: "planted-wrong-secret",
    });
    expect(r.code).to.equal(1);
    expect(r.stderr)
      .to.match(/the credentials were refused \(client 11111111-1111-1111-1111-111111111111/)
      .and.match(/\[CPP_AUTH_FAILED\]/);
    expect(r.stderr + r.stdout).to.not.contain("planted-wrong-secret");
    t.untouched();
  });

  it("a principal not registered for the publisher (403): says so and how to fix it, exit 1", async () => {
    const t = target();
    const r = await exportCli(["--publisher", "fabrikam", "--out", t.dir], env);
    expect(r.code).to.equal(1);
    expect(r.stderr)
      .to.match(/not registered for publisher "fabrikam" \(HTTP 403\)/)
      .and.match(/Microsoft Entra applications, role Manager/)
      .and.match(/\[CPP_FORBIDDEN\]/);
    t.untouched();
  });

  it("an unknown publisher or offer: says which, exit 1", async () => {
    const t = target();
    const pub = await exportCli(["--publisher", "nobody", "--out", t.dir], env);
    expect(pub.code).to.equal(1);
    expect(pub.stderr).to.match(/publisher "nobody" was not found \(HTTP 404\); check --publisher \[CPP_NOT_FOUND\]/);
    const offer = await exportCli(
      ["--publisher", "contoso", "--offer", "appliance", "--offer", "missing", "--out", t.dir],
      env,
    );
    expect(offer.code).to.equal(1);
    expect(offer.stderr).to.match(/offer "missing" of publisher "contoso" was not found/);
    // The first offer was read (progress), but nothing was written.
    expect(offer.stderr).to.match(/read contoso\/appliance/);
    t.untouched();
  });

  it("an unreachable endpoint: names it, exit 1, an existing empty DIR stays empty", async () => {
    const t = target();
    mkdirSync(t.dir);
    const r = await exportCli(["--publisher", "contoso", "--out", t.dir], {
      ...env,
      CLOUDPARTNER_ENDPOINT: `http://127.0.0.1:${await closedPort()}`,
    });
    expect(r.code).to.equal(1);
    expect(r.stderr)
      .to.match(/cannot reach the Cloud Partner Portal API at http:\/\/127\.0\.0\.1:\d+/)
      .and.match(/\[CPP_NETWORK_ERROR\]/);
    expect(readdirSync(t.parent)).to.deep.equal(["out"]);
    expect(readdirSync(t.dir)).to.deep.equal([]);
  });

  it("refuses a non-empty DIR without --force (untouched, before any request); --force replaces only its files", async () => {
    const t = target();
    mkdirSync(t.dir);
    writeFileSync(join(t.dir, "index.ts"), "// mine\n");
    writeFileSync(join(t.dir, "Pulumi.dev.yaml"), "config: {}\n");
    await emulator.control.clearRequests();
    const refused = await exportCli(["--publisher", "contoso", "--out", t.dir], env);
    expect(refused.code).to.equal(2);
    expect(refused.stderr).to.match(/is not empty; choose another folder, or pass --force/);
    expect(readFileSync(join(t.dir, "index.ts"), "utf8")).to.equal("// mine\n");
    expect((await emulator.control.requests()).filter((r) => r.kind === "api")).to.deep.equal([]);
    const forced = await exportCli(["--publisher", "contoso", "--offer", "leads", "--out", t.dir, "--force"], env);
    expect(forced.code, forced.stderr).to.equal(0);
    expect(readdirSync(t.dir).sort()).to.deep.equal([
      "Pulumi.dev.yaml",
      "Pulumi.yaml",
      "README.md",
      "index.ts",
      "package.json",
      "tsconfig.json",
    ]);
    expect(readFileSync(join(t.dir, "Pulumi.dev.yaml"), "utf8")).to.equal("config: {}\n");
    expect(readdirSync(t.parent)).to.deep.equal(["out"]);
  });

  it("--offer picks offers, --publish adds an OfferPublish per offer, --out defaults to ./P-offers", async () => {
    const cwd = scratchDir("export-cwd");
    const r = await exportCli(
      ["--publisher", "contoso", "--offer", "leads", "--offer", "priced", "--publish", "preview"],
      env,
      cwd,
    );
    expect(r.code, r.stderr).to.equal(0);
    const index = readFileSync(join(cwd, "contoso-offers", "index.ts"), "utf8");
    expect(index.match(/new Offer\("(\w+)"/g)).to.deep.equal(['new Offer("leads"', 'new Offer("priced"']);
    expect(index.match(/new OfferPublish\(/g)).to.have.length(2);
    expect(index).to.contain('target: "preview"');
    expect(index).to.contain("trigger: [leads.fingerprint, leadsStandardPricing.fingerprint]");
    expect(r.stdout).to.match(/the first `pulumi up` publishes/);
    expect(r.stdout).to.match(/leadsTableLeadStorageAccountConnectionString/);
    expect(r.stdout + r.stderr + index).to.not.contain(PLANTED_LEAD_SECRET);
    expect(existsSync(join(cwd, "contoso-offers", "README.md"))).to.equal(true);
  });
});
