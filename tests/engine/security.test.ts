// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { startEmulator } from "../../emulator/index.js";
import { sampleDefinition } from "../helpers/offers.js";
import { configureForEmulator, engineKit, inlineStack, type EngineKit } from "../helpers/engine.js";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
const PUB = "contoso";
const MP = "microsoft-azure-marketplace.";
const LEAD = `${MP}tableLeadConfiguration`;
/** An offer on the service that no program manages (read with Offer.get). */
const ELSEWHERE = "security-elsewhere";

/** Values planted in the program that must never be readable in state or engine output. */
const PLANTED = {
  leadSecret: "planted-lead-connection-string",
  vhdSig: "planted-sas-signature",
  diskSig: "planted-disk-sig",
  logoSig: "planted-logo-sig",
  sheetSig: "planted-sheet-sig",
  wrappedByUser: "planted-wrapped-phone",
  /** Put in the portal on an offer whose program has no SAS URL (refresh reads it) and on ELSEWHERE (Offer.get). */
  portalSig: "planted-portal-sig",
};
/** A plain stack output: it must be found, proving the search reads what it claims to. */
const CANARY = "planted-canary-in-plain-sight";

/** Every file under a folder, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map((f) => join(dir, String(f)))
    .filter((f) => statSync(f).isFile());
}

/**
 * The README's Security section, under the real engine: where each credential lives, which
 * credentials refresh and destroy use, and that nothing the user writes needs wrapping.
 */
describe("engine: security (README Security section)", function () {
  this.timeout(600_000);
  let kit: EngineKit;
  let emulator: Emulator;
  let stack: Awaited<ReturnType<typeof inlineStack>>;
  let workDir: string;
  const spec = { summary: "First summary", lookUpPlain: false };
  /** Everything the engine printed or emitted, debug events included, by operation. */
  const output: Array<{ op: string; text: string }> = [];
  const capture = (op: string) => ({
    onOutput: (text: string) => output.push({ op, text }),
    onEvent: (e: unknown) => output.push({ op, text: JSON.stringify(e) }),
    debug: true,
  });

  const program = async () => {
    const { Offer, OfferPublish, VmPricing } = kit.cpp;
    const pulumi = kit.pulumi;
    const definition: any = sampleDefinition({ summary: spec.summary });
    definition.offer[`${MP}smallLogo`] =
      `https://fab.blob.core.windows.net/a/s.png?sv=2022-11-02&sig=${PLANTED.logoSig}`;
    definition.offer[`${MP}supportContactPhone`] = pulumi.secret(PLANTED.wrappedByUser);
    definition.offer[LEAD] = { tableName: "leads" };
    definition.offer[`${MP}leadDestination`] = "TableLeadConfiguration";
    definition.plans[0]["microsoft-azure-virtualmachines.vmImages"]["1.0.0"].lunVhdDetails = [
      { lun: 0, lunVhdUrl: `https://fab.blob.core.windows.net/vhd/d0.vhd?sp=rl&sig=${PLANTED.diskSig}` },
    ];
    const offer = new Offer("offer", {
      publisherId: PUB,
      offerId: "security-offer",
      definition,
      // Not wrapped: the Offer makes it secret itself.
      secrets: { [`offer/${LEAD}/storageAccountConnectionString`]: PLANTED.leadSecret },
    });
    const byol = new VmPricing(
      "byol",
      { publisherId: PUB, offerId: offer.offerId, planId: "byol", pricing: { kind: "byol" } },
      { dependsOn: offer },
    );
    const payg = new VmPricing(
      "payg",
      {
        publisherId: PUB,
        offerId: offer.offerId,
        planId: "payg",
        pricing: {
          kind: "spreadsheet",
          uri: `https://fab.blob.core.windows.net/p/prices.xlsx?sp=r&sig=${PLANTED.sheetSig}`,
        },
      },
      { dependsOn: offer },
    );
    const pub = new OfferPublish("publish", {
      publisherId: PUB,
      offerId: offer.offerId,
      target: "preview",
      timeoutSeconds: 120,
      trigger: [offer.fingerprint, byol.fingerprint, payg.fingerprint],
    });
    // An offer whose program has no SAS URL: the portal gives it one below.
    const plain = sampleDefinition({ withoutSas: true });
    new Offer("plain", { publisherId: PUB, offerId: "security-plain", definition: plain });
    if (spec.lookUpPlain) {
      // A lookup of an offer no program manages, which the portal also gave a SAS URL. (Not of
      // "plain": the same up puts plain's own text back, and the read could land before or after.)
      const looked = Offer.get("looked-up", `${PUB}/${ELSEWHERE}`);
      return { canary: CANARY, status: pub.operationStatus, fingerprint: offer.fingerprint, looked: looked.status };
    }
    return { canary: CANARY, status: pub.operationStatus, fingerprint: offer.fingerprint };
  };

  before(async () => {
    kit = await engineKit();
    emulator = await startEmulator({ timeScale: 10_000_000 });
    const definition = sampleDefinition({ withoutSas: true });
    await emulator.control.seed({
      offers: [
        {
          publisherId: PUB,
          offer: { id: ELSEWHERE, publisherId: PUB, offerTypeId: "microsoft-azure-virtualmachines", definition },
        },
      ],
    });
    stack = await inlineStack(kit, "security", program);
    workDir = stack.workspace.workDir;
    await configureForEmulator(stack, emulator);
  });
  after(async () => {
    try {
      await stack?.destroy({ onOutput: () => undefined });
    } catch {
      /* reported by the tests */
    }
    await emulator?.close();
  });

  it("what you must wrap: nothing — Offer.secrets and SAS signatures reach the service (up, preview --diff, refresh after a portal edit, up)", async () => {
    await stack.up(capture("up 1"));
    const draft = JSON.stringify((await emulator.control.offer(PUB, "security-offer")).draft);
    // The service got every real value.
    for (const v of [
      PLANTED.leadSecret,
      PLANTED.vhdSig,
      PLANTED.diskSig,
      PLANTED.logoSig,
      PLANTED.sheetSig,
      PLANTED.wrappedByUser,
    ])
      expect(draft).to.contain(v);
    spec.summary = "Second summary";
    const pv = await stack.preview({ ...capture("preview --diff"), diff: true });
    // The user wrapped a value inside the definition: the whole definition shows as secret.
    expect(pv.stdout)
      .to.match(/~ .*cloudpartner:Offer/)
      .and.contain("[secret]");
    await stack.up(capture("up 2"));
    await emulator.control.editOffer(PUB, "security-offer", {
      definition: { offer: { [`${MP}summary`]: "Edited in the portal" } },
    });
    for (const offerId of ["security-plain", ELSEWHERE])
      await emulator.control.editOffer(PUB, offerId, {
        definition: {
          offer: { [`${MP}smallLogo`]: `https://fab.blob.core.windows.net/a/p.png?sv=1&sig=${PLANTED.portalSig}` },
        },
      });
    await stack.refresh(capture("refresh"));
    spec.lookUpPlain = true;
    const after = await stack.preview({ ...capture("preview --diff after refresh"), diff: true });
    expect(after.stdout).to.match(/~ .*cloudpartner:Offer/);
    await stack.up(capture("up 3"));
    await stack.preview({ ...capture("preview"), expectNoChanges: true });
  });

  it("no planted secret, SAS signature or client secret in any file under the backend or any output of up, preview --diff or refresh (debug echo of previews aside)", () => {
    const files = [...filesUnder(kit.stateDir), ...filesUnder(workDir)];
    expect(files.some((f) => f.includes(".bak"))).to.equal(true);
    expect(files.some((f) => f.includes("history"))).to.equal(true);
    const planted = [...Object.values(PLANTED), emulator.clientSecret];
    let canarySeen = 0;
    for (const f of files) {
      const text = readFileSync(f, "utf8");
      for (const v of planted) expect(text, `${v} in ${f}`).to.not.contain(v);
      if (text.includes(CANARY)) canarySeen++;
    }
    expect(canarySeen, "the search reads the checkpoints").to.be.greaterThan(0);
    const all = output.map((o) => o.text).join("\n");
    expect(output.length).to.be.greaterThan(100);
    // Pulumi's Node SDK prints every RegisterResource answer at debug level; in a preview the
    // engine answers with the planned inputs, secrets included (not the case in up or refresh,
    // whose answers are outputs, which hold no secret here). Those lines are told apart, and
    // shown to print a value the user wrapped in pulumi.secret() just the same.
    const sdkEcho = (o: { op: string; text: string }) =>
      o.op.startsWith("preview") && /"severity":"debug"/.test(o.text) && /RegisterResource RPC finished/.test(o.text);
    const leaks = output.flatMap((o) => planted.filter((v) => o.text.includes(v)).map((v) => ({ v, o })));
    const described = (l: { v: string; o: { op: string; text: string } }) => {
      const at = l.o.text.indexOf(l.v);
      return `${l.v} in ${l.o.op}: …${l.o.text.slice(Math.max(0, at - 300), at + 60)}…`;
    };
    expect(leaks.filter((l) => !sdkEcho(l.o)).map(described)).to.deep.equal([]);
    const echoed = leaks.filter((l) => sdkEcho(l.o));
    if (echoed.length > 0) expect(echoed.map((l) => l.v)).to.include(PLANTED.wrappedByUser);
    for (const l of echoed) expect(l.o.op).to.match(/^preview/);
    expect(all).to.contain(CANARY);
  });

  it("Offer.secrets and SAS signatures live in inputs, encrypted, never in outputs; sig=[secret] in the definition; a pulumi.secret() inside encrypts the definition and its fingerprints", () => {
    const state = JSON.parse(
      readFileSync(
        filesUnder(kit.stateDir).find((f) => f.endsWith("security.json"))!,
        "utf8",
      ),
    );
    const offer = state.checkpoint.latest.resources.find((r: any) => r.urn.endsWith("::offer"));
    const isCiphertext = (v: any) =>
      v?.["4dabf18193072939515e22adb298388d"] === "1b47061264138c4ac30d75fd1eb44270" &&
      typeof v.ciphertext === "string";
    expect(isCiphertext(offer.inputs.secrets)).to.equal(true);
    expect(isCiphertext(offer.inputs.sasSignatures)).to.equal(true);
    // Outputs hold neither, nor a hash of the secrets.
    expect(offer.outputs).to.not.have.any.keys("secrets", "sasSignatures");
    // A hash of content that holds secrets is encrypted too (a low-entropy secret could be guessed from it).
    expect(isCiphertext(offer.outputs.fingerprint)).to.equal(true);
    expect(offer.outputs).to.not.have.property("definition");
    // A value wrapped in pulumi.secret() inside the definition makes the definition secret.
    expect(isCiphertext(offer.inputs.definition)).to.equal(true);
    const pricing = state.checkpoint.latest.resources.find(
      (r: any) => r.type.endsWith(":VmPricing") && r.outputs.planId === "payg",
    );
    expect(pricing.inputs.pricing.uri).to.contain("sig=[secret]");
    expect(pricing.outputs.virtualMachinePricing.spreadSheetPricing.uri).to.contain("sig=[secret]");
    expect(isCiphertext(pricing.inputs.sasSignatures)).to.equal(true);
    // Offer.get of an offer given a SAS URL in the portal: the signature it reads is kept like a
    // managed Offer's, in the inputs, encrypted (the scan above finds it nowhere in plaintext).
    const looked = state.checkpoint.latest.resources.find((r: any) => r.urn.endsWith("::looked-up"));
    expect(looked.outputs.definition.offer[`${MP}smallLogo`]).to.contain("sig=[secret]");
    expect(looked.outputs).to.not.have.property("sasSignatures");
    expect(isCiphertext(looked.inputs.sasSignatures)).to.equal(true);
  });

  it("the client secret lives in the stack config and in the default provider's inputs in state, encrypted", async () => {
    const state = JSON.parse(
      readFileSync(
        filesUnder(kit.stateDir).find((f) => f.endsWith("security.json"))!,
        "utf8",
      ),
    );
    const provider = state.checkpoint.latest.resources.find((r: any) => r.type === "pulumi:providers:pulumi-nodejs");
    expect(provider.urn).to.match(/pulumi:providers:pulumi-nodejs::default/);
    const secret = provider.inputs["cloudpartner:clientSecret"];
    expect(secret["4dabf18193072939515e22adb298388d"]).to.equal("1b47061264138c4ac30d75fd1eb44270");
    expect(secret.ciphertext).to.match(/^v1:/);
    expect(provider.inputs["cloudpartner:clientId"]).to.equal(emulator.clientId);
    const settings = JSON.stringify(await stack.workspace.stackSettings("security"));
    expect(settings).to.not.contain(emulator.clientSecret);
    expect(settings).to.match(/"cloudpartner:clientSecret":\{"secure":"v1:/);
  });

  it("refresh uses the credentials recorded at the last up; refresh --run-program uses the current config", async () => {
    await stack.setConfig("cloudpartner:clientSecret", { value: "not-the-secret", secret: true });
    try {
      await emulator.control.clearRequests();
      await stack.refresh({ onOutput: () => undefined });
      const tokens = (await emulator.control.requests()).filter((r) => r.kind === "aad" && r.path.endsWith("/token"));
      expect(tokens.length).to.be.greaterThan(0);
      expect(tokens.every((r) => r.status === 200)).to.equal(true);
      const err = await stack.refresh({ onOutput: () => undefined, runProgram: true }).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(String(err?.message)).to.match(/client secret|invalid_client|AADSTS7000215|401/i);
    } finally {
      await stack.setConfig("cloudpartner:clientSecret", { value: emulator.clientSecret, secret: true });
    }
  });

  it("destroy --run-program uses the current config; a plain destroy the credentials recorded at the last up", async () => {
    await stack.setConfig("cloudpartner:clientSecret", { value: "not-the-secret", secret: true });
    const err = await stack.destroy({ onOutput: () => undefined, runProgram: true }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(String(err?.message)).to.match(/client secret|invalid_client|AADSTS7000215|401/i);
    const state = (await stack.exportStack()).deployment as { resources: Array<{ type: string }> };
    expect(state.resources.some((r) => r.type.endsWith(":OfferPublish"))).to.equal(true);
    // A run of the program records the config it ran with: record the right secret again.
    await stack.setConfig("cloudpartner:clientSecret", { value: emulator.clientSecret, secret: true });
    await stack.up({ onOutput: () => undefined });
    // The wrong secret in config again: the plain destroy signs in with the recorded one.
    await stack.setConfig("cloudpartner:clientSecret", { value: "not-the-secret", secret: true });
    await emulator.control.clearRequests();
    await stack.destroy({ onOutput: () => undefined });
    const tokens = (await emulator.control.requests()).filter((r) => r.kind === "aad" && r.path.endsWith("/token"));
    expect(tokens.length).to.be.greaterThan(0);
    expect(tokens.every((r) => r.status === 200)).to.equal(true);
    expect(((await stack.exportStack()).deployment as { resources?: unknown[] }).resources ?? []).to.deep.equal([]);
    await stack.setConfig("cloudpartner:clientSecret", { value: emulator.clientSecret, secret: true });
  });
});
