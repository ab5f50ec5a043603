// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { startEmulator } from "../../emulator/index.js";
import { CPP_SCOPE } from "../../provider/client/index.js";
import {
  PiaClient,
  RETIRED_SCHEMA_HOST,
  schemaUrl,
  type PiaClientOptions,
  type PiaSubmission,
} from "../../provider/pia/index.js";
import {
  emulatedWaits,
  PIA_PUB,
  piaClient,
  previewSubmission,
  resetForPia,
  seedPiaOffer,
  type EmulatedWaits,
} from "../helpers/pia-client.js";
import { scratchDir } from "../helpers/scratch.js";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
const PUB = PIA_PUB;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Real got + real msal-node over loopback against the emulator's Product Ingestion API
 * (docs/internals/api-notes.md §P5, §P12). The client's `sleep` moves the emulated clock (and its
 * `now`), so jobs move without wall-clock waits.
 */
describe("pia client ⇄ emulator", function () {
  this.timeout(120_000);
  let emulator: Emulator;
  let client: PiaClient;
  let waits: EmulatedWaits;
  let sleeps: number[];
  let n = 0;

  const credential = () => ({
    tenantId: emulator.tenantId,
    clientId: emulator.clientId,
    clientSecret: emulator.clientSecret,
    authority: emulator.authorityUrl,
  });
  const make = (over: Partial<PiaClientOptions> = {}) => piaClient(emulator, waits, over);
  const seedOffer = (offerId = `pia-${++n}`) => seedPiaOffer(emulator, offerId);
  const productOf = async (offerId: string) => {
    const product = await client.findProduct(offerId);
    expect(product, offerId).to.not.equal(undefined);
    return product!;
  };
  const pia = async () => (await emulator.control.requests()).filter((r) => r.kind === "pia");
  const preview = previewSubmission;

  before(async () => {
    emulator = await startEmulator({ timeScale: 1 });
  });
  after(() => emulator.close());
  beforeEach(async () => {
    await resetForPia(emulator);
    waits = emulatedWaits();
    sleeps = waits.sleeps;
    client = make();
  });

  it("§P5 lookups: product by external id (first of value, or undefined), get product, list with paging", async () => {
    expect(await client.findProduct("no-such-offer")).to.equal(undefined);
    const ids = [await seedOffer(), await seedOffer(), await seedOffer()];
    const product = await productOf(ids[0]);
    expect(product.id).to.match(/^product\/[0-9a-f-]{36}$/);
    expect(product.identity.externalId).to.equal(ids[0]);
    expect(product.type).to.equal("azureVirtualMachine");
    expect(product.$schema).to.match(/^https:\/\/schema\.mp\.microsoft\.com\/schema\/product\//);
    expect((await client.getProduct(product.id!)).id).to.equal(product.id);
    expect((await client.getProduct(product.id!.slice("product/".length))).id).to.equal(product.id);
    await emulator.control.clearRequests();
    const all = await client.listProducts({ maxPageSize: 2 });
    expect(all.map((p) => p.identity.externalId).sort()).to.deep.equal([...ids].sort());
    const gets = await pia();
    // Two pages: the second from the @nextLink of the first.
    expect(gets.map((r) => r.path)).to.deep.equal(["/rp/product-ingestion/product", "/rp/product-ingestion/product"]);
    expect(gets[1].query).to.match(/continuationToken=/);
    // $version on every call.
    for (const r of gets) expect(r.query, r.path).to.match(/(^|[?&])(\$|%24)version=2022-07-01(&|$)/);
  });

  it("§P5 plans of a product (paged, by external id), any resource by durable id, the resource tree", async () => {
    const offerId = await seedOffer();
    const product = await productOf(offerId);
    const plans = await client.listPlans(product.id!, { maxPageSize: 1 });
    const planIds = plans.map((p) => p.identity.externalId);
    expect(planIds.length).to.be.at.least(2);
    expect(plans.every((p) => p.id!.startsWith(`plan/${product.id!.slice(8)}/`))).to.equal(true);
    const one = await client.findPlan(product.id!, planIds[1]);
    expect(one?.id).to.equal(plans[1].id);
    expect(await client.findPlan(product.id!, "no-such-plan")).to.equal(undefined);
    const tree = await client.getResourceTree(product.id!);
    expect(tree.root).to.equal(product.id);
    expect(tree.target.targetType).to.equal("draft");
    for (const r of tree.resources)
      expect(r.$schema, String(r.id)).to.match(/^https:\/\/schema\.mp\.microsoft\.com\/schema\//);
    const tc = tree.resources.find((r) => String(r.id).startsWith("virtual-machine-plan-technical-configuration/"));
    expect(tc, "a technical configuration in the draft tree").to.not.equal(undefined);
    expect(await client.getResource(tc!.id!)).to.deep.equal(tc);
    const e = await client
      .getResource(`plan/${product.id!.slice(8)}/00000000-0000-0000-0000-000000000000`)
      .catch((x) => x);
    expect(e.code).to.equal("CPP_NOT_FOUND");
    expect(e.fix).to.match(/durable id/);
  });

  it("§P5.1 configure a draft edit: the job completes (polled from 2 s), its detail has durable ids", async () => {
    const offerId = await seedOffer();
    const product = await productOf(offerId);
    const [plan] = await client.listPlans(product.id!);
    // A $schema on the retired host is sent on the current one (the service can no longer read it).
    const edited = {
      ...plan,
      alias: "Renamed by PIA",
      $schema: plan.$schema.replace(/^https:\/\/[^/]+/, RETIRED_SCHEMA_HOST),
    };
    expect(edited.$schema.startsWith("https://product-ingestion.azureedge.net/schema/plan/")).to.equal(true);
    delete (edited as any).validations;
    await emulator.control.clearRequests();
    const job = await client.configure([edited]);
    expect(job.jobId).to.be.a("string").and.match(GUID);
    expect(job.jobStatus).to.be.oneOf(["notStarted", "running"]);
    expect(job.jobResult).to.equal("pending");
    const done = await client.waitForJob(job.jobId, { kind: "draft", initialStatus: job });
    expect([done.jobStatus, done.jobResult]).to.deep.equal(["completed", "succeeded"]);
    expect(sleeps[0]).to.equal(2_000);
    for (const s of sleeps) expect(s).to.be.below(60_000);
    const detail = await client.getJobDetail(job.jobId);
    expect(detail.resources.map((r) => r.id)).to.include(plan.id);
    expect((await client.findPlan(product.id!, plan.identity.externalId))?.alias).to.equal("Renamed by PIA");
    const posts = (await pia()).filter((r) => r.method === "POST");
    expect(posts.map((r) => r.path)).to.deep.equal(["/rp/product-ingestion/configure"]);
  });

  it("§P5.4 publish to preview, then go live: submission jobs polled at most once a minute", async () => {
    const offerId = await seedOffer();
    const product = await productOf(offerId);
    const progress: string[] = [];
    const previewJob = await client.configureAndWait([preview(product.id!)], {
      onProgress: (p) => progress.push(`${p.kind}:${p.state}`),
    });
    expect(previewJob.jobResult).to.equal("succeeded");
    expect(progress[0]).to.match(/^submission:(notStarted|running)$/);
    expect(progress[progress.length - 1]).to.equal("submission:succeeded");
    expect(sleeps.length).to.be.at.least(2);
    for (const s of sleeps) expect(s).to.be.at.least(60_000);
    const subs = await client.listSubmissions(product.id!);
    const previewSub = subs.find((s) => s.target.targetType === "preview") as PiaSubmission;
    expect(previewSub.id).to.match(/^submission\/[0-9a-f-]{36}\/\d{19}$/);
    expect([previewSub.status, previewSub.result]).to.deep.equal(["completed", "succeeded"]);
    expect(subs.find((s) => s.target.targetType === "draft")?.id).to.equal(`submission/${product.id!.slice(8)}/0`);
    const number = previewSub.id!.split("/")[2];
    expect((await client.getSubmission(product.id!, number)).id).to.equal(previewSub.id);
    expect((await client.getResourceTree(product.id!, { target: "preview" })).target.targetType).to.equal("preview");
    const live = await client.configureAndWait([
      { $schema: schemaUrl("submission"), id: previewSub.id, product: product.id, target: { targetType: "live" } },
    ]);
    expect(live.jobResult).to.equal("succeeded");
    expect(
      (await client.listSubmissions(product.id!, { target: "live" })).map((s) => s.target.targetType),
    ).to.deep.equal(["live"]);
  });

  it("§P5.3 a synchronous 400: the HTTP code, the service's inner codes kept and named, a PIA fix", async () => {
    const offerId = await seedOffer();
    const product = await productOf(offerId);
    // A plan without its required alias, and a product reference by external id.
    const e = await client
      .configure([{ $schema: schemaUrl("plan"), product: { externalId: offerId }, identity: { externalId: "x" } }])
      .catch((x) => x);
    expect(e.code).to.equal("CPP_BAD_REQUEST");
    expect(e.statusCode).to.equal(400);
    expect(e.serviceCode).to.equal("badRequest");
    expect(e.innerCodes).to.include("schemaValidationError");
    expect(e.serviceErrors[0].details.length).to.be.at.least(1);
    expect(e.message).to.match(/HTTP 400 badRequest: .*\(.*schemaValidationError: /);
    expect(e.fix).to.match(/\$schema/);
    // Cancel too late: the documented 400 with an empty details list.
    const job = await client.configureAndWait([{ ...(await client.getProduct(product.id!)), validations: undefined }], {
      kind: "draft",
    });
    const late = await client.cancelJob(job.jobId).catch((x) => x);
    expect(late.code).to.equal("CPP_BAD_REQUEST");
    expect(late.message).to.match(/Cannot cancel job, job has already completed/);
    expect(late.innerCodes).to.deep.equal([]);
    // An unknown job: 404.
    expect((await client.getJobStatus("00000000-0000-0000-0000-000000000000").catch((x) => x)).code).to.equal(
      "CPP_NOT_FOUND",
    );
  });

  it("cancel a running submission job: waitForJob says CPP_OPERATION_CANCELED", async () => {
    const offerId = await seedOffer();
    const product = await productOf(offerId);
    const job = await client.configure([preview(product.id!)]);
    // Let the job start its submission, then cancel it.
    await emulator.control.clock({ advanceMs: 10_000 });
    const cancel = await client.cancelJob(job.jobId);
    expect(cancel?.jobId).to.equal(job.jobId);
    const e = await client.waitForJob(job.jobId).catch((x) => x);
    expect(e.code).to.equal("CPP_OPERATION_CANCELED");
    expect(e.jobId).to.equal(job.jobId);
    const posts = (await pia()).filter((r) => r.method === "POST").map((r) => r.path);
    expect(posts).to.deep.equal([
      "/rp/product-ingestion/configure",
      `/rp/product-ingestion/configure/${job.jobId}/cancel`,
    ]);
  });

  it("401: a token of the wrong audience is refreshed once, then a PIA-worded CPP_UNAUTHORIZED", async () => {
    const wrong = make({ scope: CPP_SCOPE });
    await emulator.control.clearRequests();
    const e = await wrong.findProduct("x").catch((x) => x);
    expect(e.code).to.equal("CPP_UNAUTHORIZED");
    expect(e.message).to.match(/Invalid audience/);
    expect(e.fix)
      .to.match(/https:\/\/graph\.microsoft\.com/)
      .and.not.match(/cloudpartner\.azure\.com/);
    expect((await pia()).map((r) => r.status)).to.deep.equal([401, 401]);
  });

  it("401 after the token expired: one refresh and the call succeeds", async () => {
    await client.findProduct("x");
    await emulator.control.clock({ advanceMs: 2 * 3_600_000 });
    await emulator.control.clearRequests();
    expect(await client.findProduct("x")).to.equal(undefined);
    const log = await emulator.control.requests();
    expect(log.map((r) => `${r.kind} ${r.status}`)).to.deep.equal(["pia 401", "aad 200", "pia 200"]);
  });

  it("403: an application without a Partner Center account gets the Manager-role fix", async () => {
    const clientId = "33333333-3333-3333-3333-333333333333";
    const clientSecret = `s-${randomBytes(8).toString("hex")}`;
    await emulator.control.seed({ principals: [{ clientId, clientSecret, publishers: [] }] });
    const c = make({ credential: { ...credential(), clientId, clientSecret } });
    const e = await c.listProducts().catch((x) => x);
    expect(e.code).to.equal("CPP_FORBIDDEN");
    expect(e.fix).to.match(/Account settings → User management → Microsoft Entra applications, role Manager/);
    expect(e.message).to.not.contain(clientSecret);
  });

  it("certificate and federated credentials get Graph tokens too", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const thumbprintSha256 = randomBytes(32).toString("hex").toUpperCase();
    const certApp = "22222222-2222-2222-2222-222222222222";
    const subject = "repo:contoso/offers:ref:refs/heads/main";
    await emulator.control.seed({
      principals: [
        {
          clientId: certApp,
          certificate: { thumbprintSha256, publicKeyPem: publicKey.export({ type: "spki", format: "pem" }) },
          publishers: [PUB],
        },
        { clientId: "pia-ci-app", federated: { subject }, publishers: [PUB] },
      ],
    });
    const offerId = await seedOffer();
    const cert = make({
      credential: {
        tenantId: emulator.tenantId,
        clientId: certApp,
        certificate: {
          privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
          thumbprintSha256,
        },
        authority: emulator.authorityUrl,
      },
    });
    expect((await cert.findProduct(offerId))?.identity.externalId).to.equal(offerId);
    const file = join(scratchDir("pia-federated"), "token");
    const token = (await emulator.control.federatedToken({ subject })).token;
    writeFileSync(file, token);
    const federated = make({
      credential: {
        tenantId: emulator.tenantId,
        clientId: "pia-ci-app",
        federatedTokenFile: file,
        authority: emulator.authorityUrl,
      },
    });
    expect((await federated.findProduct(offerId))?.identity.externalId).to.equal(offerId);
    const aad = (await emulator.control.requests()).filter((r) => r.kind === "aad" && /token$/.test(r.path));
    expect(aad.length).to.be.at.least(2);
  });

  it("a foreign @nextLink is refused: the token never leaves the endpoint", async () => {
    const seen: string[] = [];
    const foreign: Server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ""}`);
      res.end('{"value":[]}');
    });
    await new Promise<void>((r) => foreign.listen(0, "127.0.0.1", r));
    try {
      const port = (foreign.address() as AddressInfo).port;
      await emulator.control.injectFault({
        method: "GET",
        path: "/rp/product-ingestion/product",
        status: 200,
        body: { value: [], "@nextLink": `http://127.0.0.1:${port}/rp/product-ingestion/product?continuationToken=x` },
      });
      const e = await client.listProducts().catch((x) => x);
      expect(e.code).to.equal("CPP_CONFIGURATION");
      expect(e.message).to.match(/refusing to send the token to http:\/\/127\.0\.0\.1:\d+/);
      expect(seen).to.deep.equal([]);
    } finally {
      await new Promise((r) => foreign.close(r));
    }
  });

  it("secrets stay out of errors: a bad client secret, a SAS signature in a service message", async () => {
    const wrong = `wrong-${randomBytes(8).toString("hex")}`;
    const bad = make({ credential: { ...credential(), clientSecret: wrong } });
    const e = await bad.findProduct("x").catch((x) => x);
    expect(e.code).to.equal("CPP_AUTH_FAILED");
    expect(`${e.message}${e.stack}`).to.not.contain(wrong);
    await emulator.control.injectFault({
      method: "GET",
      path: "/rp/product-ingestion/product",
      status: 400,
      body: {
        error: {
          code: "badRequest",
          message: "cannot read https://a.blob.core.windows.net/v/os.vhd?sv=1&sig=LEAKEDSIGNATURE",
          details: [
            { code: "invalidResource", message: "https://a.blob.core.windows.net/v/os.vhd?sig=LEAKEDSIGNATURE" },
          ],
        },
      },
    });
    const sas = await client.findProduct("x").catch((x) => x);
    expect(sas.code).to.equal("CPP_BAD_REQUEST");
    expect(`${sas.message}${JSON.stringify(sas.serviceErrors)}${sas.stepMessages}`).to.not.contain("LEAKEDSIGNATURE");
    expect(sas.innerCodes).to.deep.equal(["invalidResource"]);
  });

  it("abort: a call and a wait", async () => {
    const ac = new AbortController();
    ac.abort();
    expect((await client.findProduct("x", { abortSignal: ac.signal }).catch((e) => e)).code).to.equal("CPP_ABORTED");
    const offerId = await seedOffer();
    const product = await productOf(offerId);
    const job = await client.configure([preview(product.id!)]);
    const wait = new AbortController();
    const waiting = make({
      sleep: async (_ms, signal) => {
        wait.abort();
        throw signal?.reason ?? new Error("aborted");
      },
    });
    const e = await waiting.waitForJob(job.jobId, { abortSignal: wait.signal }).catch((x) => x);
    expect(e.code).to.equal("CPP_ABORTED");
    expect(e.jobId).to.equal(job.jobId);
  });

  it("the deadline: CPP_DEADLINE_EXCEEDED with the last state seen and the job id", async () => {
    const offerId = await seedOffer();
    const product = await productOf(offerId);
    const job = await client.configure([preview(product.id!)]);
    const e = await client.waitForJob(job.jobId, { deadline: waits.now + 3 * 60_000 }).catch((x) => x);
    expect(e.code).to.equal("CPP_DEADLINE_EXCEEDED");
    expect(e.lastStatus).to.equal("running");
    expect(e.jobId).to.equal(job.jobId);
    expect(e.message).to.match(/do not send the configure request again/);
  });
});
