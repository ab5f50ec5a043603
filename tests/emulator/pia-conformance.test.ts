// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { join } from "node:path";
import { startEmulator } from "../../emulator/index.js";
import { sampleDefinition } from "../helpers/offers.js";
import { scratchDir } from "../helpers/scratch.js";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
const S = "https://schema.mp.microsoft.com/schema";
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A response body as JSON, untyped (tests assert on its shape). */
const json = async (r: Response): Promise<any> => r.json();

/**
 * Product Ingestion API conformance: one test per documented behaviour or quirk of
 * docs/internals/api-notes.md Part II, named after its section, over plain HTTP (fetch) — no
 * client code from provider/ is involved. The emulator runs on real time (scale 1); emulated time
 * moves only through the control API, never by waiting.
 */
describe("emulator conformance: Product Ingestion API (docs/internals/api-notes.md Part II)", function () {
  this.timeout(60_000);
  let e: Emulator;
  let token: string;
  let cppToken: string;
  let n = 0;

  async function tokenFor(form: Record<string, string>, path = "oauth2/v2.0/token"): Promise<Response> {
    return fetch(`${e.authorityUrl}/${e.tenantId}/${path}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: e.clientId,
        client_secret: e.clientSecret,
        ...form,
      }),
    });
  }
  async function fresh(): Promise<void> {
    token = (await json(await tokenFor({ scope: "https://graph.microsoft.com/.default" }))).access_token;
    cppToken = (await json(await tokenFor({ scope: "https://cloudpartner.azure.com/.default" }))).access_token;
  }
  /** Moves emulated time (which also ages tokens), then takes fresh tokens. */
  async function advance(ms: number): Promise<void> {
    await e.control.clock({ advanceMs: ms });
    await fresh();
  }
  async function pia(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; headers: Headers; json: any }> {
    const res = await fetch(`${e.productIngestionUrl}/${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
  }
  async function cpp(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${e.apiUrl}${path}?api-version=2017-10-31`, {
      method,
      headers: { authorization: `Bearer ${cppToken}`, "content-type": "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
  }
  const configure = (resources: unknown[], version = "2022-07-01") =>
    pia("POST", "configure?$version=2022-07-01", { $schema: `${S}/configure/${version}`, resources });
  /** Runs a draft job to its end by moving the clock past its queue and run time. */
  async function completed(jobId: string): Promise<any> {
    await e.control.clock({ advanceMs: 10_000 });
    const r = await pia("GET", `configure/${jobId}/status`);
    expect(r.status).to.equal(200);
    return r.json;
  }
  /** A CPP offer (PUT) with two plans, seen through PIA: returns its product GUID and plan GUIDs. */
  async function cppOffer(): Promise<{ offerId: string; P: string; plans: Record<string, string> }> {
    const offerId = `pia-${++n}`;
    const put = await cpp("PUT", `/api/publishers/contoso/offers/${offerId}`, {
      id: offerId,
      publisherId: "contoso",
      offerTypeId: "microsoft-azure-virtualmachines",
      definition: sampleDefinition({ pricedPlans: true }),
    });
    expect(put.status).to.equal(201);
    const found = await pia("GET", `product?externalId=${offerId}`);
    const P = String(found.json.value[0].id).split("/")[1];
    const plans = await pia("GET", `plan?product=product/${P}`);
    return {
      offerId,
      P,
      plans: Object.fromEntries(plans.json.value.map((p: any) => [p.identity.externalId, String(p.id).split("/")[2]])),
    };
  }
  const techConfig = async (P: string, L: string) =>
    (await pia("GET", `virtual-machine-plan-technical-configuration/${P}/${L}`)).json;
  /** Publishes the draft through PIA and moves the clock to sign-off; returns the submission id. */
  async function previewed(P: string): Promise<string> {
    const job = await configure([
      { $schema: `${S}/submission/2022-03-01-preview2`, product: `product/${P}`, target: { targetType: "preview" } },
    ]);
    expect(job.status).to.equal(202);
    await advance(8 * DAY);
    const status = await pia("GET", `configure/${job.json.jobId}/status`);
    expect(status.json, JSON.stringify(status.json)).to.include({ jobStatus: "completed", jobResult: "succeeded" });
    const subs = await pia("GET", `submission/${P}`);
    return subs.json.value.find((s: any) => s.target.targetType === "preview").id;
  }

  before(async () => {
    e = await startEmulator({ timeScale: 1 });
  });
  after(() => e.close());
  beforeEach(async () => {
    await e.control.reset();
    await fresh();
  });

  describe("§P2 authentication", () => {
    it("§P2 v1 tokens for https://graph.microsoft.com (with or without '/') carry expires_on; v2 takes the .default scope", async () => {
      for (const resource of ["https://graph.microsoft.com", "https://graph.microsoft.com/"]) {
        const r = await tokenFor({ resource }, "oauth2/token");
        const body = await json(r);
        expect(r.status).to.equal(200);
        expect(body).to.include.keys("access_token", "token_type", "expires_in", "expires_on");
        const claims = JSON.parse(Buffer.from(body.access_token.split(".")[1], "base64url").toString());
        expect(claims.aud).to.equal("https://graph.microsoft.com");
      }
      expect((await pia("GET", "product")).status).to.equal(200);
    });

    it("§P2 a CPP token on PIA (and a Graph token on CPP) → 401 'Invalid audience'", async () => {
      const r = await pia("GET", "product", undefined, { authorization: `Bearer ${cppToken}` });
      expect(r.status).to.equal(401);
      expect(r.json.error.message).to.equal("Access token validation failure. Invalid audience.");
      const c = await cpp("GET", "/api/publishers", undefined, { authorization: `Bearer ${token}` });
      expect(c.status).to.equal(401);
    });

    it("§P2 an app not added to a Partner Center account → 403 on GET product", async () => {
      await e.control.seed({
        principals: [
          { clientId: "bbbbbbbb-0000-0000-0000-00000000000b", clientSecret: "other-secret", publishers: [] },
        ],
      });
      const r = await fetch(`${e.authorityUrl}/${e.tenantId}/oauth2/v2.0/token`, {
        method: "POST",
        body: new URLSearchParams({
          grant_type: "client_credentials",
          client_id: "bbbbbbbb-0000-0000-0000-00000000000b",
          client_secret: "other-secret",
          scope: "https://graph.microsoft.com/.default",
        }),
      });
      const other = (await json(r)).access_token;
      const res = await pia("GET", "product?externalId=x", undefined, { authorization: `Bearer ${other}` });
      expect(res.status).to.equal(403);
      expect(res.json.error.message).to.match(/Microsoft Entra applications/);
    });
  });

  describe("§P1 versions, §P12 routing", () => {
    it("§P1 $version absent, 2022-07-01 or a preview version is accepted; a malformed one → 400; a deprecated one (mode) → the service's message", async () => {
      for (const q of ["", "?$version=2022-07-01", "?$version=2022-03-01-preview2", "?$version=2022-03-01-preview3"])
        expect((await pia("GET", `product${q}`)).status, q).to.equal(200);
      expect((await pia("GET", "product?$version=latest")).status).to.equal(400);
      await e.control.setModes({ piaDeprecatedVersions: ["2022-03-01-preview3"] });
      const r = await pia("GET", "product?$version=2022-03-01-preview3");
      expect(r.status).to.equal(400);
      expect(r.json).to.deep.equal({
        error: { code: "badRequest", message: '"2022-03-01-preview3 is a deprecated schema"', details: [] },
      });
    });

    it("§P1 a configure naming the retired schema host → 400 'could not be accessed'; nothing is queued", async () => {
      const url = "https://product-ingestion.azureedge.net/schema/configure/2022-03-01-preview2";
      const r = await pia("POST", "configure", {
        $schema: url,
        resources: [
          {
            $schema: `${S}/product/2022-03-01-preview3`,
            identity: { externalId: "old-host" },
            type: "azureVirtualMachine",
            alias: "x",
          },
        ],
      });
      expect(r.status).to.equal(400);
      expect(r.json.error.message).to.equal(`Schema ${url} could not be accessed`);
      expect(await e.control.piaJobs()).to.have.length(0);
    });

    it("§P12 a doubled slash after the prefix and the externalId parameter in any letter case are accepted", async () => {
      const { offerId } = await cppOffer();
      for (const path of [
        `/product?externalId=${offerId}`,
        `product?externalid=${offerId}`,
        `product?EXTERNALID=${offerId}`,
      ]) {
        const r = await pia("GET", path);
        expect(r.status, path).to.equal(200);
        expect(
          r.json.value.map((p: any) => p.identity.externalId),
          path,
        ).to.deep.equal([offerId]);
      }
      expect((await pia("GET", "product?externalId=nothing-here")).json).to.deep.equal({ value: [] });
    });

    it("§P12 an unfiltered product list pages with $maxpagesize and an absolute @nextLink free of '=' and '&' in its token", async () => {
      for (let i = 0; i < 3; i++) await cppOffer();
      const first = await pia("GET", "product?$maxpagesize=2&$version=2022-07-01");
      expect(first.json.value).to.have.length(2);
      const next = new URL(first.json["@nextLink"]);
      expect(next.origin).to.equal(new URL(e.productIngestionUrl).origin);
      expect(next.searchParams.get("continuationToken")).to.match(/^[^=&]+$/);
      const rest = await fetch(next, { headers: { authorization: `Bearer ${token}` } }).then(json);
      expect(rest.value).to.have.length(1);
      expect(rest["@nextLink"]).to.equal(undefined);
      const ids = [...first.json.value, ...rest.value].map((p: any) => p.id);
      expect(new Set(ids).size).to.equal(3);
    });

    it("§P12 absolute URLs are built on the host the client addressed (graph.microsoft.com behind a TLS-terminating proxy)", async () => {
      for (let i = 0; i < 2; i++) await cppOffer();
      const proxied = { "x-forwarded-host": "graph.microsoft.com", "x-forwarded-proto": "https" };
      const r = await pia("GET", "product?$maxpagesize=1", undefined, proxied);
      expect(r.json["@nextLink"]).to.match(/^https:\/\/graph\.microsoft\.com\/rp\/product-ingestion\/product\?/);
      const job = await configure([]);
      expect(job.status, "an empty configure is a schema error").to.equal(400);
    });
  });

  describe("faults as for CPP", () => {
    it("an injected fault and mode randomFaultRate reach PIA GETs; a POST configure is never failed at random", async () => {
      await e.control.injectFault({ method: "GET", path: "/rp/product-ingestion/product", status: 503, retryAfter: 0 });
      expect((await pia("GET", "product")).status).to.equal(503);
      expect((await pia("GET", "product")).status).to.equal(200);
      await e.control.setModes({ randomFaultRate: 1 });
      expect([429, 500, 503]).to.include((await pia("GET", "product")).status);
      const job = await configure([
        {
          $schema: `${S}/product/2022-03-01-preview3`,
          identity: { externalId: "random" },
          type: "azureVirtualMachine",
          alias: "R",
        },
      ]);
      expect(job.status).to.equal(202);
    });
  });

  describe("§P3 resources, §P4 one store with CPP", () => {
    it("§P4 an offer written through CPP reads through PIA as the same product: external ids, listing, plans, pricing, images", async () => {
      const { offerId, P, plans } = await cppOffer();
      expect(Object.keys(plans).sort()).to.deep.equal(["byol", "payg"]);
      const tree = (await pia("GET", `resource-tree/product/${P}`)).json;
      expect(tree.root).to.equal(`product/${P}`);
      expect(tree.target).to.deep.equal({ targetType: "draft" });
      const by = (prefix: string) => tree.resources.filter((r: any) => String(r.id).startsWith(`${prefix}/`));
      expect(by("product")[0]).to.include({ type: "azureVirtualMachine", alias: "Fabrikam Appliance" });
      expect(by("product")[0].identity).to.deep.equal({ externalId: offerId });
      expect(by("listing")[0]).to.include({
        title: "Fabrikam Appliance",
        searchResultSummary: "Network appliance image",
      });
      expect(by("property")[0].categories).to.deep.equal({ networking: ["firewalls"] });
      expect(by("submission")[0]).to.deep.include({ id: `submission/${P}/0`, target: { targetType: "draft" } });
      for (const r of tree.resources)
        expect(r.$schema, r.id).to.match(/^https:\/\/schema\.mp\.microsoft\.com\/schema\//);
      const payg = by("price-and-availability-plan").find((r: any) => r.plan === `plan/${P}/${plans.payg}`);
      expect(payg.pricing).to.deep.equal({
        licenseModel: "payAsYouGo",
        corePricing: { priceInputOption: "perCore", pricePerCore: 0.05 },
      });
      expect(payg.markets).to.deep.equal(["us", "gb"]);
      const tc = await techConfig(P, plans.byol);
      expect(tc.product).to.equal(`product/${P}`);
      expect(tc.plan).to.equal(`plan/${P}/${plans.byol}`);
      expect(tc.vmImageVersions.map((v: any) => v.versionNumber)).to.deep.equal(["1.0.0"]);
      expect(tc.vmImageVersions[0].vmImages[0].source.osDisk.uri).to.match(/os\.vhd/);
      expect(tc.skus).to.have.length(1);
    });

    it("§P3.2 a core-VM offer reads as a coreVirtualMachine product: its own keys, generation, deprecated images; supportsSriov is accepted and a deprecation hides the image in CPP", async () => {
      const cvm = "microsoft-azure-corevm.";
      const image = (name: string, showInGui: boolean) => ({
        osVhdUrl: `https://fab.blob.core.windows.net/vhd/${name}.vhd?sp=rl&sig=x`,
        lunVhdDetails: [],
        mediaName: name,
        label: name,
        showInGui,
        publishedDate: "",
      });
      await e.control.seed({
        offers: [
          {
            publisherId: "contoso",
            offer: {
              id: "core-linux",
              offerTypeId: "microsoft-azure-corevm",
              definition: {
                displayText: "Fabrikam Linux",
                offer: { [`${cvm}title`]: "Fabrikam Linux", [`${cvm}summary`]: "Linux images" },
                plans: [
                  {
                    planId: "gen2",
                    [`${cvm}skuTitle`]: "Gen 2",
                    [`${cvm}operatingSystemFamily`]: "Linux",
                    [`${cvm}cloudAvailability`]: ["PublicAzure"],
                    [`${cvm}generation`]: "2",
                    [`${cvm}vmImagesPublicAzure`]: { "0.9.0": image("old", false), "1.0.0": image("new", true) },
                  },
                ],
              },
            },
          },
        ],
      });
      const product = (await pia("GET", "product?externalId=core-linux")).json.value[0];
      expect(product.type).to.equal("coreVirtualMachine");
      const P = String(product.id).split("/")[1];
      const tree = (await pia("GET", `resource-tree/product/${P}`)).json.resources;
      expect(tree.find((r: any) => String(r.id).startsWith("listing/")).title).to.equal("Fabrikam Linux");
      const tc = tree.find((r: any) => String(r.id).startsWith("core-virtual-machine-plan-technical-configuration/"));
      expect(tc.$schema).to.match(/core-virtual-machine-plan-technical-configuration\//);
      expect(tc.skus).to.deep.equal([{ skuId: "gen2", imageType: "x64Gen2" }]);
      expect(tc.vmImageVersions.map((v: any) => [v.versionNumber, v.lifecycleState])).to.deep.equal([
        ["0.9.0", "deprecated"],
        ["1.0.0", "generallyAvailable"],
      ]);
      const before = JSON.stringify((await e.control.offer("contoso", "core-linux")).draft.definition);
      const echo = await configure(tree.filter((r: any) => !String(r.id).startsWith("submission/")));
      expect((await completed(echo.json.jobId)).jobResult, "the tree echoed as read").to.equal("succeeded");
      expect(JSON.stringify((await e.control.offer("contoso", "core-linux")).draft.definition)).to.equal(before);
      const versions = tc.vmImageVersions.map((v: any) =>
        v.versionNumber === "1.0.0" ? { ...v, lifecycleState: "deprecated" } : v,
      );
      const job = await configure([
        { ...tc, vmProperties: { ...tc.vmProperties, supportsSriov: true }, vmImageVersions: versions },
      ]);
      expect(job.status, JSON.stringify(job.json)).to.equal(202);
      expect((await completed(job.json.jobId)).jobResult).to.equal("succeeded");
      const plan = (await e.control.offer("contoso", "core-linux")).draft.definition.plans[0];
      expect(plan[`${cvm}supportsSriov`]).to.equal(true);
      expect(plan[`${cvm}vmImagesPublicAzure`]["1.0.0"]).to.include({ showInGui: false, mediaName: "new" });
      expect(plan[`${cvm}vmImagesPublicAzure`]["0.9.0"]).to.include({ showInGui: false, mediaName: "old" });
    });

    it("§P3.1 an external id with '_' (a Partner Center offer such as almalinux-x86_64): seeded as migrated, served by both APIs, written by CPP PUT; refused for a legacy CPP offer", async () => {
      const offer = {
        id: "almalinux-x86_64",
        offerTypeId: "microsoft-azure-virtualmachines",
        definition: sampleDefinition({ pricedPlans: true }),
      };
      let refused = "";
      await e.control.seed({ offers: [{ publisherId: "contoso", offer }] }).catch((x: Error) => (refused = x.message));
      expect(refused).to.match(/not valid/);
      await e.control.seed({ offers: [{ publisherId: "contoso", offer, migrated: true }] });
      expect((await pia("GET", "product?externalId=almalinux-x86_64")).json.value).to.have.length(1);
      const put = await cpp("PUT", "/api/publishers/contoso/offers/almalinux-x86_64", offer, { "if-match": "*" });
      expect(put.status, JSON.stringify(put.json)).to.equal(200);
    });

    it("§P5.1 a configure creates a product by resourceName: 202 notStarted/pending with jobEnd 0001-01-01; running; completed; detail has durable ids; CPP serves the offer", async () => {
      const r = await configure([
        {
          $schema: `${S}/product/2022-03-01-preview3`,
          resourceName: "newProduct",
          identity: { externalId: "contoso-new" },
          type: "azureVirtualMachine",
          alias: "Contoso New",
        },
        {
          $schema: `${S}/plan/2022-03-01-preview2`,
          product: { resourceName: "newProduct" },
          identity: { externalId: "byol" },
          alias: "BYOL",
          azureRegions: ["azureGlobal"],
        },
        {
          $schema: `${S}/listing/2022-03-01-preview5`,
          product: { resourceName: "newProduct" },
          kind: "azureVM",
          languageId: "en-us",
          title: "Contoso New",
        },
      ]);
      expect(r.status).to.equal(202);
      expect(r.json).to.include({ jobStatus: "notStarted", jobResult: "pending", jobEnd: "0001-01-01T00:00:00" });
      expect(r.json.errors).to.deep.equal([]);
      expect(r.json.jobId).to.match(/^[0-9a-f-]{36}$/);
      const early = await pia("GET", `configure/${r.json.jobId}`);
      expect(early.status, "detail before completion").to.equal(400);
      await e.control.clock({ advanceMs: 2_000 });
      expect((await pia("GET", `configure/${r.json.jobId}/status`)).json.jobStatus).to.equal("running");
      expect(
        (await pia("GET", "product?externalId=contoso-new")).json.value,
        "nothing before the job ran",
      ).to.deep.equal([]);
      const done = await completed(r.json.jobId);
      expect(done).to.include({ jobStatus: "completed", jobResult: "succeeded" });
      expect(done.resourceUri).to.match(new RegExp(`/configure/${r.json.jobId}$`));
      const detail = (await pia("GET", `configure/${r.json.jobId}`)).json;
      const [product, plan] = detail.resources;
      expect(product.id).to.match(/^product\/[0-9a-f-]{36}$/);
      expect(plan.id).to.match(new RegExp(`^plan/${product.id.split("/")[1]}/[0-9a-f-]{36}$`));
      expect(plan.product).to.equal(product.id);
      const offer = await cpp("GET", "/api/publishers/contoso/offers/contoso-new");
      expect(offer.status).to.equal(200);
      expect(offer.json.definition.displayText).to.equal("Contoso New");
      expect(offer.json.definition.plans.map((p: any) => p.planId)).to.deep.equal(["byol"]);
      expect(offer.json.definition.offer["microsoft-azure-marketplace.title"]).to.equal("Contoso New");
    });

    it("§P10 q3 jobs of one account are processed one after another in the order received: the second waits for the first, the last write stands", async () => {
      const { offerId, P } = await cppOffer();
      const listing = (await pia("GET", `listing/${P}/public/main/default/en-us`)).json;
      const first = await configure([{ ...listing, title: "First" }]);
      const second = await configure([{ ...listing, title: "Second" }]);
      await e.control.clock({ advanceMs: 5_500 });
      expect((await pia("GET", `configure/${first.json.jobId}/status`)).json.jobStatus).to.equal("completed");
      expect(
        (await pia("GET", `configure/${second.json.jobId}/status`)).json.jobStatus,
        "queued behind the first",
      ).to.not.equal("completed");
      await completed(second.json.jobId);
      const offer = await cpp("GET", `/api/publishers/contoso/offers/${offerId}`);
      expect(offer.json.definition.offer["microsoft-azure-marketplace.title"]).to.equal("Second");
    });

    it("§P4 a PIA write shows in the CPP Draft, and moves its ETag", async () => {
      const { offerId, P } = await cppOffer();
      const before = await cpp("GET", `/api/publishers/contoso/offers/${offerId}`);
      const listing = (await pia("GET", `listing/${P}/public/main/default/en-us`)).json;
      const job = await configure([{ ...listing, title: "Written through PIA" }]);
      expect((await completed(job.json.jobId)).jobResult).to.equal("succeeded");
      const after = await cpp("GET", `/api/publishers/contoso/offers/${offerId}`);
      expect(after.json.definition.offer["microsoft-azure-marketplace.title"]).to.equal("Written through PIA");
      expect(after.headers.get("etag")).to.not.equal(before.headers.get("etag"));
    });

    it("§P12 a technical configuration posted with {externalId} references and no id updates the one of that plan, never a second", async () => {
      const { offerId, P, plans } = await cppOffer();
      const tc = await techConfig(P, plans.byol);
      const { id: _id, product: _p, plan: _l, ...rest } = tc;
      const job = await configure([
        {
          ...rest,
          product: { externalId: offerId },
          plan: { externalId: "byol" },
          recommendedVmSizes: ["standard_d2s_v3"],
        },
      ]);
      expect((await completed(job.json.jobId)).jobResult).to.equal("succeeded");
      const tree = (await pia("GET", `resource-tree/product/${P}`)).json.resources;
      const tcs = tree.filter(
        (r: any) => r.plan === `plan/${P}/${plans.byol}` && String(r.id).includes("technical-configuration"),
      );
      expect(tcs).to.have.length(1);
      expect(tcs[0].recommendedVmSizes).to.deep.equal(["standard_d2s_v3"]);
    });

    it("§P3.4 vmImageVersions replaces the whole set: a draft-only version left out is gone; a new entry without lifecycleState is generallyAvailable", async () => {
      const { offerId, P, plans } = await cppOffer();
      const tc = await techConfig(P, plans.byol);
      const image = tc.vmImageVersions[0].vmImages[0];
      const job = await configure([{ ...tc, vmImageVersions: [{ versionNumber: "2026.12.01", vmImages: [image] }] }]);
      expect((await completed(job.json.jobId)).jobResult).to.equal("succeeded");
      const after = await techConfig(P, plans.byol);
      expect(after.vmImageVersions.map((v: any) => [v.versionNumber, v.lifecycleState])).to.deep.equal([
        ["2026.12.01", "generallyAvailable"],
      ]);
      const offer = await cpp("GET", `/api/publishers/contoso/offers/${offerId}`);
      const byol = offer.json.definition.plans.find((p: any) => p.planId === "byol");
      expect(Object.keys(byol["microsoft-azure-virtualmachines.vmImages"])).to.deep.equal(["2026.12.01"]);
    });

    it("§P3.1 request-order resolution: a resourceName defined later in the request fails the job, and nothing of it is written", async () => {
      const r = await configure([
        {
          $schema: `${S}/plan/2022-03-01-preview2`,
          product: { resourceName: "later" },
          identity: { externalId: "byol" },
          alias: "BYOL",
        },
        {
          $schema: `${S}/product/2022-03-01-preview3`,
          resourceName: "later",
          identity: { externalId: "too-late" },
          type: "azureVirtualMachine",
          alias: "x",
        },
      ]);
      const done = await completed(r.json.jobId);
      expect(done.jobResult).to.equal("failed");
      expect(done.errors[0].details[0].code).to.equal("invalidRequest");
      expect(done.errors[0].message).to.match(/"later"/);
      expect((await pia("GET", "product?externalId=too-late")).json.value).to.deep.equal([]);
    });

    it("§P5.3 schema validation is a synchronous 400 with details[] of schemaValidationError; nothing is queued", async () => {
      const r = await configure([
        {
          $schema: `${S}/product/2022-03-01-preview3`,
          identity: { externalId: "Bad Id!" },
          type: "azureVirtualMachine",
          alias: "x",
        },
      ]);
      expect(r.status).to.equal(400);
      expect(r.json.error.code).to.equal("badRequest");
      expect(r.json.error.message).to.equal("Invalid configuration: schema validation failed");
      expect(r.json.error.details[0].code).to.equal("schemaValidationError");
      expect(r.json.error.details[0].message).to.match(/externalId/);
      expect(await e.control.piaJobs()).to.have.length(0);
    });

    it("§P12 unknown vmProperties on a regular VM product are a schema error", async () => {
      const { P, plans } = await cppOffer();
      const tc = await techConfig(P, plans.byol);
      const r = await configure([{ ...tc, vmProperties: { ...tc.vmProperties, supportsSriov: true } }]);
      expect(r.status).to.equal(400);
      expect(JSON.stringify(r.json.error.details)).to.match(/supportsSriov/);
    });
  });

  describe("§P12 what clients echo", () => {
    it("§P12 posting back the whole draft tree as read (read-only fields included) is accepted and changes nothing in the CPP Draft", async () => {
      const { offerId, P } = await cppOffer();
      const before = (await e.control.offer("contoso", offerId)).draft;
      const tree = (await pia("GET", `resource-tree/product/${P}`)).json.resources;
      const echoed = tree
        .filter((r: any) => !String(r.id).startsWith("submission/"))
        .map((r: any) => ({ ...r, validations: [{ level: "warning", code: "x", message: "echoed" }] }));
      const job = await configure(echoed);
      expect(job.status, JSON.stringify(job.json)).to.equal(202);
      expect((await completed(job.json.jobId)).jobResult).to.equal("succeeded");
      const after = (await e.control.offer("contoso", offerId)).draft;
      const content = (d: any) => JSON.stringify(d.definition);
      expect(content(after)).to.equal(content(before));
      expect((await pia("GET", `resource-tree/product/${P}`)).json.resources).to.deep.equal(tree);
    });

    it("§P12 a submission echoed with its read-only status, result and created is accepted; mode piaConfigureStatus 200", async () => {
      const { P } = await cppOffer();
      await e.control.setModes({ piaConfigureStatus: 200 });
      const job = await configure([
        {
          $schema: `${S}/submission/2022-03-01-preview2`,
          id: `submission/${P}/0`,
          product: `product/${P}`,
          target: { targetType: "preview" },
          status: "completed",
          result: "succeeded",
          created: "2026-01-01T00:00:00.0000000Z",
        },
      ]);
      expect(job.status).to.equal(200);
      await advance(8 * DAY);
      expect((await pia("GET", `configure/${job.json.jobId}/status`)).json.jobResult).to.equal("succeeded");
    });

    it("§P3.2 lead secrets read masked (tree, resource and job detail); echoing the mask keeps the stored value", async () => {
      const { offerId, P } = await cppOffer();
      const leads = (connection: string, email: string) => ({
        $schema: `${S}/customer-leads/2022-03-01-preview3`,
        product: `product/${P}`,
        leadDestination: "table",
        tableLeadConfiguration: { contactEmail: email, storageAccountConnectionString: connection },
      });
      const first = await configure([leads("planted-lead-secret", "a@fabrikam.example")]);
      expect((await completed(first.json.jobId)).jobResult).to.equal("succeeded");
      const reads = [
        await pia("GET", `customer-leads/${P}`),
        await pia("GET", `resource-tree/product/${P}`),
        await pia("GET", `configure/${first.json.jobId}`),
      ];
      for (const r of reads)
        expect(JSON.stringify(r.json), "no read shows the secret").to.not.include("planted-lead-secret");
      const read = reads[0].json;
      expect(read.tableLeadConfiguration.storageAccountConnectionString).to.equal("**********");
      const echo = await configure([
        { ...read, tableLeadConfiguration: { ...read.tableLeadConfiguration, contactEmail: "b@fabrikam.example" } },
      ]);
      expect((await completed(echo.json.jobId)).jobResult).to.equal("succeeded");
      // What the service holds keeps the secret, with the new email.
      const held = (await e.control.offer("contoso", offerId)).pia!.extras[`customer-leads/${P}`];
      expect(held.tableLeadConfiguration).to.deep.equal({
        contactEmail: "b@fabrikam.example",
        storageAccountConnectionString: "planted-lead-secret",
      });
      const log = await e.control.requests();
      expect(
        log.some((l) => l.kind === "pia" && l.path.endsWith("/configure")),
        "logged as kind pia",
      ).to.equal(true);
    });
  });

  describe("§P12 forms found by trying public clients' requests", () => {
    it("§P12 a second SKU added over versions written with one image: each version keeps exactly the images it was written with", async () => {
      const { offerId, P, plans } = await cppOffer();
      const tc = await techConfig(P, plans.byol);
      const old = tc.vmImageVersions[0];
      const gen2 = {
        imageType: "x64Gen2",
        source: {
          sourceType: "sasUri",
          osDisk: { uri: "https://fab.blob.core.windows.net/vhd/g2.vhd?sig=x" },
          dataDisks: [],
        },
      };
      const job = await configure([
        {
          $schema: tc.$schema,
          product: { externalId: offerId },
          plan: { externalId: "byol" },
          skus: [
            { imageType: "x64Gen2", skuId: "byol-gen2" },
            { imageType: "x64Gen1", skuId: "byol" },
          ],
          vmImageVersions: [old, { versionNumber: "3717.0.0", vmImages: [gen2] }],
        },
      ]);
      expect((await completed(job.json.jobId)).jobResult).to.equal("succeeded");
      const after = await techConfig(P, plans.byol);
      expect(
        after.vmImageVersions.map((v: any) => [v.versionNumber, v.vmImages.map((i: any) => i.imageType)]),
      ).to.deep.equal([
        ["1.0.0", ["x64Gen1"]],
        ["3717.0.0", ["x64Gen2"]],
      ]);
      expect(after.vmImageVersions[0].vmImages[0].source.osDisk.uri).to.equal(old.vmImages[0].source.osDisk.uri);
    });

    it("§P12 null for an unset id or deprecationSchedule (serialisers write them): a preview is accepted; a live fails in the job with the documented message", async () => {
      const { P, plans } = await cppOffer();
      const tc = await techConfig(P, plans.byol);
      const nulls = await configure([
        { ...tc, vmImageVersions: tc.vmImageVersions.map((v: any) => ({ ...v, deprecationSchedule: null })) },
      ]);
      expect(nulls.status, JSON.stringify(nulls.json)).to.equal(202);
      const preview = await configure([
        {
          $schema: `${S}/submission/2022-03-01-preview2`,
          id: null,
          product: `product/${P}`,
          target: { targetType: "preview" },
        },
      ]);
      expect(preview.status, JSON.stringify(preview.json)).to.equal(202);
      await advance(8 * DAY);
      expect((await pia("GET", `configure/${preview.json.jobId}/status`)).json.jobResult).to.equal("succeeded");
      const live = await configure([
        {
          $schema: `${S}/submission/2022-03-01-preview2`,
          id: null,
          product: `product/${P}`,
          target: { targetType: "live" },
        },
      ]);
      expect((await completed(live.json.jobId)).errors[0].message).to.equal(
        "Expected a submission id that isn't null or 0 since target type is Live",
      );
    });

    it("§P10 q2 mode piaOmittedFields keep: an object posted without some of its fields keeps them (operatingSystem.friendlyName); clear drops them", async () => {
      const { offerId, P, plans } = await cppOffer();
      const tc = await techConfig(P, plans.byol);
      const partial = (family: string) => ({
        $schema: tc.$schema,
        product: { externalId: offerId },
        plan: { externalId: "byol" },
        operatingSystem: { family, type: "ubuntu" },
      });
      const kept = await configure([partial("linux")]);
      expect((await completed(kept.json.jobId)).jobResult).to.equal("succeeded");
      expect((await techConfig(P, plans.byol)).operatingSystem).to.deep.equal({
        family: "linux",
        type: "ubuntu",
        friendlyName: "Ubuntu 22.04",
      });
      await e.control.setModes({ piaOmittedFields: "clear" });
      const cleared = await configure([{ ...partial("linux"), vmImageVersions: tc.vmImageVersions, skus: tc.skus }]);
      expect((await completed(cleared.json.jobId)).jobResult).to.equal("succeeded");
      const after = await techConfig(P, plans.byol);
      expect(after.operatingSystem).to.deep.equal({ family: "linux", type: "ubuntu" });
      expect(after.recommendedVmSizes).to.deep.equal([]);
    });

    it("§P5.4 a modular preview publishes the resources posted with it over what preview holds, not the rest of the draft", async () => {
      const { P, plans } = await cppOffer();
      await previewed(P);
      const listing = (await pia("GET", `listing/${P}/public/main/default/en-us`)).json;
      const draftOnly = await configure([{ ...listing, title: "Draft only" }]);
      expect((await completed(draftOnly.json.jobId)).jobResult).to.equal("succeeded");
      const tc = await techConfig(P, plans.byol);
      const modular = await configure([
        { ...tc, recommendedVmSizes: ["standard_d4s_v5"] },
        { $schema: `${S}/submission/2022-03-01-preview2`, product: `product/${P}`, target: { targetType: "preview" } },
      ]);
      await advance(8 * DAY);
      expect((await pia("GET", `configure/${modular.json.jobId}/status`)).json.jobResult).to.equal("succeeded");
      const preview = (await pia("GET", `resource-tree/product/${P}?targetType=preview`)).json.resources;
      expect(preview.find((r: any) => String(r.id).startsWith("listing/")).title).to.equal("Fabrikam Appliance");
      const previewTc = preview.find((r: any) => r.id === tc.id);
      expect(previewTc.recommendedVmSizes).to.deep.equal(["standard_d4s_v5"]);
    });

    it("mode clockAgesTokens false: a token taken before a jump of days still works, as for a client that ages tokens by its own clock", async () => {
      await e.control.setModes({ clockAgesTokens: false });
      await fresh();
      await e.control.clock({ advanceMs: 3 * DAY });
      expect((await pia("GET", "product")).status).to.equal(200);
      await e.control.setModes({ clockAgesTokens: true });
      await e.control.clock({ advanceMs: 3 * DAY });
      expect((await pia("GET", "product")).status, "the default ages tokens with the jump").to.equal(401);
    });
  });

  describe("§P5.4 submissions", () => {
    it("§P5.4 preview: the job runs through certification on the emulated clock and completes at sign-off; GET submission lists the draft /0 then a 19-digit preview", async () => {
      const { P } = await cppOffer();
      const job = await configure([
        { $schema: `${S}/submission/2022-03-01-preview2`, product: `product/${P}`, target: { targetType: "preview" } },
      ]);
      await advance(HOUR);
      const running = await pia("GET", `configure/${job.json.jobId}/status`);
      expect(running.json).to.include({ jobStatus: "running", jobResult: "pending" });
      const during = (await pia("GET", `submission/${P}`)).json.value;
      expect(during.map((s: any) => [s.target.targetType, s.status, s.result])).to.deep.equal([
        ["draft", undefined, undefined],
        ["preview", "running", "pending"],
      ]);
      expect(during[0].id).to.equal(`submission/${P}/0`);
      expect(during[1].id).to.match(new RegExp(`^submission/${P}/\\d{19}$`));
      await advance(8 * DAY);
      expect((await pia("GET", `configure/${job.json.jobId}/status`)).json).to.include({
        jobStatus: "completed",
        jobResult: "succeeded",
      });
      const preview = (await pia("GET", `resource-tree/product/${P}?targetType=preview`)).json;
      expect(preview.target).to.deep.equal({ targetType: "preview" });
      const ops = await e.control.operations();
      expect(ops.map((o) => o.type)).to.deep.equal(["publish"]);
      expect(`submission/${P}/${ops[0].submission}`).to.equal(during[1].id);
    });

    it("§P5.4 live needs the preview submission's id: absent or …/0 fails in the job with the service's message", async () => {
      const { P } = await cppOffer();
      await previewed(P);
      for (const id of [undefined, `submission/${P}/0`]) {
        const job = await configure([
          {
            $schema: `${S}/submission/2022-03-01-preview2`,
            ...(id ? { id } : {}),
            product: `product/${P}`,
            target: { targetType: "live" },
          },
        ]);
        const done = await completed(job.json.jobId);
        expect(done.jobResult, String(id)).to.equal("failed");
        expect(done.errors[0].message).to.equal(
          "Expected a submission id that isn't null or 0 since target type is Live",
        );
      }
      expect((await e.control.operations()).map((o) => o.type)).to.deep.equal(["publish"]);
    });

    it("§P5.4 live with the preview's id goes live; the promoted submission is listed as preview and live (mode both) or live alone (mode liveOnly)", async () => {
      const { P } = await cppOffer();
      const id = await previewed(P);
      const job = await configure([
        { $schema: `${S}/submission/2022-03-01-preview2`, id, product: `product/${P}`, target: { targetType: "live" } },
      ]);
      await advance(5 * DAY);
      expect((await pia("GET", `configure/${job.json.jobId}/status`)).json).to.include({
        jobStatus: "completed",
        jobResult: "succeeded",
      });
      const both = (await pia("GET", `submission/${P}`)).json.value;
      expect(both.map((s: any) => [s.target.targetType, s.id === id])).to.deep.equal([
        ["draft", false],
        ["preview", true],
        ["live", true],
      ]);
      await e.control.setModes({ piaPromotedSubmission: "liveOnly" });
      const liveOnly = (await pia("GET", `submission/${P}`)).json.value;
      expect(liveOnly.map((s: any) => s.target.targetType)).to.deep.equal(["draft", "live"]);
      expect((await pia("GET", `resource-tree/product/${P}?targetType=live`)).status).to.equal(200);
      expect((await e.control.operations()).map((o) => o.type)).to.deep.equal(["publish", "goLive"]);
    });

    it("§P5.4 a second submission while one is in progress fails inside the job ('An In Progress submission … already exists.'); one operation", async () => {
      const { P } = await cppOffer();
      const sub = {
        $schema: `${S}/submission/2022-03-01-preview2`,
        product: `product/${P}`,
        target: { targetType: "preview" },
      };
      await configure([sub]);
      await advance(HOUR);
      const second = await configure([sub]);
      const done = await completed(second.json.jobId);
      expect(done.jobResult).to.equal("failed");
      expect(done.errors[0].code).to.equal("internalServerError");
      expect(done.errors[0].message).to.match(/^An In Progress submission \d{19} already exists\.$/);
      expect(await e.control.operations()).to.have.length(1);
    });

    it("§P5.3 'not the latest submission': live with an older preview's id → conflict", async () => {
      const { P } = await cppOffer();
      const older = await previewed(P);
      await previewed(P);
      const job = await configure([
        {
          $schema: `${S}/submission/2022-03-01-preview2`,
          id: older,
          product: `product/${P}`,
          target: { targetType: "live" },
        },
      ]);
      const done = await completed(job.json.jobId);
      expect(done.errors[0]).to.include({
        code: "conflict",
        message: "The submission cannot be pushed to live as its not the latest submission.",
      });
    });

    it("§P5.3 a certification failure (forced outcome) fails the preview job with internalServerError 'Operation failed' → invalidState 'Issues found during Certification'", async () => {
      const { offerId } = await cppOffer();
      await e.control.forceOutcome("contoso", offerId, { outcome: "fail", message: "Image has no SSH." });
      const job = await configure([
        {
          $schema: `${S}/submission/2022-03-01-preview2`,
          product: { externalId: offerId },
          target: { targetType: "preview" },
        },
      ]);
      await advance(DAY);
      const status = (await pia("GET", `configure/${job.json.jobId}/status`)).json;
      expect(status).to.include({ jobStatus: "completed", jobResult: "failed" });
      expect(status.errors[0]).to.include({ code: "internalServerError", message: "Operation failed" });
      expect(status.errors[0].details[0].code).to.equal("invalidState");
      expect(status.errors[0].details[0].message).to.match(/^Issues found during Certification\. Image has no SSH\./);
    });

    it("§P5.2 cancel: a queued draft job ends cancelled with nothing written; a completed one → 400 'Cannot cancel job, job has already completed.'", async () => {
      const { offerId, P } = await cppOffer();
      const listing = (await pia("GET", `listing/${P}/public/main/default/en-us`)).json;
      const job = await configure([{ ...listing, title: "Never written" }]);
      const c = await pia("POST", `configure/${job.json.jobId}/cancel`);
      expect(c.status).to.equal(200);
      expect(await completed(job.json.jobId)).to.include({ jobStatus: "completed", jobResult: "cancelled" });
      const offer = await cpp("GET", `/api/publishers/contoso/offers/${offerId}`);
      expect(offer.json.definition.offer["microsoft-azure-marketplace.title"]).to.equal("Fabrikam Appliance");
      const again = await pia("POST", `configure/${job.json.jobId}/cancel`);
      expect(again.status).to.equal(400);
      expect(again.json.error).to.deep.equal({
        code: "badRequest",
        message: "Cannot cancel job, job has already completed.",
        details: [],
      });
    });

    it("§P5.2 cancel during certification cancels the publication (the CPP operation ends canceled)", async () => {
      const { P } = await cppOffer();
      const job = await configure([
        { $schema: `${S}/submission/2022-03-01-preview2`, product: `product/${P}`, target: { targetType: "preview" } },
      ]);
      await advance(HOUR);
      expect((await pia("POST", `configure/${job.json.jobId}/cancel`)).status).to.equal(200);
      expect((await pia("GET", `configure/${job.json.jobId}/status`)).json.jobResult).to.equal("cancelled");
      expect((await e.control.operations())[0].status).to.equal("canceled");
    });
  });

  describe("§P3.4 business rules against what is published", () => {
    it("§P3.4 a published image version left out → job failed 'Cannot delete image … as it is already published'; deprecated stays allowed", async () => {
      const { P, plans } = await cppOffer();
      await previewed(P);
      const tc = await techConfig(P, plans.byol);
      const image = tc.vmImageVersions[0].vmImages[0];
      const drop = await configure([{ ...tc, vmImageVersions: [{ versionNumber: "1.0.1", vmImages: [image] }] }]);
      const failed = await completed(drop.json.jobId);
      expect(failed.jobResult).to.equal("failed");
      expect(failed.errors[0].details[0].message).to.equal("Cannot delete image '1.0.0' as it is already published");
      expect((await techConfig(P, plans.byol)).vmImageVersions.map((v: any) => v.versionNumber)).to.deep.equal([
        "1.0.0",
      ]);
      const deprecate = await configure([
        { ...tc, vmImageVersions: [{ ...tc.vmImageVersions[0], lifecycleState: "deprecated" }] },
      ]);
      expect((await completed(deprecate.json.jobId)).jobResult).to.equal("succeeded");
      expect((await techConfig(P, plans.byol)).vmImageVersions[0].lifecycleState).to.equal("deprecated");
    });

    it("§P3.4 sticky booleans cannot be turned off once published; a published SKU id is locked", async () => {
      const { P, plans } = await cppOffer();
      const tc = await techConfig(P, plans.byol);
      const on = await configure([{ ...tc, vmProperties: { ...tc.vmProperties, supportsNVMe: true } }]);
      expect((await completed(on.json.jobId)).jobResult).to.equal("succeeded");
      await previewed(P);
      const current = await techConfig(P, plans.byol);
      const off = await configure([{ ...current, vmProperties: { ...current.vmProperties, supportsNVMe: false } }]);
      expect((await completed(off.json.jobId)).errors[0].message).to.equal(
        "SupportsNVMe property has already been enabled",
      );
      const sku = await configure([{ ...current, skus: [{ skuId: "renamed", imageType: current.skus[0].imageType }] }]);
      expect((await completed(sku.json.jobId)).errors[0].message).to.equal(
        "The property 'PlanId' is locked by a previous submission",
      );
    });

    it("§P3.1 lifecycleState deleted: a draft-only plan goes (and leaves the CPP Draft); a published one is refused", async () => {
      const { offerId, P } = await cppOffer();
      const added = await configure([
        {
          $schema: `${S}/plan/2022-03-01-preview2`,
          product: `product/${P}`,
          identity: { externalId: "extra" },
          alias: "Extra",
          azureRegions: ["azureGlobal"],
        },
      ]);
      const planId = (await pia("GET", `configure/${(await completed(added.json.jobId)) && added.json.jobId}`)).json
        .resources[0].id;
      const del = await configure([
        {
          $schema: `${S}/plan/2022-03-01-preview2`,
          id: planId,
          product: `product/${P}`,
          identity: { externalId: "extra" },
          alias: "Extra",
          lifecycleState: "deleted",
        },
      ]);
      expect((await completed(del.json.jobId)).jobResult).to.equal("succeeded");
      const offer = await cpp("GET", `/api/publishers/contoso/offers/${offerId}`);
      expect(offer.json.definition.plans.map((p: any) => p.planId)).to.deep.equal(["byol", "payg"]);
      await previewed(P);
      const plan = (await pia("GET", `plan?product=product/${P}&externalId=byol`)).json.value[0];
      const refused = await configure([{ ...plan, lifecycleState: "deleted" }]);
      const done = await completed(refused.json.jobId);
      expect(done.jobResult).to.equal("failed");
      expect(done.errors[0].details[0].code).to.equal("invalidEntityStatus");
    });
  });

  describe("§P9 jobs survive a restart", () => {
    it("a job queued before a restart completes after it, from the state file", async () => {
      const file = join(scratchDir("pia-persist"), "state.json");
      const first = await startEmulator({ stateFile: file, timeScale: 1 });
      const t = await fetch(`${first.authorityUrl}/${first.tenantId}/oauth2/v2.0/token`, {
        method: "POST",
        body: new URLSearchParams({
          grant_type: "client_credentials",
          client_id: first.clientId,
          client_secret: first.clientSecret,
          scope: "https://graph.microsoft.com/.default",
        }),
      }).then(json);
      const posted = await fetch(`${first.productIngestionUrl}/configure`, {
        method: "POST",
        headers: { authorization: `Bearer ${t.access_token}`, "content-type": "application/json" },
        body: JSON.stringify({
          $schema: `${S}/configure/2022-07-01`,
          resources: [
            {
              $schema: `${S}/product/2022-03-01-preview3`,
              identity: { externalId: "kept" },
              type: "azureVirtualMachine",
              alias: "Kept",
            },
          ],
        }),
      }).then(json);
      await first.close();
      const second = await startEmulator({ stateFile: file, timeScale: 1 });
      try {
        await second.control.clock({ advanceMs: 10_000 });
        const jobs = await second.control.piaJobs();
        expect(jobs.map((j) => [j.jobId, j.jobResult])).to.deep.equal([[posted.jobId, "succeeded"]]);
        expect((await second.control.offer("contoso", "kept")).draft.definition.displayText).to.equal("Kept");
      } finally {
        await second.close();
      }
    });
  });
});
