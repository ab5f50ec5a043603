// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startEmulator } from "../../emulator/index.js";
import { sampleDefinition } from "../helpers/offers.js";
import { configureForEmulator, engineKit, inlineStack, type EngineKit } from "../helpers/engine.js";
import { filesContaining } from "../helpers/files.js";
import { scratchDir } from "../helpers/scratch.js";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
const T2 = "22222222-0000-0000-0000-00000000bbbb";
const NORTHWIND = { clientId: "northwind-app", clientSecret: "northwind-engine-secret-7f3a9c" };
const CI_SUBJECT = "repo:contoso/offers:ref:refs/heads/main";

/**
 * Several accounts in one program, under the real engine: one stack manages offers of two
 * publishers in two tenants, each through its own principal selected by the `account` input.
 */
describe("engine: one stack, two accounts in two tenants (cloudpartner:accounts)", function () {
  this.timeout(300_000);
  let kit: EngineKit;
  let emulator: Emulator;
  let stack: Awaited<ReturnType<typeof inlineStack>>;
  let tokenFile: string;
  let federatedToken: string;
  /** What the program declares; tests change it between runs. */
  const spec: { cross: boolean; account: string } = { cross: false, account: "northwind" };

  const program = async () => {
    const { Offer } = kit.cpp;
    const definition = sampleDefinition();
    const a = new Offer("contoso-offer", { publisherId: "contoso", offerId: "two-accounts-a", definition });
    const b = new Offer("northwind-offer", {
      publisherId: "northwind",
      offerId: "two-accounts-b",
      definition,
      account: spec.account,
    });
    if (spec.cross) {
      // Each principal on the other's publisher.
      new Offer("cross-default", { publisherId: "northwind", offerId: "cross-a", definition });
      new Offer("cross-northwind", { publisherId: "contoso", offerId: "cross-b", definition, account: "northwind" });
    }
    // A third account signs in with workload identity federation (a token file, no secret).
    const c = new Offer("federated-offer", {
      publisherId: "contoso",
      offerId: "two-accounts-c",
      definition,
      account: "ci",
    });
    return { a: a.status, b: b.status, bAccount: b.account, c: c.status };
  };

  before(async () => {
    kit = await engineKit();
    emulator = await startEmulator({ timeScale: 10_000_000 });
    await emulator.control.seed({
      publishers: [{ id: "northwind" }],
      principals: [
        { clientId: NORTHWIND.clientId, tenantId: T2, clientSecret: NORTHWIND.clientSecret, publishers: ["northwind"] },
        { clientId: "ci-app", federated: { subject: CI_SUBJECT }, publishers: ["contoso"] },
      ],
    });
    tokenFile = join(scratchDir("engine-federated"), "token");
    federatedToken = (await emulator.control.federatedToken({ subject: CI_SUBJECT, expiresInSeconds: 3600 })).token;
    writeFileSync(tokenFile, federatedToken);
    stack = await inlineStack(kit, "accounts", program);
    await configureForEmulator(stack, emulator);
    // As the README says to set it: `pulumi config set --secret --path 'cloudpartner:accounts.northwind.<key>' …`.
    for (const [key, value] of Object.entries({
      tenantId: T2,
      clientId: NORTHWIND.clientId,
      clientSecret: NORTHWIND.clientSecret,
    })) {
      await stack.setConfig(`cloudpartner:accounts.northwind.${key}`, { value, secret: true }, true);
    }
    for (const [key, value] of Object.entries({
      tenantId: emulator.tenantId,
      clientId: "ci-app",
      federatedTokenFile: tokenFile,
    })) {
      await stack.setConfig(`cloudpartner:accounts.ci.${key}`, { value }, true);
    }
  });
  after(async () => {
    spec.cross = false;
    try {
      await stack?.destroy({ onOutput: () => undefined });
    } catch {
      /* reported by the tests */
    }
    await emulator?.close();
  });

  it("up writes each publisher's offer with its own principal, in its own tenant (one by a federated token file)", async () => {
    await emulator.control.clearRequests();
    let printed = "";
    const up = await stack.up({
      onOutput: (o) => {
        printed += o;
      },
      onEvent: (e) => {
        printed += JSON.stringify(e);
      },
    });
    expect(up.summary.result).to.equal("succeeded");
    for (const secret of [federatedToken, NORTHWIND.clientSecret]) expect(printed).to.not.contain(secret);
    expect([up.outputs.a.value, up.outputs.b.value, up.outputs.bAccount.value, up.outputs.c.value]).to.deep.equal([
      "neverPublished",
      "neverPublished",
      "northwind",
      "neverPublished",
    ]);
    const puts = (await emulator.control.requests()).filter((r) => r.kind === "api" && r.method === "PUT");
    expect(puts.map((r) => [r.path.split("/")[5], r.clientId, r.status]).sort()).to.deep.equal([
      ["two-accounts-a", emulator.clientId, 201],
      ["two-accounts-b", NORTHWIND.clientId, 201],
      ["two-accounts-c", "ci-app", 201],
    ]);
    expect((await emulator.control.offer("northwind", "two-accounts-b")).draft.publisherId).to.equal("northwind");
    await stack.refresh();
    await stack.preview({ expectNoChanges: true });
  });

  it("each principal is refused (403) on the other's publisher, and the error says which publisher and how to register", async () => {
    spec.cross = true;
    // Both refusals are asserted from one up: without continueOnError the engine starts no new
    // step after the first failure, so on a busy machine the second Offer might never be tried.
    const err = await stack.up({ onOutput: () => undefined, continueOnError: true }).then(
      () => undefined,
      (e: Error) => e,
    );
    spec.cross = false;
    const text = String(err?.message);
    expect(text).to.match(/Offer northwind\/cross-a: PUT \S+: HTTP 403/);
    expect(text).to.match(/add the application to the Partner Center account that owns publisher "northwind"/);
    expect(text).to.match(/Offer contoso\/cross-b: PUT \S+: HTTP 403/);
    expect(text).to.match(/add the application to the Partner Center account that owns publisher "contoso"/);
    const refused = (await emulator.control.requests()).filter((r) => r.kind === "api" && r.status === 403);
    expect(refused.map((r) => [r.path.split("/")[3], r.clientId]).sort()).to.deep.equal([
      ["contoso", NORTHWIND.clientId],
      ["northwind", emulator.clientId],
    ]);
    await stack.up();
  });

  it("an account name missing from cloudpartner:accounts fails at preview, naming the config key", async () => {
    spec.account = "nothwind";
    const err = await stack.preview({ onOutput: () => undefined }).then(
      () => undefined,
      (e: Error) => e,
    );
    spec.account = "northwind";
    expect(String(err?.message)).to.match(
      /account "nothwind" is not in cloudpartner:accounts \(configured: ci, northwind\)/,
    );
  });

  it("state holds no credential of either account (every backend file searched)", async () => {
    const found = (needle: string) => filesContaining(kit.stateDir, needle);
    // The oracle can fail: a planted copy of the secret in a scratch backend is found.
    const planted = scratchDir("planted-backend");
    mkdirSync(join(planted, ".pulumi"), { recursive: true });
    writeFileSync(join(planted, ".pulumi", "stack.json"), `{"x":"${NORTHWIND.clientSecret}"}`);
    expect(filesContaining(planted, NORTHWIND.clientSecret)).to.deep.equal([join(".pulumi", "stack.json")]);
    expect(readdirSync(kit.stateDir, { recursive: true }).length).to.be.greaterThan(0);
    for (const secret of [NORTHWIND.clientSecret, emulator.clientSecret, federatedToken])
      expect(found(secret), secret.slice(0, 12)).to.deep.equal([]);
    // Even decrypted, our resources hold the account's name only.
    const deployment = (await stack.exportStack()).deployment as { resources: Array<{ type: string; urn: string }> };
    const ours = deployment.resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"));
    expect(ours.length).to.equal(3);
    for (const r of ours) {
      const text = JSON.stringify(r);
      expect(text)
        .to.not.contain(NORTHWIND.clientSecret)
        .and.not.contain(emulator.clientSecret)
        .and.not.contain(NORTHWIND.clientId);
      expect(text).to.not.contain(federatedToken).and.not.contain(tokenFile);
    }
    expect(JSON.stringify(ours.find((r) => r.urn.endsWith("northwind-offer")))).to.contain('"account":"northwind"');
    // The stack's config file holds the account's credentials encrypted only.
    const settings = JSON.stringify(await stack.workspace.stackSettings("accounts"));
    expect(settings).to.not.contain(NORTHWIND.clientSecret);
    expect(settings).to.contain("secure");
  });
});
