// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { inspect } from "node:util";
import { startEmulator } from "../../emulator/index.js";
import { createPiaTokenProvider, PiaClient, schemaUrl } from "../../provider/pia/index.js";
import {
  emulatedWaits,
  piaClient,
  PIA_PUB,
  previewSubmission,
  resetForPia,
  seedPiaOffer,
  type EmulatedWaits,
} from "../helpers/pia-client.js";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
const CONFIGURE = "/rp/product-ingestion/configure";

/**
 * Faults against the Product Ingestion API client: GETs are retried, a configure or a cancel never
 * is (a write whose answer is lost is reconciled by reading), job failures are typed errors.
 */
describe("reliability: pia client under faults", function () {
  this.timeout(120_000);
  let emulator: Emulator;
  let client: PiaClient;
  let waits: EmulatedWaits;
  let n = 0;

  const pia = async () => (await emulator.control.requests()).filter((r) => r.kind === "pia");
  const posts = async () => (await pia()).filter((r) => r.method === "POST");
  const newProduct = async () => {
    const offerId = await seedPiaOffer(emulator, `fault-${++n}`);
    const product = await client.findProduct(offerId);
    return { offerId, productId: product!.id! };
  };
  /** Waits (wall time, bounded) until the emulator holds `count` jobs: a delayed request is processed late. */
  const jobsOnceSettled = async (count: number) => {
    for (let i = 0; i < 200; i++) {
      const jobs = await emulator.control.piaJobs();
      if (jobs.length >= count) return jobs;
      await new Promise((r) => setTimeout(r, 25));
    }
    return emulator.control.piaJobs();
  };

  before(async () => {
    emulator = await startEmulator({ timeScale: 1 });
  });
  after(() => emulator.close());
  beforeEach(async () => {
    await resetForPia(emulator);
    waits = emulatedWaits();
    client = piaClient(emulator, waits);
  });

  it("429 and 503 on a GET are retried, honouring Retry-After; a reset connection too", async () => {
    const { offerId } = await newProduct();
    await emulator.control.injectFault({
      method: "GET",
      path: "/rp/product-ingestion/product",
      status: 429,
      retryAfter: 7,
    });
    await emulator.control.injectFault({
      method: "GET",
      path: "/rp/product-ingestion/product",
      status: 503,
      retryAfter: 2,
    });
    await emulator.control.injectFault({ method: "GET", path: "/rp/product-ingestion/product", reset: true });
    await emulator.control.clearRequests();
    expect((await client.findProduct(offerId))?.identity.externalId).to.equal(offerId);
    expect((await pia()).map((r) => r.status)).to.deep.equal([429, 503, 0, 200]);
    expect(waits.sleeps.slice(0, 2)).to.deep.equal([7000, 2000]);
    expect(waits.sleeps).to.have.length(3);
  });

  it("a 500 on POST configure is not retried: exactly one POST, no job", async () => {
    const { productId } = await newProduct();
    await emulator.control.injectFault({ method: "POST", path: CONFIGURE, status: 500, count: 5 });
    await emulator.control.clearRequests();
    const e = await client.configure([previewSubmission(productId)]).catch((x) => x);
    expect(e.code).to.equal("CPP_SERVICE_ERROR");
    expect(await posts()).to.have.length(1);
    expect(waits.sleeps).to.deep.equal([]);
    expect(await emulator.control.piaJobs()).to.deep.equal([]);
  });

  it("a lost configure answer: a timeout whose fix is to read before sending again; one job, one POST", async () => {
    const { productId } = await newProduct();
    const quick = piaClient(emulator, waits, { timeoutInMs: 300 });
    await emulator.control.injectFault({ method: "POST", path: CONFIGURE, delayMs: 1500 });
    await emulator.control.clearRequests();
    const e = await quick.configure([previewSubmission(productId)]).catch((x) => x);
    expect(e.code).to.equal("CPP_TIMEOUT");
    expect(e.fix)
      .to.match(/is not sent again/)
      .and.match(new RegExp(`GET submission/${productId.slice("product/".length)}\\)`))
      .and.match(/send it again only if it was not/)
      .and.not.match(/resumed/);
    expect(e.message).to.contain(e.fix);
    // The emulator processes the request after the client gave up.
    const jobs = await jobsOnceSettled(1);
    expect(jobs).to.have.length(1);
    expect(jobs[0].resources).to.deep.equal(["submission"]);
    expect(await posts()).to.have.length(1);
    // Reconciling by reading, once the job had time to run: the submission is there, running.
    await emulator.control.clock({ advanceMs: 60_000 });
    const subs = await client.listSubmissions(productId, { target: "preview" });
    expect(subs.map((s) => s.status)).to.deep.equal(["running"]);
    expect(await posts()).to.have.length(1);
  });

  it("a reset connection on POST configure or cancel is not retried either; the fixes say what to read", async () => {
    const { productId } = await newProduct();
    const tree = await client.getResourceTree(productId);
    const plan = tree.resources.find((r) => String(r.id).startsWith("plan/"))!;
    await emulator.control.injectFault({ method: "POST", path: CONFIGURE, reset: true });
    await emulator.control.clearRequests();
    const e = await client.configure([{ ...plan, alias: "x" }]).catch((x) => x);
    expect(e.code).to.equal("CPP_NETWORK_ERROR");
    expect(e.fix).to.contain(
      `read the resources it writes (GET resource-tree/${productId}, or each by its durable id)`,
    );
    expect(await posts()).to.have.length(1);
    const job = await client.configure([previewSubmission(productId)]);
    await emulator.control.injectFault({ method: "POST", path: `/configure/${job.jobId}/cancel`, reset: true });
    await emulator.control.clearRequests();
    const c = await client.cancelJob(job.jobId).catch((x) => x);
    expect(c.code).to.equal("CPP_NETWORK_ERROR");
    expect(c.fix).to.match(new RegExp(`GET configure/${job.jobId}/status\\) before cancelling again`));
    expect(await posts()).to.have.length(1);
  });

  it("5xx and 429 from the status endpoint, after the transport's retries, are polled through", async () => {
    const { productId } = await newProduct();
    const job = await client.configure([previewSubmission(productId)]);
    // Five 503s: the first poll and its four retries; then two 429s of the next poll.
    await emulator.control.injectFault({
      method: "GET",
      path: `/configure/${job.jobId}/status`,
      status: 503,
      count: 5,
    });
    await emulator.control.injectFault({
      method: "GET",
      path: `/configure/${job.jobId}/status`,
      status: 429,
      count: 2,
    });
    await emulator.control.clearRequests();
    const done = await client.waitForJob(job.jobId);
    expect(done.jobResult).to.equal("succeeded");
    const statuses = (await pia()).filter((r) => r.path.endsWith("/status")).map((r) => r.status);
    expect(statuses.slice(0, 8)).to.deep.equal([503, 503, 503, 503, 503, 429, 429, 200]);
  });

  it("a failed certification: CPP_OPERATION_REJECTED with the inner invalidState kept", async () => {
    const { offerId, productId } = await newProduct();
    await emulator.control.forceOutcome(PIA_PUB, offerId, { outcome: "fail", message: "Image not found" });
    const e = await client.configureAndWait([previewSubmission(productId)]).catch((x) => x);
    expect(e.code).to.equal("CPP_OPERATION_REJECTED");
    expect(e.innerCodes).to.deep.equal(["invalidState"]);
    expect(e.serviceErrors[0]).to.include({ code: "internalServerError", message: "Operation failed" });
    expect(e.serviceErrors[0].resourceId).to.match(/^submission\//);
    expect(e.message)
      .to.match(
        /resource submission\/[0-9a-f-]+\/\d+: internalServerError: Operation failed \(invalidState: Issues found during Certification/,
      )
      .and.match(/Fix: address each issue/);
  });

  it("a job failing a business rule: CPP_OPERATION_FAILED naming the inner code and a fix", async () => {
    const { productId } = await newProduct();
    const first = await client.configure([previewSubmission(productId)]);
    // A second publish while the first runs fails inside its job (§P5.4).
    const e = await client.configureAndWait([previewSubmission(productId)]).catch((x) => x);
    expect(e.code).to.equal("CPP_OPERATION_FAILED");
    expect(e.innerCodes).to.deep.equal(["invalidState"]);
    expect(e.message).to.match(/internalServerError: An In Progress submission \d+ already exists/);
    expect(e.fix).to.match(/another submission of this product is in progress/);
    expect((await client.waitForJob(first.jobId)).jobResult).to.equal("succeeded");
    // A reference to a plan that does not exist.
    const missing = await client
      .configureAndWait([
        {
          $schema: schemaUrl("plan-listing"),
          product: productId,
          plan: { externalId: "no-such-plan" },
          kind: "azureVM-plan",
          languageId: "en-us",
          name: "x",
        },
      ])
      .catch((x) => x);
    expect(missing.code).to.equal("CPP_OPERATION_FAILED");
    expect(missing.innerCodes).to.deep.equal(["resourceNotFound"]);
    expect(missing.message).to.match(/notFound: .*no-such-plan/);
  });

  it("a cancelled job: CPP_OPERATION_CANCELED", async () => {
    const { offerId, productId } = await newProduct();
    await emulator.control.forceOutcome(PIA_PUB, offerId, { outcome: "cancel" });
    const e = await client.configureAndWait([previewSubmission(productId)]).catch((x) => x);
    expect(e.code).to.equal("CPP_OPERATION_CANCELED");
    expect(e.jobId).to.be.a("string");
    expect(e.fix).to.match(/read the product/);
  });

  describe("from a review: answers that must not invite a second configure", () => {
    const listingOf = async (productId: string) => {
      const tree = await client.getResourceTree(productId);
      return tree.resources.find((r) => String(r.id).startsWith("listing/"))!;
    };

    it("a reset connection on configure: neither the bearer token nor the body's SAS signature is reachable from the error (its cause included)", async () => {
      const { productId } = await newProduct();
      const token = await createPiaTokenProvider({
        tenantId: emulator.tenantId,
        clientId: emulator.clientId,
        clientSecret: emulator.clientSecret,
        authority: emulator.authorityUrl,
      }).getToken();
      await emulator.control.injectFault({ method: "POST", path: CONFIGURE, reset: true });
      const tc = (await client.getResourceTree(productId)).resources.find((r) =>
        String(r.id).startsWith("virtual-machine-plan-technical-configuration/"),
      )!;
      const e = await client.configure([tc]).catch((x) => x);
      expect(e.code).to.equal("CPP_NETWORK_ERROR");
      const everything = inspect(e, { depth: 20, showHidden: true });
      expect(everything).to.not.include(token);
      expect(everything).to.not.include("planted-sas-signature");
      expect(e.fix).to.match(/not sent again/);
    });

    it("a 502 or an answer without a job id on configure: the fix says to read first, and the error is not retryable", async () => {
      const { productId } = await newProduct();
      const listing = await listingOf(productId);
      await emulator.control.injectFault({ method: "POST", path: CONFIGURE, status: 502 });
      const gateway = await client.configure([{ ...listing, title: "x" }]).catch((x) => x);
      expect(gateway.code).to.equal("CPP_SERVICE_ERROR");
      expect(gateway.retryable).to.equal(false);
      expect(gateway.fix).to.match(/read the resources it writes/);
      await emulator.control.injectFault({ method: "POST", path: CONFIGURE, status: 202, body: {} });
      const empty = await client.configure([{ ...listing, title: "y" }]).catch((x) => x);
      expect(empty.code).to.equal("CPP_INVALID_RESPONSE");
      expect(empty.retryable).to.equal(false);
      expect(empty.message).to.match(/without a job id.*Fix: .*not sent again/);
      expect(await posts()).to.have.length(2);
    });

    it("a poll refused with 403 ends the wait naming the job to wait for; a completed job with an unknown result ends it too", async () => {
      const { productId } = await newProduct();
      const listing = await listingOf(productId);
      const job = await client.configure([{ ...listing, title: "z" }]);
      await emulator.control.injectFault({ method: "GET", path: `/configure/${job.jobId}/status`, status: 403 });
      const refused = await client.waitForJob(job.jobId, { kind: "draft" }).catch((x) => x);
      expect(refused.code).to.equal("CPP_FORBIDDEN");
      expect(refused.jobId).to.equal(job.jobId);
      expect(refused.fix).to.match(new RegExp(`wait for the same job again \\(job id ${job.jobId}\\)`));
      await emulator.control.injectFault({
        method: "GET",
        path: `/configure/${job.jobId}/status`,
        status: 200,
        body: { jobId: job.jobId, jobStatus: "completed", jobResult: "partiallySucceeded", errors: [] },
      });
      const odd = await client.waitForJob(job.jobId, { kind: "draft" }).catch((x) => x);
      expect(odd.code).to.equal("CPP_INVALID_RESPONSE");
      expect(odd.message).to.match(/partiallySucceeded/);
      expect((await posts()).length, "never a second configure").to.equal(1);
    });

    it("a submission job's 503 poll is not retried by the transport: the next poll comes a minute later; a job id with dot segments is refused", async () => {
      const { productId } = await newProduct();
      const job = await client.configure([previewSubmission(productId)]);
      await emulator.control.injectFault({
        method: "GET",
        path: `/configure/${job.jobId}/status`,
        status: 503,
        count: 3,
      });
      waits.sleeps = [];
      await client.waitForJob(job.jobId, { deadline: waits.now + 3 * 60_000 }).catch(() => undefined);
      const polls = waits.sleeps.filter((ms) => ms > 0);
      expect(
        polls.every((ms) => ms >= 60_000),
        JSON.stringify(polls),
      ).to.equal(true);
      const bad = await client.waitForJob("..").catch((x) => x);
      expect(bad.code).to.equal("CPP_INVALID_ID");
    });
  });
});
