// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { startEmulator } from "../../emulator/index.js";
import { CloudPartnerClient, type CloudPartnerClientOptions } from "../../provider/client/index.js";
import { sampleDefinition } from "../helpers/offers.js";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
const PUB = "contoso";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
// Read here on its own, so a wrong version in the client's User-Agent is caught.
const VERSION = (
  JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "package.json"), "utf8")) as { version: string }
).version;

/** One answer of the capture server: status, headers and a JSON body. */
type Answer = { status: number; headers?: Record<string, string>; body?: unknown };

/**
 * A tiny HTTP server that records each request's headers and plays back scripted answers
 * (then 200 `[]`): what a client sends, seen from the other end of the wire.
 */
async function captureServer(answers: Answer[]): Promise<{ url: string; seen: IncomingHttpHeaders[]; server: Server }> {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    req.resume();
    req.on("end", () => {
      const a = answers.shift() ?? { status: 200, body: [] };
      res.writeHead(a.status, { "content-type": "application/json", ...a.headers });
      res.end(JSON.stringify(a.body ?? {}));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

/** Support information, as Azure SDKs give it: request ids, User-Agent, retry-after-ms. */
describe("client: request ids, User-Agent and retry-after-ms", function () {
  this.timeout(60_000);
  let emulator: Emulator;
  let sleeps: number[];
  let n = 0;
  const make = (over: Partial<CloudPartnerClientOptions> = {}) =>
    new CloudPartnerClient({
      credential: {
        tenantId: emulator.tenantId,
        clientId: emulator.clientId,
        clientSecret: emulator.clientSecret,
        authority: emulator.authorityUrl,
      },
      endpoint: emulator.apiUrl,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      ...over,
    });
  const stub = (url: string) =>
    new CloudPartnerClient({
      credential: { getToken: async () => "stub-token" },
      endpoint: url,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
  const newOffer = async (client: CloudPartnerClient) => {
    const offerId = `support-${++n}`;
    const doc = {
      id: offerId,
      publisherId: PUB,
      offerTypeId: "microsoft-azure-virtualmachines",
      definition: sampleDefinition({ pricedPlans: true }),
    } as any;
    await client.putOffer(PUB, offerId, doc, { concurrency: { mode: "createOnly" } });
    return offerId;
  };

  before(async () => {
    emulator = await startEmulator({ timeScale: 10_000_000 });
  });
  after(() => emulator.close());
  beforeEach(async () => {
    await emulator.control.reset();
    sleeps = [];
  });

  it("every request carries a fresh x-ms-client-request-id and the versioned User-Agent", async () => {
    const { url, seen, server } = await captureServer([{ status: 503, headers: { "retry-after-ms": "3" } }]);
    try {
      const client = stub(url);
      await client.listPublishers();
      await client.listOfferTypes();
      expect(seen).to.have.length(3);
      const ids = seen.map((h) => h["x-ms-client-request-id"]);
      for (const id of ids) expect(id).to.match(UUID);
      // The retry of one call keeps its id (the service's logs group the attempts); a new call gets a new one.
      expect(ids[1]).to.equal(ids[0]);
      expect(ids[2]).to.not.equal(ids[0]);
      const platform = `${process.platform}-${process.arch}`;
      for (const h of seen)
        expect(h["user-agent"]).to.equal(`pulumi-cloudpartner/${VERSION} (node/${process.versions.node}; ${platform})`);
      const prefixed = new CloudPartnerClient({
        credential: { getToken: async () => "t" },
        endpoint: url,
        userAgentPrefix: "my-pipeline/2",
      });
      await prefixed.listPublishers();
      expect(seen[3]["user-agent"]).to.equal(
        `my-pipeline/2 pulumi-cloudpartner/${VERSION} (node/${process.versions.node}; ${platform})`,
      );
    } finally {
      server.close();
    }
  });

  it("error messages quote the client request id sent and the service's request and correlation ids", async () => {
    const { url, seen, server } = await captureServer([
      {
        status: 400,
        headers: { "x-ms-requestid": "svc-request-17", "x-ms-correlationid": "svc-correlation-42" },
        body: { error: { code: "BadArgument", message: "Nope." } },
      },
    ]);
    try {
      const e = await stub(url)
        .listPublishers()
        .catch((x) => x);
      expect(e.code).to.equal("CPP_BAD_REQUEST");
      const sent = seen[0]["x-ms-client-request-id"];
      expect(e.clientRequestId).to.equal(sent);
      expect(e.requestId).to.equal("svc-request-17");
      expect(e.correlationId).to.equal("svc-correlation-42");
      expect(e.message).to.contain(
        `[for a support request quote: client request id ${sent}, request id svc-request-17, correlation id svc-correlation-42]`,
      );
    } finally {
      server.close();
    }
    // Against the emulator: a real 404 quotes the service's own ids.
    const e404 = await make()
      .getOffer(PUB, "missing")
      .catch((x) => x);
    expect(e404.code).to.equal("CPP_NOT_FOUND");
    expect(e404.requestId).to.match(UUID);
    expect(e404.message)
      .to.contain(`client request id ${e404.clientRequestId}`)
      .and.contain(`request id ${e404.requestId}`);
    // No answer at all: the client request id still identifies the attempt.
    const closed = await captureServer([]);
    closed.server.close();
    const net = await stub(closed.url)
      .listPublishers()
      .catch((x) => x);
    expect(net.code).to.equal("CPP_NETWORK_ERROR");
    expect(net.message).to.match(/client request id [0-9a-f-]{36}\]$/);
  });

  it("retry-after-ms and x-ms-retry-after-ms are honoured, before Retry-After", async () => {
    const client = make();
    const offerId = await newOffer(client);
    const path = `/offers/${offerId}`;
    await emulator.control.injectFault({ method: "GET", path, status: 503, headers: { "retry-after-ms": "1500" } });
    await emulator.control.injectFault({
      method: "GET",
      path,
      status: 429,
      headers: { "x-ms-retry-after-ms": "2500" },
    });
    // All three: the millisecond headers win, retry-after-ms first (as Azure SDKs read them).
    await emulator.control.injectFault({
      method: "GET",
      path,
      status: 429,
      retryAfter: 9,
      headers: { "retry-after-ms": "300", "x-ms-retry-after-ms": "700" },
    });
    await emulator.control.injectFault({
      method: "GET",
      path,
      status: 429,
      retryAfter: 9,
      headers: { "x-ms-retry-after-ms": "700" },
    });
    // An unparseable millisecond value falls through to Retry-After.
    await emulator.control.injectFault({
      method: "GET",
      path,
      status: 503,
      retryAfter: 4,
      headers: { "retry-after-ms": "soon" },
    });
    const got = await make({ retry: { maxRetries: 6 } }).getOffer(PUB, offerId);
    expect(got.value.id).to.equal(offerId);
    expect(sleeps).to.deep.equal([1500, 2500, 300, 700, 4000]);
    const gets = (await emulator.control.requests()).filter(
      (r) => r.kind === "api" && r.method === "GET" && r.path.endsWith(path),
    );
    expect(gets.map((r) => r.status)).to.deep.equal([503, 429, 429, 429, 503, 200]);
  });

  it("a millisecond wait beyond the cap fails fast and names the header", async () => {
    const client = make();
    const offerId = await newOffer(client);
    await emulator.control.injectFault({
      method: "GET",
      path: `/offers/${offerId}`,
      status: 429,
      headers: { "x-ms-retry-after-ms": "3600000" },
    });
    const e = await client.getOffer(PUB, offerId).catch((x) => x);
    expect(e.code).to.equal("CPP_THROTTLED");
    expect(e.message).to.match(/asked to wait 3600 s \(x-ms-retry-after-ms\), longer than the 60 s allowed/);
    expect(sleeps).to.deep.equal([]);
  });

  it("the poller honours retry-after-ms on an operation answer", async () => {
    const client = make();
    const offerId = await newOffer(client);
    const { operationUrl } = await client.beginPublish(PUB, offerId);
    const running = {
      id: "op",
      status: "running",
      steps: [{ id: "validation", stepName: "Validation", status: "inProgress" }],
    };
    await emulator.control.injectFault({
      method: "GET",
      path: "/operations/",
      status: 200,
      body: running,
      headers: { "retry-after-ms": "4321" },
    });
    const op = await client.pollOperation(operationUrl, {
      until: "signoff",
      minIntervalInMs: 10,
      maxIntervalInMs: 10_000,
    });
    expect(op.status).to.not.equal("running");
    expect(sleeps[0]).to.equal(4321);
  });
});
