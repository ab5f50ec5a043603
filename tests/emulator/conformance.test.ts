// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { createPublicKey, verify } from "node:crypto";
import { join } from "node:path";
import { startEmulator } from "../../emulator/index.js";
import { CLI_CONTRACT_KEYS, killCli, startCli, stopCli } from "../helpers/emulator-cli.js";
import { sampleDefinition } from "../helpers/offers.js";
import { scratchDir } from "../helpers/scratch.js";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
const V = "api-version=2017-10-31";
/** A response body as JSON, untyped (tests assert on its shape). */
const json = async (r: Response): Promise<any> => r.json();

/**
 * Emulator conformance: one test per documented behaviour of docs/internals/api-notes.md, named
 * after its section, over plain HTTP (fetch) — no client code from provider/ is involved.
 */
describe("emulator conformance (docs/internals/api-notes.md)", function () {
  this.timeout(30_000);
  let e: Emulator;
  let token: string;
  let n = 0;

  async function getToken(body: Record<string, string>, path = "oauth2/v2.0/token"): Promise<Response> {
    return fetch(`${e.authorityUrl}/${e.tenantId}/${path}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(body),
    });
  }
  async function call(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; headers: Headers; json: any }> {
    const sep = path.includes("?") ? "&" : "?";
    const res = await fetch(`${e.apiUrl}${path}${path.includes("api-version") ? "" : `${sep}${V}`}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
  }
  const offerDoc = (id: string, priced = true) => ({
    id,
    publisherId: "contoso",
    offerTypeId: "microsoft-azure-virtualmachines",
    definition: sampleDefinition({ pricedPlans: priced }),
  });
  const create = async (priced = true) => {
    const id = `conf-${++n}`;
    const r = await call("PUT", `/api/publishers/contoso/offers/${id}`, offerDoc(id, priced));
    expect(r.status).to.equal(201);
    return { id, etag: r.headers.get("etag")! };
  };
  const waitUntil = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 200; i++) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error("condition not reached");
  };

  before(async () => {
    e = await startEmulator({ timeScale: 100_000_000 });
    const r = await getToken({
      grant_type: "client_credentials",
      client_id: e.clientId,
      client_secret: e.clientSecret,
      scope: "https://cloudpartner.azure.com/.default",
    });
    token = (await json(r)).access_token;
  });
  after(() => e.close());

  describe("§2 authentication", () => {
    it("§2.1 v2 token endpoint issues an RS256 token for https://cloudpartner.azure.com, verifiable with the JWKS", async () => {
      const [h, p, s] = token.split(".");
      expect(JSON.parse(Buffer.from(p, "base64url").toString()).aud).to.equal("https://cloudpartner.azure.com");
      const jwks = await json(await fetch(`${e.authorityUrl}/${e.tenantId}/discovery/v2.0/keys`));
      const key = createPublicKey({ key: jwks.keys[0], format: "jwk" });
      expect(verify("sha256", Buffer.from(`${h}.${p}`), key, Buffer.from(s, "base64url"))).to.equal(true);
    });
    it("§2.1 v1 token endpoint with resource=https://cloudpartner.azure.com", async () => {
      const r = await getToken(
        {
          grant_type: "client_credentials",
          client_id: e.clientId,
          client_secret: e.clientSecret,
          resource: "https://cloudpartner.azure.com",
        },
        "oauth2/token",
      );
      expect(r.status).to.equal(200);
      expect((await json(r)).token_type).to.equal("Bearer");
    });
    it("§2.1 AAD errors: wrong secret AADSTS7000215, unknown client AADSTS700016, wrong scope", async () => {
      const bad = await getToken({
        grant_type: "client_credentials",
        client_id: e.clientId,
        client_secret: "wrong",
        scope: "https://cloudpartner.azure.com/.default",
      });
      expect((await json(bad)).error_codes).to.deep.equal([7000215]);
      const unknown = await getToken({
        grant_type: "client_credentials",
        client_id: "nobody",
        client_secret: "x",
        scope: "https://cloudpartner.azure.com/.default",
      });
      expect((await json(unknown)).error).to.equal("unauthorized_client");
      const scope = await getToken({
        grant_type: "client_credentials",
        client_id: e.clientId,
        client_secret: e.clientSecret,
        scope: "https://management.azure.com/.default",
      });
      expect((await json(scope)).error).to.equal("invalid_scope");
    });
    it("§2.1 OpenID configuration names the token endpoint and JWKS", async () => {
      const c = await json(await fetch(`${e.authorityUrl}/${e.tenantId}/v2.0/.well-known/openid-configuration`));
      expect(c.token_endpoint).to.equal(`${e.authorityUrl}/${e.tenantId}/oauth2/v2.0/token`);
      expect(c.jwks_uri).to.match(/discovery\/v2\.0\/keys$/);
    });
    it("§2.3 401 without a valid token, with the gateway-style {Message} body", async () => {
      const r = await fetch(`${e.apiUrl}/api/publishers?${V}`, { headers: { authorization: "Bearer not-a-token" } });
      expect(r.status).to.equal(401);
      expect(await json(r)).to.deep.equal({ Message: "Authorization has been denied for this request." });
    });
    it("§2.3 401 for an expired token (clock advanced past its lifetime)", async () => {
      await e.control.setModes({ tokenLifetimeSeconds: 60 });
      const r = await getToken({
        grant_type: "client_credentials",
        client_id: e.clientId,
        client_secret: e.clientSecret,
        scope: "https://cloudpartner.azure.com/.default",
      });
      const short = (await json(r)).access_token;
      await e.control.clock({ advanceMs: 120_000 });
      const res = await fetch(`${e.apiUrl}/api/publishers?${V}`, { headers: { authorization: `Bearer ${short}` } });
      expect(res.status).to.equal(401);
      await e.control.setModes({ tokenLifetimeSeconds: 3600 });
      const fresh = await getToken({
        grant_type: "client_credentials",
        client_id: e.clientId,
        client_secret: e.clientSecret,
        scope: "https://cloudpartner.azure.com/.default",
      });
      token = (await json(fresh)).access_token;
    });
    it("§2.3 403 when the principal is not registered for the publisher", async () => {
      const r = await call("GET", "/api/publishers/fabrikam/offers");
      expect(r.status).to.equal(403);
      expect(r.json.error.message).to.match(/does not have access to the specified namespace 'fabrikam'/);
    });
  });

  describe("§3 versioning and errors", () => {
    it("§3 an unknown api-version → 400 InvalidAPIVersion listing the accepted versions", async () => {
      const r = await call("GET", "/api/publishers?api-version=2016-08-01-preview");
      expect(r.status).to.equal(400);
      expect(r.json.error).to.deep.equal({
        code: "InvalidAPIVersion",
        message: "Invalid api version. Allowed values are [2017-10-31]",
      });
    });
    it("§3 every API response carries x-ms-requestid and echoes x-ms-correlationid", async () => {
      const r = await call("GET", "/api/publishers", undefined, { "x-ms-correlationid": "corr-1" });
      expect(r.headers.get("x-ms-requestid")).to.match(/^[0-9a-f-]{36}$/);
      expect(r.headers.get("x-ms-correlationid")).to.equal("corr-1");
    });
  });

  describe("§4.3 PUT and ETags", () => {
    it("§4.3 no If-Match, new offer → 201 + ETag in the service's weak datetime format", async () => {
      const { etag } = await create();
      expect(etag).to.match(/^W\/"datetime'\d{4}-\d\d-\d\dT\d\d%3A\d\d%3A\d\d\.\d{7}Z'"$/);
    });
    it("§4.3 no If-Match, existing offer → 409 InvalidResourceId (mode conflict), 400 (badRequest), 200 (allow)", async () => {
      const { id } = await create();
      expect((await call("PUT", `/api/publishers/contoso/offers/${id}`, offerDoc(id))).json.error.code).to.equal(
        "InvalidResourceId",
      );
      await e.control.setModes({ putWithoutIfMatch: "badRequest" });
      expect((await call("PUT", `/api/publishers/contoso/offers/${id}`, offerDoc(id))).status).to.equal(400);
      await e.control.setModes({ putWithoutIfMatch: "allow" });
      expect((await call("PUT", `/api/publishers/contoso/offers/${id}`, offerDoc(id))).status).to.equal(200);
      await e.control.setModes({ putWithoutIfMatch: "conflict" });
    });
    it("§4.3 If-Match: * upserts (200 update, 201 create)", async () => {
      const { id } = await create();
      expect(
        (await call("PUT", `/api/publishers/contoso/offers/${id}`, offerDoc(id), { "if-match": "*" })).status,
      ).to.equal(200);
      expect(
        (await call("PUT", "/api/publishers/contoso/offers/star-new", offerDoc("star-new"), { "if-match": "*" }))
          .status,
      ).to.equal(201);
    });
    it("§4.3 matching If-Match → 200 and a new ETag; stale → 412; on a missing offer → 412", async () => {
      const { id, etag } = await create();
      const ok = await call("PUT", `/api/publishers/contoso/offers/${id}`, offerDoc(id), { "if-match": etag });
      expect(ok.status).to.equal(200);
      expect(ok.headers.get("etag")).to.not.equal(etag);
      expect(
        (await call("PUT", `/api/publishers/contoso/offers/${id}`, offerDoc(id), { "if-match": etag })).status,
      ).to.equal(412);
      expect(
        (await call("PUT", "/api/publishers/contoso/offers/none", offerDoc("none"), { "if-match": etag })).status,
      ).to.equal(412);
    });
    it("§4.2 ETag on GET can be switched off (post-2020 service)", async () => {
      const { id, etag } = await create();
      expect((await call("GET", `/api/publishers/contoso/offers/${id}`)).headers.get("etag")).to.equal(etag);
      await e.control.setModes({ etagOnGet: false });
      expect((await call("GET", `/api/publishers/contoso/offers/${id}`)).headers.get("etag")).to.equal(null);
      await e.control.setModes({ etagOnGet: true });
    });
  });

  describe("§5 the offer document", () => {
    it("§5.1 read-only envelope keys are ignored on PUT and set by the service", async () => {
      const id = `ro-${++n}`;
      const r = await call("PUT", `/api/publishers/contoso/offers/${id}`, {
        ...offerDoc(id),
        status: "succeeded",
        version: 5,
        eTag: "x",
      });
      expect(r.json).to.include({ status: "neverPublished", version: 1, pcMigrationStatus: "none" });
      expect(r.json.changedTime).to.match(/\.\d{7}Z$/);
    });
    it("§5.6 core-VM legacyOfferId/legacyPublisherId are refused on PUT", async () => {
      const doc = offerDoc("legacy") as any;
      doc.definition.offer["microsoft-azure-corevm.legacyOfferId"] = "x";
      const r = await call("PUT", "/api/publishers/contoso/offers/legacy", doc);
      expect(r.status).to.equal(400);
      expect(r.json.error.message).to.match(/legacyOfferId/);
    });
    it("§5.1 id and publisherId must match the URL; offerTypeId cannot change", async () => {
      expect((await call("PUT", "/api/publishers/contoso/offers/a", offerDoc("b"))).status).to.equal(400);
      const { id } = await create();
      expect(
        (
          await call(
            "PUT",
            `/api/publishers/contoso/offers/${id}`,
            { ...offerDoc(id), offerTypeId: "microsoft-azure-corevm" },
            { "if-match": "*" },
          )
        ).status,
      ).to.equal(400);
    });
    it("§5.2 secret fields are never returned; a PUT that omits them keeps them", async () => {
      const id = `secret-${++n}`;
      const doc = offerDoc(id) as any;
      doc.definition.offer["microsoft-azure-marketplace.tableLeadConfiguration"] = {
        storageAccountConnectionString: "planted-connection",
      };
      await call("PUT", `/api/publishers/contoso/offers/${id}`, doc);
      const got = await call("GET", `/api/publishers/contoso/offers/${id}`);
      expect(JSON.stringify(got.json)).to.not.contain("planted-connection");
      await call("PUT", `/api/publishers/contoso/offers/${id}`, got.json, { "if-match": "*" });
      expect(JSON.stringify((await e.control.offer("contoso", id)).draft)).to.contain("planted-connection");
    });
    it("§5.2 the service fills empty lead-configuration objects", async () => {
      const { id } = await create();
      expect(
        (await call("GET", `/api/publishers/contoso/offers/${id}`)).json.definition.offer[
          "microsoft-azure-marketplace.crmLeadConfiguration"
        ],
      ).to.deep.equal({});
    });
    it("§6.4 regionPrices are returned only with includeAllPricing=true", async () => {
      const id = `region-${++n}`;
      const doc = offerDoc(id) as any;
      doc.definition.plans[1].virtualMachinePricing = {
        isByol: false,
        regionPrices: { US: { currency: "USD", single: 1 } },
      };
      await call("PUT", `/api/publishers/contoso/offers/${id}`, doc);
      expect(
        (await call("GET", `/api/publishers/contoso/offers/${id}`)).json.definition.plans[1].virtualMachinePricing
          .regionPrices,
      ).to.equal(undefined);
      expect(
        (await call("GET", `/api/publishers/contoso/offers/${id}?includeAllPricing=true&${V}`)).json.definition.plans[1]
          .virtualMachinePricing.regionPrices.US.single,
      ).to.equal(1);
    });
  });

  describe("§8 endpoints and §9 operations", () => {
    it("§8 E1 lists only publishers the principal may use; E2 offer types; E3 summaries", async () => {
      expect((await call("GET", "/api/publishers")).json.map((p: any) => p.id)).to.deep.equal(["contoso"]);
      expect((await call("GET", "/api/offerTypes")).json.map((t: any) => t.id)).to.include("microsoft-azure-corevm");
      const { id } = await create();
      const item = (await call("GET", "/api/publishers/contoso/offers")).json.find((o: any) => o.id === id);
      expect(Object.keys(item).sort()).to.deep.equal([
        "changedTime",
        "definition",
        "id",
        "offerTypeId",
        "publisherId",
        "status",
        "version",
      ]);
    });
    it("§8 E4–E6 404 for an unknown offer, and for Preview/Production before they exist (slots case-insensitive)", async () => {
      expect((await call("GET", "/api/publishers/contoso/offers/nope")).status).to.equal(404);
      const { id } = await create();
      expect((await call("GET", `/api/publishers/contoso/offers/${id}/slot/preview`)).status).to.equal(404);
      expect((await call("GET", `/api/publishers/contoso/offers/${id}/slot/Draft`)).status).to.equal(200);
    });
    it("§8 E9 publish → 202 + legacy Location; a second publish while running returns the same operation (idempotent)", async () => {
      await e.control.clock({ timeScale: 1 });
      const { id } = await create();
      const a = await call("POST", `/api/publishers/contoso/offers/${id}/publish`, {
        metadata: { "notification-emails": "a@b.example" },
      });
      expect(a.status).to.equal(202);
      expect(a.headers.get("location")).to.equal(`/api/operations/contoso$${id}$2$preview?${V}`);
      const b = await call("POST", `/api/publishers/contoso/offers/${id}/publish`);
      expect(b.headers.get("location")).to.equal(a.headers.get("location"));
      expect((await call("GET", `/api/publishers/contoso/offers/${id}/submissions/`)).json).to.have.length(1);
      await e.control.clock({ timeScale: 100_000_000 });
    });
    it("§8 E9 an offer failing validation → 422 with details", async () => {
      const { id } = await create(false);
      const r = await call("POST", `/api/publishers/contoso/offers/${id}/publish`);
      expect(r.status).to.equal(422);
      expect(r.json.error.details.map((d: any) => d.message).join(" ")).to.match(/has no pricing/);
    });
    it("§9.4 state machine: steps progress to sign-off, Preview appears, go-live makes Production and bumps the version", async () => {
      const { id } = await create();
      expect((await call("POST", `/api/publishers/contoso/offers/${id}/golive`)).status).to.equal(400);
      const loc = (await call("POST", `/api/publishers/contoso/offers/${id}/publish`)).headers.get("location")!;
      await waitUntil(async () => (await call("GET", loc)).json.status === "complete");
      const op = (await call("GET", loc)).json;
      expect(op.steps.map((s: any) => s.id)).to.deep.equal([
        "displaydummycertify",
        "displaycertify",
        "displayprovision",
        "displaypackage",
        "publisher-signoff",
        "live",
      ]);
      expect(op.steps.find((s: any) => s.id === "publisher-signoff").status).to.equal("waitingForPublisherReview");
      expect((await call("GET", `/api/publishers/contoso/offers/${id}/status`)).json.status).to.equal(
        "waitingForPublisherReview",
      );
      expect((await call("GET", `/api/publishers/contoso/offers/${id}/slot/Preview`)).status).to.equal(200);
      const live = (await call("POST", `/api/publishers/contoso/offers/${id}/golive`)).headers.get("location")!;
      expect(live).to.match(/\$production\?/);
      await waitUntil(async () => (await call("GET", live)).json.status === "complete");
      expect((await call("GET", `/api/publishers/contoso/offers/${id}/slot/Production`)).json.version).to.equal(1);
      expect((await call("GET", `/api/publishers/contoso/offers/${id}/versions/1`)).status).to.equal(200);
      expect((await call("GET", `/api/publishers/contoso/offers/${id}`)).json).to.include({
        version: 2,
        status: "succeeded",
      });
    });
    it("§8 E11 cancel: 202 + the canceled operation's Location; the running operation and the offer are canceled", async () => {
      await e.control.clock({ timeScale: 1 });
      try {
        const { id } = await create();
        const loc = (await call("POST", `/api/publishers/contoso/offers/${id}/publish`)).headers.get("location")!;
        const c = await call("POST", `/api/publishers/contoso/offers/${id}/cancel`);
        expect(c.status).to.equal(202);
        expect(c.headers.get("location")).to.equal(loc);
        expect((await call("GET", loc)).json.status).to.equal("canceled");
        expect((await call("GET", `/api/publishers/contoso/offers/${id}`)).json.status).to.equal("canceled");
      } finally {
        await e.control.clock({ timeScale: 100_000_000 });
      }
    });
    it("§8 E12 submissions newest first with status= and submissionState= filters (§7.5 fields)", async () => {
      const { id } = await create();
      const loc = (await call("POST", `/api/publishers/contoso/offers/${id}/publish`)).headers.get("location")!;
      await waitUntil(async () => (await call("GET", loc)).json.status === "complete");
      await call("POST", `/api/publishers/contoso/offers/${id}/golive`);
      const all = (await call("GET", `/api/publishers/contoso/offers/${id}/submissions/`)).json;
      expect(all.map((o: any) => o.submissionType)).to.deep.equal(["goLive", "publish"]);
      expect(all[1]).to.include({ slot: "staging", submissionState: "succeeded", offerId: id });
      expect(all[1].version).to.be.greaterThan(6e17);
      expect(
        (await call("GET", `/api/publishers/contoso/offers/${id}/submissions/?status=canceled&${V}`)).json,
      ).to.deep.equal([]);
      expect(
        (await call("GET", `/api/publishers/contoso/offers/${id}/submissions/?submissionState=succeeded&${V}`)).json,
      ).to.have.length.greaterThan(0);
    });
    it("§9.1 migrated offers get the GUID Location; E13 answers with and without a trailing slash", async () => {
      await e.control.seed({ offers: [{ publisherId: "contoso", offer: offerDoc("mig"), migrated: true }] });
      const loc = (await call("POST", "/api/publishers/contoso/offers/mig/publish")).headers.get("location")!;
      expect(loc).to.match(
        /^\/api\/publishers\/contoso\/offers\/mig\/operations\/[0-9a-f-]{36}\?api-version=2017-10-31$/,
      );
      const slash = loc.replace("?", "/?");
      expect((await call("GET", slash)).status).to.equal(200);
      expect((await call("GET", loc)).json).to.not.have.property("notificationEmails");
    });
    it("§9.1 modes: Operation-Location, absolute, without api-version", async () => {
      await e.control.setModes({
        locationHeader: "Operation-Location",
        absoluteLocation: true,
        locationApiVersion: false,
      });
      const { id } = await create();
      const r = await call("POST", `/api/publishers/contoso/offers/${id}/publish`);
      expect(r.headers.get("location")).to.equal(null);
      expect(r.headers.get("operation-location")).to.equal(`${e.apiUrl}/api/operations/contoso$${id}$2$preview`);
      await e.control.setModes({ locationHeader: "Location", absoluteLocation: false, locationApiVersion: true });
    });
  });

  describe("control API", () => {
    it("faults: status with Retry-After, count, then normal answers", async () => {
      await e.control.injectFault({ method: "GET", path: "/api/publishers", status: 429, retryAfter: 3, count: 2 });
      const a = await call("GET", "/api/publishers");
      expect([a.status, a.headers.get("retry-after")]).to.deep.equal([429, "3"]);
      expect((await call("GET", "/api/publishers")).status).to.equal(429);
      expect((await call("GET", "/api/publishers")).status).to.equal(200);
    });
    it("forced outcome: a rejected step fails the operation with an error message", async () => {
      const { id } = await create();
      await e.control.forceOutcome("contoso", id, {
        outcome: "reject",
        step: "displaycertify",
        message: "Image not found",
      });
      const loc = (await call("POST", `/api/publishers/contoso/offers/${id}/publish`)).headers.get("location")!;
      await waitUntil(async () => (await call("GET", loc)).json.status === "failed");
      const cert = (await call("GET", loc)).json.steps.find((s: any) => s.id === "displaycertify");
      expect(cert.status).to.equal("rejected");
      expect(cert.messages[0]).to.include({ level: "error", messageHtml: "Image not found" });
    });
    it("out-of-band edit changes the ETag; the request log records method, path, status and If-Match", async () => {
      const { id, etag } = await create();
      await e.control.clearRequests();
      const edit = await e.control.editOffer("contoso", id, { definition: { displayText: "Portal" } });
      expect(edit.etag).to.not.equal(etag);
      await call("PUT", `/api/publishers/contoso/offers/${id}`, offerDoc(id), { "if-match": etag });
      const log = await e.control.requests();
      expect(log.map((r) => [r.method, r.status, r.ifMatch])).to.deep.equal([["PUT", 412, etag]]);
    });
    it("invalid modes are refused", async () => {
      const r = await fetch(`${e.controlUrl}/modes`, {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ putWithoutIfMatch: "maybe" }),
      });
      expect(r.status).to.equal(400);
    });
  });

  describe("CLI and persistence", () => {
    it("CLI contract: first stdout line is the JSON of the contract; serves; exits on SIGTERM", async () => {
      const { child, info } = await startCli(["--port", "0", "--time-scale", "1000"]);
      try {
        expect(Object.keys(info).sort()).to.deep.equal(CLI_CONTRACT_KEYS);
        const t = await fetch(`${info.authorityUrl}/${info.tenantId}/oauth2/v2.0/token`, {
          method: "POST",
          body: new URLSearchParams({
            grant_type: "client_credentials",
            client_id: info.clientId,
            client_secret: info.clientSecret,
            scope: "https://cloudpartner.azure.com/.default",
          }),
        });
        const access = (await json(t)).access_token;
        const pubs = await fetch(`${info.apiUrl}/api/publishers?${V}`, {
          headers: { authorization: `Bearer ${access}` },
        });
        expect((await json(pubs)).map((p: any) => p.id)).to.deep.equal([info.publisherId]);
        expect(await stopCli(child)).to.equal(0);
      } finally {
        killCli(child);
      }
    });
    it("state file: an operation in progress keeps progressing after a restart; tokens survive it", async () => {
      const file = join(scratchDir("emulator"), "state.json");
      const first = await startEmulator({ stateFile: file, timeScale: 1 });
      const t = await fetch(`${first.authorityUrl}/${first.tenantId}/oauth2/v2.0/token`, {
        method: "POST",
        body: new URLSearchParams({
          grant_type: "client_credentials",
          client_id: first.clientId,
          client_secret: first.clientSecret,
          scope: "https://cloudpartner.azure.com/.default",
        }),
      });
      const access = (await json(t)).access_token;
      const h = { authorization: `Bearer ${access}`, "content-type": "application/json" };
      await fetch(`${first.apiUrl}/api/publishers/contoso/offers/persisted?${V}`, {
        method: "PUT",
        headers: h,
        body: JSON.stringify(offerDoc("persisted")),
      });
      const loc = (
        await fetch(`${first.apiUrl}/api/publishers/contoso/offers/persisted/publish?${V}`, {
          method: "POST",
          headers: h,
        })
      ).headers.get("location")!;
      await first.close();
      const second = await startEmulator({ stateFile: file, timeScale: 1 });
      expect((await fetch(`${second.apiUrl}/api/publishers?${V}`, { headers: h })).status).to.equal(200);
      await second.control.clock({ advanceMs: 8 * 86_400_000 });
      // The jump also ages tokens; the signing key persisted, so a new token from the restarted
      // emulator works, and so would the old one had less time passed.
      const t2 = await fetch(`${second.authorityUrl}/${second.tenantId}/oauth2/v2.0/token`, {
        method: "POST",
        body: new URLSearchParams({
          grant_type: "client_credentials",
          client_id: second.clientId,
          client_secret: second.clientSecret,
          scope: "https://cloudpartner.azure.com/.default",
        }),
      });
      expect(second.clientSecret).to.equal(first.clientSecret);
      const op = await json(
        await fetch(`${second.apiUrl}${loc}`, {
          headers: { authorization: `Bearer ${(await json(t2)).access_token}` },
        }),
      );
      expect(op.status).to.equal("complete");
      await second.close();
    });
  });
});
