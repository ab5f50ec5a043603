// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startEmulator } from "../../emulator/index.js";
import { configureForEmulator, engineKit, inlineStack, type EngineKit } from "../helpers/engine.js";
import { PLANTED_SIG, sasUrl, VM_IMAGES, vmDefinitionWithoutImages } from "../helpers/images.js";
import { scratchDir } from "../helpers/scratch.js";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
const PUB = "contoso";
let OFFER = "image-pipeline";
const PLANS = ["gen1", "gen2"];
const KEEP = 3;

/**
 * The image pipeline under the real engine: a build step appends each build's version and VHD
 * URL to a JSON file; the program reads it and keeps the newest KEEP versions per plan, one
 * VmImageVersion per slot (`build index mod KEEP`), so a new build moves the slot holding the
 * oldest version; OfferPublish's trigger is the versions' fingerprints.
 */
describe("engine: VmImageVersion rotation under the real Pulumi engine", function () {
  this.timeout(300_000);
  let kit: EngineKit;
  let emulator: Emulator;
  let stack: Awaited<ReturnType<typeof inlineStack>>;
  let buildsFile: string;
  const builds: Array<{ version: string; osVhdUrl: string }> = [];
  /** How the program names its VmImageVersion resources: by slot (the pattern) or by version. */
  let naming: "slot" | "version" = "slot";

  /** The build step: appends one build and rewrites the file the program reads. */
  const build = (version: string) => {
    builds.push({ version, osVhdUrl: sasUrl(`build-${version}`) });
    writeFileSync(buildsFile, JSON.stringify(builds, null, 2));
  };

  const program = async () => {
    const { Offer, OfferPublish, VmImageVersion } = kit.cpp;
    const all = JSON.parse(readFileSync(buildsFile, "utf8")) as typeof builds;
    const definition = vmDefinitionWithoutImages(PLANS);
    const offer = new Offer("offer", { publisherId: PUB, offerId: OFFER, definition });
    const images = PLANS.flatMap((planId) =>
      all
        .map((b, i) => ({ b, i }))
        .slice(-KEEP)
        .map(
          ({ b, i }) =>
            new VmImageVersion(
              naming === "slot" ? `${planId}-slot-${i % KEEP}` : `${planId}-v${b.version}`,
              {
                publisherId: PUB,
                offerId: offer.offerId,
                planId,
                version: b.version,
                osVhdUrl: b.osVhdUrl,
                onDelete: "remove",
              },
              { dependsOn: offer },
            ),
        ),
    );
    const publish = new OfferPublish(
      "publish",
      {
        publisherId: PUB,
        offerId: offer.offerId,
        target: "preview",
        timeoutSeconds: 60,
        trigger: images.map((i) => i.fingerprint),
      },
      { dependsOn: images },
    );
    const fingerprints = images.map((i) => i.fingerprint);
    return { publishStatus: publish.operationStatus, firstUrl: images[0].osVhdUrl, fingerprints };
  };
  const ops = (events: any[]) =>
    events
      .filter((e) => e.resourcePreEvent && !e.resourcePreEvent.metadata.type.startsWith("pulumi:providers:"))
      .map((e) => `${e.resourcePreEvent.metadata.op} ${e.resourcePreEvent.metadata.urn.split("::").pop()}`)
      .filter((s) => !s.startsWith("same "))
      .sort();
  const diagnostics = (events: any[]) =>
    events
      .filter((e) => e.diagnosticEvent && e.diagnosticEvent.severity !== "debug")
      .map((e) => e.diagnosticEvent.message as string);
  const draftVersions = async (planId: string) => {
    const { draft } = await emulator.control.offer(PUB, OFFER);
    const plan = draft.definition.plans.find((p: any) => p.planId === planId);
    return Object.keys(plan[VM_IMAGES] ?? {}).sort();
  };
  const previewVersions = async (planId: string) => {
    const { preview } = await emulator.control.offer(PUB, OFFER);
    const plan = preview!.definition.plans.find((p: any) => p.planId === planId);
    return Object.keys(plan[VM_IMAGES] ?? {}).sort();
  };
  const publishOps = async () =>
    (await emulator.control.operations()).filter((o) => o.offerId === OFFER && o.type === "publish").length;
  const lines: string[] = [];

  before(async () => {
    kit = await engineKit();
    emulator = await startEmulator({ timeScale: 10_000_000 });
    buildsFile = join(scratchDir("image-builds"), "builds.json");
    stack = await inlineStack(kit, "images", program);
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

  it("the first up writes every version of both plans in parallel and publishes once", async () => {
    for (const v of ["1.0.0", "1.0.1", "1.0.2"]) build(v);
    const events: any[] = [];
    const up = await stack.up({ onEvent: (e) => events.push(e) });
    lines.push(...diagnostics(events));
    expect(up.summary.result).to.equal("succeeded");
    for (const planId of PLANS) expect(await draftVersions(planId)).to.deep.equal(["1.0.0", "1.0.1", "1.0.2"]);
    expect(await publishOps()).to.equal(1);
    for (const planId of PLANS) expect(await previewVersions(planId)).to.deep.equal(["1.0.0", "1.0.1", "1.0.2"]);
    expect(up.outputs.firstUrl.secret).to.equal(true);
    expect(up.outputs.firstUrl.value).to.contain(PLANTED_SIG);
    await stack.preview({ expectNoChanges: true });
  });

  it("a new build adds one version and removes the oldest in the same up, then exactly one publish", async () => {
    build("1.0.3");
    const before = await publishOps();
    const events: any[] = [];
    const up = await stack.up({ onEvent: (e) => events.push(e) });
    lines.push(...diagnostics(events));
    expect(ops(events)).to.deep.equal(["update gen1-slot-0", "update gen2-slot-0", "update publish"]);
    for (const planId of PLANS) expect(await draftVersions(planId)).to.deep.equal(["1.0.1", "1.0.2", "1.0.3"]);
    expect(await publishOps()).to.equal(before + 1);
    // The publish saw the rotated plans: the preview holds exactly the newest three.
    for (const planId of PLANS) expect(await previewVersions(planId)).to.deep.equal(["1.0.1", "1.0.2", "1.0.3"]);
    expect(up.outputs.fingerprints.value).to.have.length(PLANS.length * KEEP);
    await stack.preview({ expectNoChanges: true });
  });

  it("refresh is stable: no changes, no publish, the URLs stay secret", async () => {
    const before = await publishOps();
    const refresh = await stack.refresh();
    expect(refresh.summary.resourceChanges?.update ?? 0).to.equal(0);
    await stack.preview({ expectNoChanges: true });
    const up = await stack.up();
    expect(up.summary.resourceChanges?.update ?? 0).to.equal(0);
    expect(await publishOps()).to.equal(before);
    expect(up.outputs.firstUrl.secret).to.equal(true);
  });

  it("the SAS signature is absent from every backend file and every line shown; the type token", async () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else files.push(path);
      }
    };
    walk(kit.stateDir);
    expect(files.length).to.be.greaterThan(0);
    let sawImage = false;
    for (const f of files) {
      const text = readFileSync(f, "utf8");
      expect(text, f).to.not.contain(PLANTED_SIG);
      if (text.includes("cloudpartner:VmImageVersion")) sawImage = true;
    }
    // The oracle looks at the right files: they hold the resources (the URL only as ciphertext).
    expect(sawImage).to.equal(true);
    const deployment = (await stack.exportStack()).deployment as { resources: Array<{ type: string }> };
    const types = deployment.resources.map((r) => r.type).filter((t) => t.endsWith("VmImageVersion"));
    expect(types).to.deep.equal(Array(PLANS.length * KEEP).fill("pulumi-nodejs:dynamic/cloudpartner:VmImageVersion"));
    expect(lines.length).to.be.greaterThan(0);
    expect(lines.join("\n")).to.not.contain(PLANTED_SIG);
  });

  it("named by version instead, the oldest is deleted at the end of the up, after the publish", async () => {
    naming = "version";
    OFFER = "image-pipeline-by-version";
    builds.length = 0;
    buildsFile = join(scratchDir("image-builds"), "builds.json");
    const byVersion = await inlineStack(kit, "images-by-version", program);
    await configureForEmulator(byVersion, emulator);
    try {
      for (const v of ["1.0.0", "1.0.1", "1.0.2"]) build(v);
      await byVersion.up();
      build("1.0.3");
      const before = await publishOps();
      const events: any[] = [];
      await byVersion.up({ onEvent: (e) => events.push(e) });
      expect(ops(events)).to.deep.equal([
        "create gen1-v1.0.3",
        "create gen2-v1.0.3",
        "delete gen1-v1.0.0",
        "delete gen2-v1.0.0",
        "update publish",
      ]);
      expect(await publishOps()).to.equal(before + 1);
      // The Draft is rotated, but the publication went out with the oldest version still in it.
      for (const planId of PLANS) {
        expect(await draftVersions(planId)).to.deep.equal(["1.0.1", "1.0.2", "1.0.3"]);
        expect(await previewVersions(planId)).to.deep.equal(["1.0.0", "1.0.1", "1.0.2", "1.0.3"]);
      }
    } finally {
      await byVersion.destroy({ onOutput: () => undefined });
    }
  });
});
