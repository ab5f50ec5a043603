// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { Struct } from "google-protobuf/google/protobuf/struct_pb.js";
import { PiaClient } from "../../provider/pia/index.js";
import { sasUrl, VM_IMAGES, vmDefinitionWithoutImages } from "../helpers/images.js";
import { emulatedWaits, piaClient, previewSubmission } from "../helpers/pia-client.js";
import { rejection, startProviderEnv, type ProviderEnv } from "../helpers/provider-env.js";

const PUB = "contoso";
const PIA = { "cloudpartner:api": "productIngestion" };

/**
 * VmImageVersion on the emulator's Product Ingestion API: one entry of the plan's technical
 * configuration under the whole-array rule; what the service holds is read back through the
 * control API and through a PiaClient of the test's own.
 */
describe("VmImageVersion provider on the Product Ingestion API", function () {
  this.timeout(60_000);
  let env: ProviderEnv;
  let image: any;
  let reader: PiaClient;
  let n = 0;

  async function newOffer(): Promise<string> {
    const offerId = `pia-images-${++n}`;
    const offer = env.provider("offer");
    const definition = vmDefinitionWithoutImages(undefined, { forPia: true });
    const checked = await offer.check({}, { publisherId: PUB, offerId, definition });
    expect(checked.failures ?? []).to.deep.equal([]);
    await offer.create(checked.inputs);
    return offerId;
  }
  const images = async (offerId: string, planId = "byol") =>
    (await env.emulator.control.offer(PUB, offerId)).draft.definition.plans.find((p: any) => p.planId === planId)[
      VM_IMAGES
    ] ?? {};
  const versionStates = async (offerId: string, planId = "byol") => {
    const product = await reader.findProduct(offerId);
    const tree = await reader.getResourceTree(product!.id!);
    const plan = tree.resources.find((r: any) => r.identity?.externalId === planId);
    const tc = tree.resources.find(
      (r: any) => String(r.$schema).includes("technical-configuration") && r.plan === plan!.id,
    );
    return Object.fromEntries((tc!.vmImageVersions as any[]).map((v) => [v.versionNumber, v.lifecycleState]));
  };
  const inputs = async (over: Record<string, unknown>) => {
    const news = { publisherId: PUB, planId: "byol", version: "1.0.0", osVhdUrl: sasUrl("os-1-0-0"), ...over };
    const { inputs: checked, failures } = await image.check({}, news);
    expect(failures ?? []).to.deep.equal([]);
    return checked;
  };
  const configures = async () =>
    (await env.requests({ kinds: ["pia"] })).filter((r) => r.method === "POST" && r.path.endsWith("/configure"));

  before(async () => {
    env = await startProviderEnv({ config: PIA });
    image = env.provider("vmImageVersion");
    reader = piaClient(env.emulator, emulatedWaits());
  });
  after(() => env.close());
  beforeEach(() => env.clearLog());

  it("check: core-VM entry fields, which PIA image versions do not have, fail at preview", async () => {
    const { failures } = await image.check(
      {},
      { publisherId: PUB, offerId: "o", planId: "p", version: "1.0.0", osVhdUrl: sasUrl("a"), mediaName: "m" },
    );
    expect(failures.map((f: any) => f.property)).to.deep.equal(["mediaName"]);
    expect(failures[0].reason).to.contain("productIngestion");
  });

  it("create upserts one version in one configure job, nothing through CPP; the same again writes nothing", async () => {
    const offerId = await newOffer();
    await env.clearLog();
    const { id, outs } = await image.create(await inputs({ offerId }));
    expect(id).to.equal(`${PUB}/${offerId}/byol/1.0.0`);
    expect(await configures()).to.have.length(1);
    expect(await env.requests()).to.deep.equal([]);
    expect((await images(offerId))["1.0.0"].osVhdUrl).to.equal(sasUrl("os-1-0-0"));
    // What the engine's host sends back must be a protobuf Struct (no undefined members).
    expect(() => Struct.fromJavaScript(outs)).to.not.throw();
    await env.clearLog();
    await image.update(id, outs, await inputs({ offerId }));
    expect(await configures()).to.deep.equal([]);
  });

  it("three versions of one plan applied in parallel all land (whole-array writes, serialised)", async () => {
    const offerId = await newOffer();
    await Promise.all(
      ["1.0.0", "1.1.0", "1.2.0"].map(async (version) =>
        image.create(await inputs({ offerId, version, osVhdUrl: sasUrl(`os-${version}`) })),
      ),
    );
    expect(Object.keys(await images(offerId)).sort()).to.deep.equal(["1.0.0", "1.1.0", "1.2.0"]);
  });

  it("the version limit is PIA's, not CPP's 8: a ninth version lands", async () => {
    const offerId = await newOffer();
    const versions = Array.from({ length: 9 }, (_, i) => `1.${i}.0`);
    for (const version of versions) {
      await image.create(await inputs({ offerId, version, osVhdUrl: sasUrl(`os-${version}`) }));
    }
    expect(Object.keys(await images(offerId)).sort()).to.deep.equal([...versions].sort());
  });

  it("refresh reads the version back; a version removed in the portal drops the resource", async () => {
    const offerId = await newOffer();
    const { id, outs } = await image.create(await inputs({ offerId }));
    env.nextOperation();
    const read = await image.read(id, outs);
    expect(read.inputs).to.include({ version: "1.0.0", osVhdUrl: sasUrl("os-1-0-0") });
    await env.control("PATCH", `/offers/${PUB}/${offerId}`, {
      definition: { plans: [{ planId: "byol", [VM_IMAGES]: {} }] },
    });
    env.nextOperation();
    expect((await image.read(id, outs)).id).to.equal("");
  });

  it('onDelete "remove": a draft-only version leaves the array; a published one is deprecated, never deleted', async () => {
    const offerId = await newOffer();
    const a = await image.create(await inputs({ offerId, version: "1.0.0", onDelete: "remove" }));
    const b = await image.create(
      await inputs({ offerId, version: "1.1.0", osVhdUrl: sasUrl("os-1-1-0"), onDelete: "remove" }),
    );
    await image.create(await inputs({ offerId, planId: "payg", version: "1.0.0" }));
    // Publish to preview through PIA as another client would; the emulated clock moves at 10⁶×.
    await env.emulator.control.setModes({
      stepDurationsMs: {
        displaydummycertify: 1000,
        displaycertify: 1000,
        displayprovision: 1000,
        displaypackage: 1000,
      },
    });
    const product = await reader.findProduct(offerId);
    const submitted = await reader.configure([previewSubmission(product!.id!)]);
    await reader.waitForJob(submitted.jobId, { kind: "draft" });
    // A draft-only version added after the publish.
    const c = await image.create(
      await inputs({ offerId, version: "1.2.0", osVhdUrl: sasUrl("os-1-2-0"), onDelete: "remove" }),
    );
    await image.delete(c.id, c.outs);
    await image.delete(a.id, a.outs);
    expect(await versionStates(offerId)).to.deep.equal({ "1.0.0": "deprecated", "1.1.0": "generallyAvailable" });
    void b;
  });

  it("a missing plan or offer is a clear error; delete of a vanished offer is not", async () => {
    const offerId = await newOffer();
    const noPlan = await rejection(image.create(await inputs({ offerId, planId: "nope" })));
    expect(noPlan.code).to.equal("CPP_PLAN_NOT_FOUND");
    const noOffer = await rejection(image.create(await inputs({ offerId: "no-such" })));
    expect(noOffer.code).to.equal("CPP_OFFER_NOT_FOUND");
    await image.delete(`${PUB}/no-such/byol/1.0.0`, { ...(await inputs({ offerId: "no-such" })), onDelete: "remove" });
  });
});
