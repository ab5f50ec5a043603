// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import {
  COREVM_IMAGES,
  coreVmDefinitionWithoutImages,
  PLANTED_SIG,
  sasUrl,
  VM_IMAGES,
  vmDefinitionWithoutImages,
} from "../helpers/images.js";
import { captureConsole, rejection, startProviderEnv, type ProviderEnv } from "../helpers/provider-env.js";

const PUB = "contoso";

describe("VmImageVersion provider against the emulator", () => {
  let env: ProviderEnv;
  let image: any;
  let n = 0;

  /** Creates an offer (VM or core-VM) whose plans leave their images to VmImageVersion. */
  async function newOffer(kind: "vm" | "corevm" = "vm", planIds?: string[]): Promise<string> {
    const offerId = `images-${++n}`;
    const definition = kind === "vm" ? vmDefinitionWithoutImages(planIds) : coreVmDefinitionWithoutImages(planIds);
    const offerTypeId = kind === "vm" ? "microsoft-azure-virtualmachines" : "microsoft-azure-corevm";
    const offer = env.provider("offer");
    const checked = await offer.check({}, { publisherId: PUB, offerId, offerTypeId, definition });
    expect(checked.failures ?? []).to.deep.equal([]);
    await offer.create(checked.inputs);
    return offerId;
  }
  const draft = async (offerId: string) => (await env.control("GET", `/offers/${PUB}/${offerId}`)).draft;
  const images = async (offerId: string, planId: string, key = VM_IMAGES) =>
    (await draft(offerId)).definition.plans.find((p: any) => p.planId === planId)[key];
  /** Checked inputs, as the engine passes them to create/update. */
  const inputs = async (over: Record<string, unknown>) => {
    const news = { publisherId: PUB, planId: "byol", version: "1.0.0", osVhdUrl: sasUrl("os-1-0-0"), ...over };
    const { inputs: checked, failures } = await image.check({}, news);
    expect(failures ?? []).to.deep.equal([]);
    return checked;
  };

  before(async () => {
    env = await startProviderEnv();
    image = env.provider("vmImageVersion");
  });
  after(() => env.close());
  beforeEach(() => env.clearLog());

  it("check applies the defaults and names bad input with the fix, never echoing the URL", async () => {
    const base = { publisherId: PUB, offerId: "o", planId: "p" };
    const ok = await image.check({}, { ...base, version: "1.0.0", osVhdUrl: sasUrl("a") });
    expect(ok.inputs).to.include({ onDelete: "retain" });
    expect(ok.inputs.dataDisks).to.deep.equal([]);
    const bad = await image.check({}, { ...base, version: "1.0", osVhdUrl: sasUrl("a", { sp: "r" }), onDelete: "x" });
    expect(bad.failures.map((f: any) => f.property)).to.deep.equal(["version", "osVhdUrl", "onDelete"]);
    expect(bad.failures[1].reason).to.match(/must grant read and list \(sp=rl\)/);
    expect(JSON.stringify(bad)).to.not.match(/sig=planted[^"]*"\}/);
    expect(JSON.stringify(bad.failures)).to.not.contain(PLANTED_SIG);
  });

  it("check warns when the SAS expires in less than three weeks (once, while the URL is new)", async () => {
    const news = { publisherId: PUB, offerId: "o", planId: "p", version: "1.0.0", osVhdUrl: sasUrl("s", { days: 5 }) };
    const first = await captureConsole(() => image.check({}, news));
    expect((first.result as any).failures).to.equal(undefined);
    // 5 days from the midnight the run started: in 4 days, or 3 once the run has passed a midnight.
    expect(first.lines.join("\n")).to.match(
      /warning: VmImageVersion p\/1\.0\.0: osVhdUrl expires at .* \(in [34] days\); certification/,
    );
    expect(first.lines.join("\n")).to.not.contain(PLANTED_SIG);
    const again = await captureConsole(() => image.check((first.result as any).inputs, news));
    expect(again.lines).to.deep.equal([]);
  });

  it("create on a VM offer: GET + PUT with If-Match, entry { osVhdUrl, lunVhdDetails }, a fingerprint", async () => {
    const offerId = await newOffer();
    await env.clearLog();
    const disks = [{ lun: 0, vhdUrl: sasUrl("data-0") }];
    const { id, outs } = await image.create(await inputs({ offerId, dataDisks: disks }));
    expect(id).to.equal(`${PUB}/${offerId}/byol/1.0.0`);
    const log = (await env.requests()).map((r) => `${r.method} ${r.status} ${r.ifMatch ? "if-match" : ""}`);
    expect(log).to.deep.equal(["GET 200 ", "PUT 200 if-match"]);
    const entry = { osVhdUrl: sasUrl("os-1-0-0"), lunVhdDetails: [{ lun: 0, uri: sasUrl("data-0") }] };
    expect(await images(offerId, "byol")).to.deep.equal({ "1.0.0": entry });
    expect(await images(offerId, "payg")).to.equal(undefined);
    expect(outs).to.include({ offerTypeId: "microsoft-azure-virtualmachines", imageMapKey: VM_IMAGES });
    expect(outs.fingerprint).to.match(/^sha256:[0-9a-f]{64}$/);
    // Applying it again writes nothing and gives the same fingerprint.
    await env.clearLog();
    const again = await image.update(id, outs, await inputs({ offerId, dataDisks: disks }));
    expect((await env.requests()).map((r) => r.method)).to.deep.equal(["GET"]);
    expect(again.outs.fingerprint).to.equal(outs.fingerprint);
  });

  it("several versions of one plan applied in parallel all land, nothing else changes", async function () {
    this.timeout(60_000);
    const offerId = await newOffer();
    const before = await draft(offerId);
    await env.clearLog();
    const versions = ["1.0.0", "1.0.1", "1.0.2", "1.0.3", "1.0.4", "1.0.5"];
    const all = await Promise.all(versions.map((v) => inputs({ offerId, version: v, osVhdUrl: sasUrl(`os-${v}`) })));
    const { error, lines } = await captureConsole(() => Promise.all(all.map((i) => image.create(i))));
    if (error) throw error;
    expect(lines.some((l) => /changed while the image version was written/.test(l))).to.equal(true);
    const map = await images(offerId, "byol");
    expect(Object.keys(map).sort()).to.deep.equal(versions);
    for (const v of versions) expect(map[v].osVhdUrl).to.equal(sasUrl(`os-${v}`));
    const after = await draft(offerId);
    delete after.definition.plans[0][VM_IMAGES];
    expect(after.definition).to.deep.equal(before.definition);
    const puts = (await env.requests()).filter((r) => r.method === "PUT");
    expect(puts.filter((r) => r.status === 200)).to.have.length(versions.length);
    expect(puts.every((r) => r.ifMatch && r.ifMatch !== "*")).to.equal(true);
  });

  it("versions on several plans applied in parallel all land", async function () {
    this.timeout(60_000);
    const plans = ["p1", "p2", "p3", "p4"];
    const offerId = await newOffer("vm", plans);
    const all = await Promise.all(
      plans.flatMap((planId) =>
        ["2.0.0", "2.0.1"].map((version) =>
          inputs({ offerId, planId, version, osVhdUrl: sasUrl(`${planId}-${version}`) }),
        ),
      ),
    );
    const { error } = await captureConsole(() => Promise.all(all.map((i) => image.create(i))));
    if (error) throw error;
    for (const planId of plans) {
      const map = await images(offerId, planId);
      expect(Object.keys(map).sort()).to.deep.equal(["2.0.0", "2.0.1"]);
      expect(map["2.0.1"].osVhdUrl).to.equal(sasUrl(`${planId}-2.0.1`));
    }
  });

  it("a 412 re-reads and retries (bounded); after too many the error says to run up again", async () => {
    const offerId = await newOffer();
    const body = { error: { code: "PreconditionFailed", message: "ETag mismatch" } };
    await env.control("POST", "/faults", { method: "PUT", path: `/offers/${offerId}`, status: 412, count: 2, body });
    await env.clearLog();
    const { lines, error } = await captureConsole(() => inputs({ offerId }).then((i) => image.create(i)));
    if (error) throw error;
    expect(lines.filter((l) => /reading it again/.test(l))).to.have.length(2);
    expect((await env.requests()).map((r) => `${r.method} ${r.status}`)).to.deep.equal([
      "GET 200",
      "PUT 412",
      "GET 200",
      "PUT 412",
      "GET 200",
      "PUT 200",
    ]);
    expect(Object.keys(await images(offerId, "byol"))).to.deep.equal(["1.0.0"]);
    await env.control("POST", "/faults", { method: "PUT", path: `/offers/${offerId}`, status: 412, count: 8 });
    const second = await inputs({ offerId, version: "1.0.1", osVhdUrl: sasUrl("b") });
    const { error: tooMany } = await captureConsole(() => image.create(second));
    expect((tooMany as any).code).to.equal("CPP_CHANGED_OUTSIDE");
    expect((tooMany as Error).message).to.match(
      /kept changing during 8 read-modify-write attempts; run `pulumi up` again/,
    );
    expect(Object.keys(await images(offerId, "byol"))).to.deep.equal(["1.0.0"]);
    await env.control("DELETE", "/faults");
  });

  it("a portal edit of another plan (and of the listing) is kept by a version write", async () => {
    const offerId = await newOffer();
    const { id, outs } = await image.create(await inputs({ offerId }));
    const current = await draft(offerId);
    const title = "microsoft-azure-virtualmachines.skuTitle";
    const plans = current.definition.plans.map((p: any) =>
      p.planId === "payg" ? { ...p, [title]: "Edited in the portal" } : p,
    );
    const offer = { "microsoft-azure-marketplace.summary": "Portal summary" };
    await env.control("PATCH", `/offers/${PUB}/${offerId}`, { definition: { plans, offer } });
    await image.update(id, outs, await inputs({ offerId, osVhdUrl: sasUrl("os-rebuilt") }));
    const after = await draft(offerId);
    expect(after.definition.plans[1]["microsoft-azure-virtualmachines.skuTitle"]).to.equal("Edited in the portal");
    expect(after.definition.offer["microsoft-azure-marketplace.summary"]).to.equal("Portal summary");
    expect(after.definition.plans[0][VM_IMAGES]["1.0.0"].osVhdUrl).to.equal(sasUrl("os-rebuilt"));
  });

  it("the Offer keeps versions written by VmImageVersion on its own updates and refreshes", async () => {
    const offerId = `images-${++n}`;
    const offer = env.provider("offer");
    const definition = vmDefinitionWithoutImages();
    const { inputs: offerInputs } = await offer.check({}, { publisherId: PUB, offerId, definition });
    const created = await offer.create(offerInputs);
    await image.create(await inputs({ offerId }));
    await image.create(await inputs({ offerId, planId: "payg", version: "3.0.0", osVhdUrl: sasUrl("payg") }));
    const refreshed = await offer.read(`${PUB}/${offerId}`, created.outs);
    expect((await offer.diff("id", refreshed.props, offerInputs)).changes).to.equal(false);
    definition.offer["microsoft-azure-marketplace.summary"] = "A new summary";
    await offer.update(`${PUB}/${offerId}`, refreshed.props, { ...offerInputs, definition });
    expect(Object.keys(await images(offerId, "byol"))).to.deep.equal(["1.0.0"]);
    expect(Object.keys(await images(offerId, "payg"))).to.deep.equal(["3.0.0"]);
    expect((await draft(offerId)).definition.offer["microsoft-azure-marketplace.summary"]).to.equal("A new summary");
  });

  it("at most 8 versions per plan: the 9th is refused, listing the versions and naming the oldest", async function () {
    this.timeout(30_000);
    const offerId = await newOffer();
    let last: any;
    for (let i = 1; i <= 8; i++) {
      const version = `1.0.${i}`;
      last = await image.create(await inputs({ offerId, version, osVhdUrl: sasUrl(`v${i}`), onDelete: "remove" }));
    }
    const before = await env.control("GET", `/offers/${PUB}/${offerId}`);
    const e = await rejection(image.create(await inputs({ offerId, version: "1.0.9", osVhdUrl: sasUrl("v9") })));
    expect(e.code).to.equal("CPP_IMAGE_VERSION_LIMIT");
    expect(e.message)
      .to.contain("already has 8 disk versions (1.0.1, 1.0.2, 1.0.3, 1.0.4, 1.0.5, 1.0.6, 1.0.7, 1.0.8)")
      .and.contain("Remove the oldest (1.0.1)");
    expect((await env.control("GET", `/offers/${PUB}/${offerId}`)).etag).to.equal(before.etag);
    // Moving a resource to a ninth version: refused while the old one stays (retain), done when it leaves.
    const retain = await inputs({ offerId, version: "1.0.9", onDelete: "retain" });
    expect((await rejection(image.update(last.id, last.outs, retain))).code).to.equal("CPP_IMAGE_VERSION_LIMIT");
    const remove = await inputs({ offerId, version: "1.0.9", onDelete: "remove" });
    const moved = await captureConsole(() => image.update(last.id, last.outs, remove));
    if (moved.error) throw moved.error;
    expect(Object.keys(await images(offerId, "byol")))
      .to.have.length(8)
      .and.include("1.0.9")
      .and.not.include("1.0.8");
  });

  it("moving a resource to a new version takes the old one out in the same write (onDelete remove)", async () => {
    const offerId = await newOffer();
    await image.create(await inputs({ offerId, version: "1.0.0" }));
    const first = await inputs({ offerId, version: "1.0.1", osVhdUrl: sasUrl("v1"), onDelete: "remove" });
    const { id, outs } = await image.create(first);
    const next = await inputs({ offerId, version: "1.0.2", osVhdUrl: sasUrl("v2"), onDelete: "remove" });
    await env.clearLog();
    const moved = await captureConsole(() => image.update(id, outs, next));
    expect(moved.lines.join("\n")).to.match(/moved from version 1\.0\.1, which was taken out of the Draft/);
    expect((await env.requests()).filter((r) => r.method === "PUT")).to.have.length(1);
    expect(Object.keys(await images(offerId, "byol")).sort()).to.deep.equal(["1.0.0", "1.0.2"]);
    expect((moved.result as any).outs.fingerprint).to.not.equal(outs.fingerprint);
  });

  describe("core-VM offers (microsoft-azure-corevm, vmImagesPublicAzure)", () => {
    it("writes entries with mediaName, label, showInGui and publishedDate", async () => {
      const offerId = await newOffer("corevm");
      const june = await inputs({ offerId, planId: "gen1", version: "2024.6.1", label: "June" });
      const { outs } = await image.create(june);
      const entry = (await images(offerId, "gen1", COREVM_IMAGES))["2024.6.1"];
      const mediaName = `${offerId}-gen1-2024.6.1`;
      expect(entry).to.include({ osVhdUrl: sasUrl("os-1-0-0"), mediaName, label: "June", showInGui: true });
      expect(entry.lunVhdDetails).to.deep.equal([]);
      expect(entry.publishedDate).to.match(/^\d{2}\/\d{2}\/\d{4}$/);
      expect(outs).to.include({ offerTypeId: "microsoft-azure-corevm", imageMapKey: COREVM_IMAGES });
      expect((await draft(offerId)).definition.plans[0][VM_IMAGES]).to.equal(undefined);
    });

    it("onDelete hide sets showInGui false and keeps the entry; remove takes it out", async () => {
      const offerId = await newOffer("corevm");
      const hidden = await image.create(await inputs({ offerId, planId: "gen1", version: "1.0.0", onDelete: "hide" }));
      const second = { offerId, planId: "gen1", version: "1.0.1", osVhdUrl: sasUrl("b"), onDelete: "remove" };
      const removed = await image.create(await inputs(second));
      const { lines } = await captureConsole(async () => {
        await image.delete(hidden.id, hidden.outs);
        await image.delete(removed.id, removed.outs);
      });
      const map = await images(offerId, "gen1", COREVM_IMAGES);
      expect(Object.keys(map)).to.deep.equal(["1.0.0"]);
      expect(map["1.0.0"].showInGui).to.equal(false);
      expect(lines.join("\n"))
        .to.match(/hidden \(showInGui: false\)/)
        .and.match(/taken out of the Draft/);
      // A hidden version is drift while its resource exists: refresh shows it and up shows it again.
      const again = await image.create(await inputs({ offerId, planId: "gen1", version: "1.0.0", onDelete: "hide" }));
      const plan = { ...(await draft(offerId)).definition.plans[0], [COREVM_IMAGES]: { "1.0.0": map["1.0.0"] } };
      await env.control("PATCH", `/offers/${PUB}/${offerId}`, { definition: { plans: [plan] } });
      const read = await image.read(again.id, again.outs);
      expect((await image.diff(again.id, read.props, read.inputs)).changes).to.equal(true);
    });
  });

  describe("delete modes on a VM offer", () => {
    it("retain (the default) writes nothing and says how to remove", async () => {
      const offerId = await newOffer();
      const { id, outs } = await image.create(await inputs({ offerId }));
      await env.clearLog();
      const { lines } = await captureConsole(() => image.delete(id, outs));
      expect(await env.requests()).to.deep.equal([]);
      expect(lines.join("\n")).to.match(/stays in the plan \(onDelete: "retain"\)\. Set onDelete: "remove"/);
      expect(Object.keys(await images(offerId, "byol"))).to.deep.equal(["1.0.0"]);
    });

    it("remove takes only this version out of the Draft", async () => {
      const offerId = await newOffer();
      await image.create(await inputs({ offerId, version: "1.0.0" }));
      const second = await inputs({ offerId, version: "1.0.1", osVhdUrl: sasUrl("b"), onDelete: "remove" });
      const { id, outs } = await image.create(second);
      await captureConsole(() => image.delete(id, outs));
      expect(Object.keys(await images(offerId, "byol"))).to.deep.equal(["1.0.0"]);
      // Deleting again (already gone) writes nothing.
      await env.clearLog();
      await captureConsole(() => image.delete(id, outs));
      expect((await env.requests()).map((r) => r.method)).to.deep.equal(["GET"]);
    });

    it("hide is refused at create on a VM offer (no showInGui), naming the alternatives", async () => {
      const offerId = await newOffer();
      const e = await rejection(image.create(await inputs({ offerId, onDelete: "hide" })));
      expect(e.code).to.equal("CPP_IMAGE_HIDE_UNSUPPORTED");
      expect(e.message).to.match(/needs a core-VM offer.*Use onDelete "remove" or "retain"/);
      expect(await images(offerId, "byol")).to.equal(undefined);
    });
  });

  describe("apply-time rules", () => {
    it("core-VM fields on a VM offer are refused", async () => {
      const offerId = await newOffer();
      const e = await rejection(image.create(await inputs({ offerId, label: "x" })));
      expect(e.code).to.equal("CPP_IMAGE_FIELD_UNSUPPORTED");
    });

    it("data-disk count must match the plan's other versions", async () => {
      const offerId = await newOffer();
      await image.create(await inputs({ offerId, version: "1.0.0", dataDisks: [{ lun: 0, vhdUrl: sasUrl("d0") }] }));
      const e = await rejection(image.create(await inputs({ offerId, version: "1.0.1", osVhdUrl: sasUrl("b") })));
      expect(e.code).to.equal("CPP_IMAGE_DATA_DISKS");
      expect(e.message).to.match(/has 0 data disks but plan "byol" has 1 on 1\.0\.0.*Give this version 1 dataDisks/);
      expect(e.message).to.not.contain(PLANTED_SIG);
    });

    it("after a publish: a lower version is refused unless allowed; the data-disk count is locked", async function () {
      this.timeout(60_000);
      const offerId = await newOffer();
      await image.create(await inputs({ offerId, version: "2.0.0" }));
      await image.create(await inputs({ offerId, planId: "payg", version: "2.0.0" }));
      await captureConsole(() => env.provider("offerPublish").create({ publisherId: PUB, offerId, target: "preview" }));
      const lower = await rejection(image.create(await inputs({ offerId, version: "1.9.0", osVhdUrl: sasUrl("old") })));
      expect(lower.code).to.equal("CPP_IMAGE_VERSION_LOWER");
      expect(lower.message)
        .to.match(/lower than 2\.0\.0, the highest published version of plan "byol"/)
        .and.match(/allowLowerVersion: true/);
      const lowerInputs = await inputs({ offerId, version: "1.9.0", osVhdUrl: sasUrl("old"), allowLowerVersion: true });
      await env.clearLog();
      const allowed = await captureConsole(() => image.create(lowerInputs));
      if (allowed.error) throw allowed.error;
      // A published offer costs two more reads: the Preview and Production slots.
      expect(
        (await env.requests()).map((r) => `${r.method} ${r.path.replace(/^.*\/offers\/[^/]+/, "")}`),
      ).to.deep.equal(["GET ", "GET /slot/Preview", "GET /slot/Production", "PUT "]);
      expect(allowed.lines.join("\n")).to.match(
        /warning: .*will not surface after republishing \(allowed by allowLowerVersion\)/,
      );
      // Remove every Draft version of payg: the published count (0 disks) still holds.
      const current = await draft(offerId);
      const plans = current.definition.plans.map((p: any) =>
        p.planId === "payg" ? { ...p, [VM_IMAGES]: undefined } : p,
      );
      await env.control("PATCH", `/offers/${PUB}/${offerId}`, { definition: { plans } });
      const dataDisks = [{ lun: 0, vhdUrl: sasUrl("d") }];
      const oneDisk = await inputs({ offerId, planId: "payg", version: "2.1.0", dataDisks });
      const locked = await rejection(image.create(oneDisk));
      expect(locked.message).to.match(/was published with 0: the number of data disks is locked after the first/);
    });

    it("a missing plan or offer is an error naming the fix", async () => {
      const offerId = await newOffer();
      const plan = await rejection(image.create(await inputs({ offerId, planId: "nope" })));
      expect(plan.message)
        .to.match(/has no plan "nope"\. Add the plan/)
        .and.contain(`(without ${VM_IMAGES})`);
      const offer = await rejection(image.create(await inputs({ offerId: "no-such-offer" })));
      expect(offer.code).to.equal("CPP_OFFER_NOT_FOUND");
    });
  });

  describe("read (refresh)", () => {
    it("reads back what was applied (no drift), shows a changed URL, and drops a vanished version", async () => {
      const offerId = await newOffer();
      const applied = await inputs({ offerId, dataDisks: [{ lun: 1, vhdUrl: sasUrl("d1") }] });
      const { id, outs } = await image.create(applied);
      const read = await image.read(id, outs);
      expect(read.inputs).to.deep.equal(applied);
      expect(read.props.fingerprint).to.equal(outs.fingerprint);
      expect((await image.diff(id, read.props, applied)).changes).to.equal(false);
      const plans = (await draft(offerId)).definition.plans;
      plans[0][VM_IMAGES]["1.0.0"].osVhdUrl = sasUrl("edited");
      await env.control("PATCH", `/offers/${PUB}/${offerId}`, { definition: { plans } });
      env.nextOperation();
      const drifted = await image.read(id, outs);
      expect(drifted.inputs.osVhdUrl).to.equal(sasUrl("edited"));
      expect((await image.diff(id, drifted.props, applied)).changes).to.equal(true);
      plans[0][VM_IMAGES] = { "9.0.0": plans[0][VM_IMAGES]["1.0.0"] };
      await env.control("PATCH", `/offers/${PUB}/${offerId}`, { definition: { plans } });
      env.nextOperation();
      expect((await image.read(id, outs)).id).to.equal("");
    });

    it("changing the plan replaces; changing the version or URL updates", async () => {
      const olds = await inputs({ offerId: "o" });
      const replaced = await image.diff("id", olds, { ...olds, planId: "other" });
      expect(replaced).to.deep.equal({ changes: true, replaces: ["planId"] });
      expect(await image.diff("id", { ...olds, providerVersion: undefined }, olds)).to.deep.include({ replaces: [] });
      const { PROVIDER_VERSION } = await import("../../provider/handlers/version.js");
      const current = { ...olds, providerVersion: PROVIDER_VERSION };
      expect(await image.diff("id", current, olds)).to.deep.equal({ changes: false, replaces: [] });
      const update = { changes: true, replaces: [] };
      expect(await image.diff("id", current, { ...olds, version: "1.0.1" })).to.deep.equal(update);
      expect(await image.diff("id", current, { ...olds, osVhdUrl: sasUrl("x") })).to.deep.equal(update);
    });
  });
});
