// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import fc from "fast-check";
import { connect } from "node:net";
import { MAX_BODY_BYTES, startEmulator } from "../../emulator/index.js";
import { sampleDefinition } from "../helpers/offers.js";
import { rawRequest, type RawResponse } from "../helpers/raw-http.js";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
const V = "api-version=2017-10-31";

/**
 * A server that never dies of a request (issue 12, docs/internals/api-notes.md §3, §5.1, §5.3): each bad
 * path, header, query, body or token gets a 4xx in the service's error shape and the next request
 * is served; bodies over the documented limit get 413; offer ids, plan ids and document shapes are
 * validated. Then a fast-check property over all of it, against the API and the control API.
 */
describe("emulator robustness: a server that never dies of a request (docs/internals/api-notes.md §3)", function () {
  this.timeout(120_000);
  let e: Emulator;
  let token: string;
  /** A Microsoft Graph token, for the Product Ingestion API routes. */
  let graphToken: string;
  const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();

  const api = (r: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer }) =>
    rawRequest(e.apiUrl, {
      ...r,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...r.headers },
    });
  const offerDoc = (id: string, definition: unknown = sampleDefinition({ pricedPlans: true })) => ({
    id,
    offerTypeId: "microsoft-azure-virtualmachines",
    definition,
  });
  /** The service's error envelope (§3): {error:{code,message}}. */
  const expectServiceError = (r: RawResponse, status: number) => {
    expect(r.status, r.body).to.equal(status);
    const body = JSON.parse(r.body);
    expect(body.error.code).to.be.a("string");
    expect(body.error.message).to.be.a("string");
  };
  const alive = async () => {
    const r = await api({ path: `/api/publishers?${V}` });
    expect(r.status, "the next request is served").to.equal(200);
  };
  /** What the service holds for the principal's publisher: ids, ETag-relevant times, versions. */
  const stored = async () => {
    const r = await api({ path: `/api/publishers/contoso/offers?${V}` });
    return (JSON.parse(r.body) as Array<{ id: string; changedTime: string; version: number; status: string }>)
      .map((o) => `${o.id}@${o.changedTime}#${o.version}:${o.status}`)
      .sort();
  };
  /**
   * What is stored once no operation is running. An operation that an earlier, successful
   * request started moves its offer's status on the emulator's clock (a few milliseconds here),
   * with no request at all, so a snapshot taken while it runs could differ from the next one.
   */
  const settled = async () => {
    const deadline = Date.now() + 2_000;
    let now = await stored();
    while (now.some((o) => o.endsWith(":running")) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
      now = await stored();
    }
    return now;
  };

  before(async () => {
    e = await startEmulator({ timeScale: 100_000_000 });
    const r = await fetch(`${e.authorityUrl}/${e.tenantId}/oauth2/v2.0/token`, {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: e.clientId,
        client_secret: e.clientSecret,
        scope: "https://cloudpartner.azure.com/.default",
      }),
    });
    token = ((await r.json()) as { access_token: string }).access_token;
    const g = await fetch(`${e.authorityUrl}/${e.tenantId}/oauth2/v2.0/token`, {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: e.clientId,
        client_secret: e.clientSecret,
        scope: "https://graph.microsoft.com/.default",
      }),
    });
    graphToken = ((await g.json()) as { access_token: string }).access_token;
    expect(
      (
        await api({
          method: "PUT",
          path: `/api/publishers/contoso/offers/base?${V}`,
          body: JSON.stringify(offerDoc("base")),
        })
      ).status,
    ).to.equal(201);
  });
  after(() => e.close());
  afterEach(() =>
    expect(Object.getOwnPropertyNames(Object.prototype).sort(), "Object.prototype untouched").to.deep.equal(
      prototypeKeys,
    ),
  );

  it("§3 a malformed percent-encoding (/api/publishers/contoso/offers/%E0%A4%A) → 400 in the service's error shape; the next request is served", async () => {
    expectServiceError(await api({ path: `/api/publishers/contoso/offers/%E0%A4%A?${V}` }), 400);
    await alive();
    expectServiceError(
      await api({ method: "PUT", path: `/api/publishers/contoso/offers/%E0%A4%A?${V}`, body: "{}" }),
      400,
    );
    const control = await rawRequest(e.apiUrl, { path: "/_emulator/offers/contoso/%E0%A4%A" });
    expect(control.status).to.equal(400);
    expect(JSON.parse(control.body).error).to.match(/percent-encoding/);
    await alive();
  });

  it(`§3 a body over the documented limit (${MAX_BODY_BYTES} bytes; here 30 MB) → 413 RequestEntityTooLarge, nothing stored; the next request is served`, async () => {
    const before = await stored();
    const big = JSON.stringify({ ...offerDoc("huge"), padding: "x".repeat(30 * 1024 * 1024) });
    expectServiceError(await api({ method: "PUT", path: `/api/publishers/contoso/offers/huge?${V}`, body: big }), 413);
    expect(await stored()).to.deep.equal(before);
    expect((await rawRequest(e.apiUrl, { method: "POST", path: "/_emulator/seed", body: big })).status).to.equal(413);
    await alive();
    // Just under the limit is read and judged on its content (here: accepted).
    const near = JSON.stringify({ ...offerDoc("near"), padding: "" });
    const fill = MAX_BODY_BYTES - Buffer.byteLength(near) - 10;
    const ok = await api({
      method: "PUT",
      path: `/api/publishers/contoso/offers/near?${V}`,
      body: JSON.stringify({ ...offerDoc("near"), padding: "y".repeat(fill) }),
    });
    expect(ok.status).to.equal(201);
  });

  it("§5.1 offer ids are validated as the service does: one emoji, upper case, a trailing '-', 51 characters → 400; nothing stored", async () => {
    const before = await stored();
    for (const id of ["\u{1F600}", "Upper", "ends-", "a".repeat(51), "under_score", "-lead"]) {
      const r = await api({
        method: "PUT",
        path: `/api/publishers/contoso/offers/${encodeURIComponent(id)}?${V}`,
        body: JSON.stringify(offerDoc(id)),
      });
      expectServiceError(r, 400);
      expect(JSON.parse(r.body).error.message, id).to.match(/offer id .* is not valid/);
    }
    expect(await stored()).to.deep.equal(before);
    expect(
      (
        await api({
          method: "PUT",
          path: `/api/publishers/contoso/offers/${"a".repeat(50)}?${V}`,
          body: JSON.stringify(offerDoc("a".repeat(50))),
        })
      ).status,
    ).to.equal(201);
  });

  it("§5.3 definition.plans must be an array of objects with valid, unique planIds; §5.1 definition and definition.offer objects → else 400", async () => {
    const before = await stored();
    const plan = sampleDefinition({ pricedPlans: true }).plans[0];
    const bad: Array<[unknown, RegExp]> = [
      [{ plans: {} }, /plans must be an array/],
      [{ plans: [1] }, /plans\[0\] must be a plan object/],
      [{ plans: [{ ...plan, planId: undefined }] }, /planId is not valid/],
      [{ plans: [{ ...plan, planId: "Bad Plan" }] }, /planId is not valid/],
      [{ plans: [plan, plan] }, /used by more than one plan/],
      [{ offer: "listing" }, /definition\.offer must be an object/],
      [{ displayText: 5 }, /displayText must be a string/],
      ["text", /definition must be an object/],
    ];
    for (const [definition, message] of bad) {
      const r = await api({
        method: "PUT",
        path: `/api/publishers/contoso/offers/shape-1?${V}`,
        body: JSON.stringify(offerDoc("shape-1", definition)),
      });
      expectServiceError(r, 400);
      expect(JSON.parse(r.body).error.message).to.match(message);
    }
    expect(await stored()).to.deep.equal(before);
    // The same rules hold for seeds and out-of-band edits (control API): refused whole.
    const seed = await rawRequest(e.apiUrl, {
      method: "POST",
      path: "/_emulator/seed",
      body: JSON.stringify({ offers: [{ publisherId: "contoso", offer: offerDoc("seeded", { plans: {} }) }] }),
    });
    expect(seed.status).to.equal(400);
    const edit = await rawRequest(e.apiUrl, {
      method: "PATCH",
      path: "/_emulator/offers/contoso/base",
      body: JSON.stringify({ definition: { plans: "none" } }),
    });
    expect(edit.status).to.equal(400);
    expect(await stored()).to.deep.equal(before);
  });

  it("§3 bodies that are not JSON, or nested deeper than 64 levels → 400; publish with a broken body → 400", async () => {
    expectServiceError(
      await api({
        method: "PUT",
        path: `/api/publishers/contoso/offers/base?${V}`,
        body: "{not json",
        headers: { "if-match": "*" },
      }),
      400,
    );
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    expectServiceError(
      await api({
        method: "PUT",
        path: `/api/publishers/contoso/offers/base?${V}`,
        body: deep,
        headers: { "if-match": "*" },
      }),
      400,
    );
    expectServiceError(
      await api({ method: "POST", path: `/api/publishers/contoso/offers/base/publish?${V}`, body: "}" }),
      400,
    );
    expect((await rawRequest(e.apiUrl, { method: "PATCH", path: "/_emulator/modes", body: deep })).status).to.equal(
      400,
    );
    await alive();
  });

  it("§2.3 malformed bearer tokens (garbage, null header, unknown alg, bad signature length, empty) → 401; the next request is served", async () => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
    const [, payload] = token.split(".");
    const tokens = [
      "garbage",
      "a.b.c",
      `${b64(null)}.${b64(null)}.x`,
      `${b64({ alg: "none" })}.${payload}.`,
      `${b64({ alg: "RS256" })}.${payload}.AAAA`,
      `${b64({ alg: "PS256" })}.${payload}.${"A".repeat(600)}`,
      `${b64(7)}.${b64("s")}.x`,
      "",
    ];
    for (const t of tokens) {
      const r = await rawRequest(e.apiUrl, { path: `/api/publishers?${V}`, headers: { authorization: `Bearer ${t}` } });
      expect(r.status, t).to.equal(401);
    }
    await alive();
  });

  it("§2.3 a valid token whose signature has characters appended (or is not base64url) → 401, as Azure AD refuses it", async () => {
    const send = (t: string) =>
      rawRequest(e.apiUrl, { path: `/api/publishers?${V}`, headers: { authorization: `Bearer ${t}` } });
    expect((await send(token)).status, "the untouched token").to.equal(200);
    // A lenient base64url decoder drops a trailing partial character and skips foreign ones, so
    // these would decode to the same signature bytes.
    // (Trailing white space is not part of a header value: HTTP trims it before anyone sees it.)
    for (const junk of ["x", "!!", "=", "%"]) {
      expect((await send(`${token}${junk}`)).status, JSON.stringify(junk)).to.equal(401);
    }
    const [h, p, sig] = token.split(".");
    expect((await send(`${h}.${p}.${sig.slice(0, 10)}+/${sig.slice(12)}`)).status, "base64, not base64url").to.equal(
      401,
    );
    await alive();
  });

  it("§3 bytes that are not HTTP, and invalid header bytes → 400 from the parser, connection closed; the next request is served", async () => {
    for (const raw of [
      "GARBAGE\r\n\r\n",
      `GET /api/publishers?${V} HTTP/1.1\r\nHost: x\r\nBad\u0001Header: v\r\n\r\n`,
      `GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n`,
    ]) {
      const answer = await new Promise<string>((ok, fail) => {
        const port = Number(new URL(e.apiUrl).port);
        const s = connect(port, "127.0.0.1", () => s.write(raw));
        let text = "";
        s.on("data", (d) => {
          text += d.toString();
        });
        s.on("end", () => ok(text));
        s.on("error", fail);
      });
      expect(answer, JSON.stringify(raw)).to.match(/^HTTP\/1\.1 400 /);
    }
    await alive();
  });

  it("§5.1 __proto__ and constructor keys in PUT bodies and control edits are kept as plain keys and never reach Object.prototype", async () => {
    const body = `{"id":"proto-1","offerTypeId":"microsoft-azure-virtualmachines","__proto__":{"polluted":1},"definition":{"__proto__":{"adminPassword":"p"},"offer":{"constructor":{"prototype":{"polluted":2}}},"plans":[]}}`;
    const r = await api({ method: "PUT", path: `/api/publishers/contoso/offers/proto-1?${V}`, body });
    expect(r.status).to.equal(201);
    const view = await e.control.offer("contoso", "proto-1");
    expect(Object.hasOwn(view.draft, "__proto__")).to.equal(true);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    expect(({} as Record<string, unknown>).adminPassword).to.equal(undefined);
    const edit = await rawRequest(e.apiUrl, {
      method: "PATCH",
      path: "/_emulator/offers/contoso/proto-1",
      body: `{"__proto__":{"polluted":3},"definition":{"__proto__":{"x":1}}}`,
    });
    expect(edit.status).to.equal(200);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    expect(
      (
        await rawRequest(e.apiUrl, {
          method: "PATCH",
          path: "/_emulator/modes",
          body: `{"__proto__":{"etagOnGet":false}}`,
        })
      ).status,
    ).to.equal(400);
  });

  it("control API: bad fault, clock, mode and outcome bodies → 400 naming the field; nothing is injected or changed", async () => {
    const control = (method: string, path: string, body: unknown) =>
      rawRequest(e.apiUrl, {
        method,
        path: `/_emulator${path}`,
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const cases: Array<[string, string, unknown, RegExp]> = [
      ["POST", "/faults", { path: "/api", status: "x" }, /status/],
      ["POST", "/faults", { path: "/api", count: -1 }, /count/],
      ["POST", "/faults", { path: "/api", headers: { "bad header": "v" } }, /header/i],
      ["POST", "/faults", { path: "/api", headers: { ok: "line\nbreak" } }, /header/i],
      ["POST", "/faults", [], /fault/],
      ["POST", "/faults", { path: "/(unclosed/" }, /not a valid regular expression/],
      ["POST", "/clock", { advanceMs: -5 }, /advanceMs/],
      ["POST", "/clock", { timeScale: 0 }, /timeScale/],
      ["PATCH", "/modes", { stepDurationsMs: { nostep: 1 } }, /stepDurationsMs/],
      ["PATCH", "/modes", { latencyMs: 1e9 }, /latencyMs/],
      ["PATCH", "/modes", [1], /object/],
      ["POST", "/offers/contoso/base/outcome", { outcome: "fail", step: "nostep" }, /step/],
      ["POST", "/seed", { principals: [{ clientId: 5 }] }, /clientId/],
      ["POST", "/seed", "text", /object/],
    ];
    for (const [method, path, body, message] of cases) {
      const r = await control(method, path, body);
      expect(r.status, `${method} ${path} ${JSON.stringify(body)}`).to.equal(400);
      expect(JSON.parse(r.body).error).to.match(message);
    }
    expect(await e.control.modes()).to.deep.include({ latencyMs: 0 });
    expect(await (await fetch(`${e.controlUrl}/faults`)).json()).to.deep.equal([]);
    await alive();
  });

  it("property: for any path, percent-encoding, header, query and JSON body (incl. __proto__ keys and sizes), API and control API answer 4xx or a valid success, keep serving, and change stored offers only on success", async () => {
    const word = fc.constantFrom(
      "api",
      "publishers",
      "contoso",
      "fabrikam",
      "offers",
      "base",
      "slot",
      "preview",
      "Production",
      "status",
      "submissions",
      "operations",
      "publish",
      "golive",
      "cancel",
      "versions",
      "1",
      "offerTypes",
      "_emulator",
      "seed",
      "faults",
      "modes",
      "clock",
      "requests",
      "outcome",
      "federated-token",
      "__proto__",
      "constructor",
      "prototype",
      "contoso$base$2$preview",
      "",
      ".",
      "..",
      "new-offer",
      "rp",
      "product-ingestion",
      "product",
      "plan",
      "configure",
      "resource-tree",
      "submission",
      "listing",
      "virtual-machine-plan-technical-configuration",
      "00000000-0000-0000-0000-000000000000",
      "pia",
      "jobs",
    );
    const encoded = fc.constantFrom(
      "%",
      "%E0%A4%A",
      "%zz",
      "%00",
      "%2F",
      "%C0%AF",
      "%F0%9F%98%80",
      "%25",
      "%ED%A0%80",
      "%FF",
      "%20",
      "%0A",
    );
    const segment = fc.oneof(
      { weight: 5, arbitrary: word },
      { weight: 2, arbitrary: encoded },
      { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 12 }).map(encodeURIComponent) },
      { weight: 1, arbitrary: fc.string({ maxLength: 60 }).map((s) => s.replace(/[^\x21-\x7e]/g, "")) },
    );
    const pathArb = fc.oneof(
      fc.array(segment, { maxLength: 7 }).map((s) => `/api/${s.join("/")}`),
      fc.array(segment, { maxLength: 5 }).map((s) => `/_emulator/${s.join("/")}`),
      fc.array(segment, { maxLength: 6 }).map((s) => `/rp/product-ingestion/${s.join("/")}`),
      fc
        .tuple(
          fc.constantFrom("00000000-0000-0000-0000-00000000aaaa", "common", "%E0%A4%A", "x"),
          fc.constantFrom(
            "oauth2/v2.0/token",
            "oauth2/token",
            "v2.0/.well-known/openid-configuration",
            "discovery/v2.0/keys",
            "discovery/instance",
          ),
        )
        .map(([t, p]) => `/${t}/${p}`),
      fc.constantFrom(
        "/api/publishers/contoso/offers/base",
        "/api/publishers/contoso/offers/new-offer",
        "/api/publishers/contoso/offers/base/publish",
        "/_oidc/keys",
        "/",
        "*",
      ),
      // Well-formed routes with one hostile segment: these reach the handlers past auth.
      fc
        .tuple(
          fc.constantFrom(
            "/api/publishers/contoso/offers/",
            "/api/publishers/",
            "/api/operations/",
            "/api/publishers/contoso/offers/base/slot/",
            "/_emulator/offers/contoso/",
            "/rp/product-ingestion/product/",
            "/rp/product-ingestion/resource-tree/product/",
            "/rp/product-ingestion/submission/",
            "/rp/product-ingestion/configure/",
            "/rp/product-ingestion//",
          ),
          segment,
        )
        .map(([prefix, seg]) => `${prefix}${seg}`),
    );
    const query = fc.oneof(
      { weight: 6, arbitrary: fc.constant(`?${V}`) },
      fc.constant(""),
      fc.constantFrom(
        "?api-version=2016-01-01",
        `?${V}&status=%E0%A4%A`,
        `?${V}&includeAllPricing=true`,
        "?%%%",
        `?${V}&since=abc`,
        `?api-version=2017-10-31&api-version=x`,
        "?$version=2022-07-01",
        "?$version=2022-03-01-preview2&externalId=base",
        "?$version=latest",
        "?externalid=%E0%A4%A",
        "?product=product/%2F&$maxpagesize=-1",
        "?continuationToken=%%%&$maxpagesize=1",
        "?targetType=sandbox",
      ),
    );
    const jsonBody = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
      fc
        .record({
          id: fc.constantFrom("base", "new-offer", "\u{1F600}"),
          offerTypeId: fc.constantFrom("microsoft-azure-virtualmachines", 3),
          definition: fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constant(sampleDefinition({ pricedPlans: true }))),
        })
        .map((v) => JSON.stringify(v)),
      fc
        .jsonValue({ maxDepth: 3 })
        .map(
          (v) =>
            `{"__proto__":${JSON.stringify(v)},"definition":{"__proto__":{"adminPassword":"x"},"plans":[{"planId":"p","__proto__":{"polluted":1}}]}}`,
        ),
      fc.constantFrom("{", "}", "null", "[]", '"', "\u0000", "[".repeat(200) + "]".repeat(200)),
      fc.constantFrom(1_000, 200_000, MAX_BODY_BYTES + 1).map((n) =>
        JSON.stringify({
          id: "new-offer",
          offerTypeId: "microsoft-azure-virtualmachines",
          definition: {},
          pad: "z".repeat(n),
        }),
      ),
    );
    // Configure bodies: envelopes on the current and the retired schema host, resources that
    // reference each other by resourceName or external id, hostile names.
    const S = "https://schema.mp.microsoft.com/schema";
    const piaBody = fc
      .record({
        host: fc.constantFrom("schema.mp.microsoft.com", "product-ingestion.azureedge.net"),
        version: fc.constantFrom("2022-07-01", "2022-03-01-preview2", "2099-01-01"),
        resources: fc.array(
          fc.oneof(
            fc.jsonValue({ maxDepth: 3 }),
            fc.record({
              $schema: fc.constantFrom(
                `${S}/product/2022-03-01-preview3`,
                `${S}/plan/2022-03-01-preview2`,
                `${S}/listing/2022-03-01-preview5`,
                `${S}/submission/2022-03-01-preview2`,
                `${S}/constructor/1`,
              ),
              resourceName: fc.constantFrom("p", "__proto__", "constructor"),
              identity: fc.record({ externalId: fc.constantFrom("base", "new-offer", "p_1", "__proto__") }),
              type: fc.constantFrom("azureVirtualMachine", "coreVirtualMachine", 1),
              alias: fc.string({ maxLength: 10 }),
              product: fc.oneof(
                fc.record({ resourceName: fc.constantFrom("p", "__proto__") }),
                fc.record({ externalId: fc.constantFrom("base", "nothing") }),
                fc.constantFrom("product/00000000-0000-0000-0000-000000000000", "product/"),
              ),
              target: fc.record({ targetType: fc.constantFrom("preview", "live", "draft") }),
            }),
          ),
          { maxLength: 4 },
        ),
      })
      .map(({ host, version, resources }) =>
        JSON.stringify({ $schema: `https://${host}/schema/configure/${version}`, resources }).replace(
          /"resourceName":"p"/,
          '"__proto__":{"polluted":1},"resourceName":"p"',
        ),
      );
    const body = fc.option(fc.oneof({ weight: 4, arbitrary: jsonBody }, { weight: 1, arbitrary: piaBody }), {
      nil: undefined,
      freq: 3,
    });
    const printable = fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e]/g, ""));
    const headers = fc.record(
      {
        authorization: fc.oneof(
          { weight: 8, arbitrary: fc.constant("valid") },
          fc.constant(""),
          printable.map((s) => `Bearer ${s}`),
          fc.constant("Bearer eyJ.eyJ.sig"),
          fc.constant("Basic abc"),
        ),
        "if-match": fc.option(fc.oneof(fc.constant("*"), printable), { nil: undefined }),
        "content-type": fc.option(
          fc.constantFrom(
            "application/json",
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
          ),
          { nil: undefined },
        ),
        "x-ms-correlationid": fc.option(printable, { nil: undefined }),
        host: fc.option(
          fc.constantFrom(
            "login.microsoftonline.com",
            "cloudpartner.azure.com:443",
            "[::1]:1",
            "bad host",
            "x/y",
            "a".repeat(300),
          ),
          { nil: undefined },
        ),
      },
      { requiredKeys: ["authorization"] },
    );
    const method = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom("GET", "PUT") },
      fc.constantFrom("GET", "PUT", "POST", "PATCH", "DELETE", "HEAD", "OPTIONS"),
    );
    // Valid writes, with hostile extras (read-only keys in any case, __proto__ keys, unknown keys): these must succeed.
    const validPut = fc
      .record({
        id: fc.constantFrom("base", "prop-a", "prop-b"),
        extra: fc.dictionary(
          fc.constantFrom("Etag", "ETag", "ChangedTime", "__proto__", "constructor", "x-unknown", "Status"),
          fc.jsonValue({ maxDepth: 2 }),
          { maxKeys: 3 },
        ),
        ifMatch: fc.constantFrom("*", undefined),
      })
      .map(({ id, extra, ifMatch }) => ({
        method: "PUT",
        path: `/api/publishers/contoso/offers/${id}`,
        query: `?${V}`,
        headers: {
          authorization: "valid",
          "content-type": "application/json",
          ...(ifMatch ? { "if-match": ifMatch } : {}),
        } as Record<string, string | undefined>,
        body: `{${Object.entries(extra)
          .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)},`)
          .join(
            "",
          )}"offerTypeId":"microsoft-azure-virtualmachines","definition":${JSON.stringify(sampleDefinition({ pricedPlans: true }))}}`,
      }));
    // Valid Product Ingestion API calls with hostile extras (echoed read-only fields, unknown and
    // __proto__ keys, a doubled slash, any letter case): reads answer 200, configures 202.
    const validPia = fc
      .record({
        read: fc.constantFrom("product?externalId=base", "product?EXTERNALID=base&$version=2022-07-01", "/product", ""),
        extra: fc.dictionary(
          fc.constantFrom("validations", "__proto__", "constructor", "x-unknown", "resourceName"),
          fc.jsonValue({ maxDepth: 2 }),
          { maxKeys: 3 },
        ),
      })
      .map(({ read, extra }) => ({
        method: read === "" ? "POST" : "GET",
        path: read === "" ? "/rp/product-ingestion/configure" : `/rp/product-ingestion/${read.split("?")[0]}`,
        query: read.includes("?") ? `?${read.split("?")[1]}` : "",
        headers: { authorization: "valid", "content-type": "application/json" } as Record<string, string | undefined>,
        body:
          read === ""
            ? `{"$schema":"${S}/configure/2022-07-01","resources":[{${Object.entries(extra)
                .filter(([k]) => k !== "resourceName")
                .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)},`)
                .join(
                  "",
                )}"$schema":"${S}/product/2022-03-01-preview3","identity":{"externalId":"base"},"type":"azureVirtualMachine","alias":"Base"}]}`
            : undefined,
      }));
    const request = fc.oneof(
      { weight: 6, arbitrary: fc.record({ method, path: pathArb, query, headers, body }) },
      { weight: 1, arbitrary: validPut },
      { weight: 1, arbitrary: validPia },
    );

    const cases: string[] = [];
    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        // The route the server takes: it parses the path as a URL, so dot segments are resolved
        // ("/api/../_emulator" is the control API, with its own error shape).
        const route = routeOf(req.path);
        // Routes that reset or delete by design are left out: their success changes what is stored.
        fc.pre(
          !/\/_emulator\/(reset|offers\/[^/]+\/[^/]+\/?$)/.test(route) ||
            (req.method !== "DELETE" && req.method !== "POST"),
        );
        const before = await settled();
        const h: Record<string, string> = {};
        // A valid token for the API the path names: Graph for the Product Ingestion API.
        const valid = route.startsWith("/rp/") ? graphToken : token;
        for (const [k, v] of Object.entries(req.headers))
          if (v !== undefined) h[k] = k === "authorization" && v === "valid" ? `Bearer ${valid}` : v;
        let answer: RawResponse | undefined;
        try {
          answer = await rawRequest(e.apiUrl, {
            method: req.method,
            path: `${req.path}${req.query}`,
            headers: h,
            body: req.method === "GET" || req.method === "HEAD" ? undefined : req.body,
          });
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code ?? "";
          // The test's own HTTP client refused to send it (invalid characters): nothing reached the server.
          if (
            /ERR_INVALID_CHAR|ERR_UNESCAPED_CHARACTERS|ERR_INVALID_HTTP_TOKEN|ERR_HTTP_INVALID_HEADER_VALUE/.test(code)
          )
            return;
          // A 413 may close the connection while a large body is still being written.
          if (!(req.body && req.body.length > MAX_BODY_BYTES && /EPIPE|ECONNRESET/.test(code))) throw err;
        }
        cases.push(`${req.method} ${answer?.status}`);
        if (answer) {
          const ok = (answer.status >= 200 && answer.status < 300) || (answer.status >= 400 && answer.status < 500);
          expect(ok, `${req.method} ${req.path}${req.query} → ${answer.status} ${answer.body.slice(0, 300)}`).to.equal(
            true,
          );
          const type = String(answer.headers["content-type"] ?? "");
          if (req.method !== "HEAD" && type.startsWith("application/json"))
            expect(() => JSON.parse(answer!.body), "a JSON answer parses").to.not.throw();
          if (
            answer.status >= 400 &&
            req.method !== "HEAD" &&
            (route.startsWith("/api/") || route.startsWith("/rp/")) &&
            type.startsWith("application/json")
          ) {
            const parsed = JSON.parse(answer.body);
            expect(parsed.error?.message ?? parsed.Message, "the service's error shape").to.be.a("string");
          }
          if (answer.status >= 400) {
            // The whole lists go in the message (chai shortens them), so a failure says what moved.
            const after = await stored();
            const moved = `before ${JSON.stringify(before.filter((o) => !after.includes(o)))}, after ${JSON.stringify(after.filter((o) => !before.includes(o)))}`;
            expect(after, `a refused request changes nothing: ${moved}`).to.deep.equal(before);
          }
        }
        await alive();
        expect(Object.getOwnPropertyNames(Object.prototype).sort()).to.deep.equal(prototypeKeys);
        // A valid control change (modes, faults, clock) must not leak into the next case.
        if (route.startsWith("/_emulator") && answer && answer.status < 300) {
          await fetch(`${e.controlUrl}/faults`, { method: "DELETE" });
          await e.control.setModes({ ...(await import("../../emulator/modes.js")).defaultModes() });
          await e.control.clock({ timeScale: 100_000_000 });
        }
      }),
      {
        numRuns: Number(process.env.EMULATOR_PROPERTY_RUNS ?? 300),
        interruptAfterTimeLimit: 60_000,
        markInterruptAsFailure: false,
        seed: Number(process.env.EMULATOR_PROPERTY_SEED ?? Date.now() % 2_147_483_647),
      },
    );
    expect(cases.length).to.be.greaterThan(50);
    // The generator reaches both sides: valid requests that succeed, and refused ones.
    expect(cases.filter((c) => / 2\d\d$/.test(c)).length, cases.join(",")).to.be.greaterThan(5);
    expect(cases.filter((c) => / 4\d\d$/.test(c)).length).to.be.greaterThan(20);
    if (process.env.EMULATOR_PROPERTY_VERBOSE)
      console.log([...new Set(cases)].map((c) => `${c}×${cases.filter((x) => x === c).length}`).join(" "));
  });
});

/** The path a WHATWG URL parser makes of `path` (as the emulator routes it), or `path` when it does not parse. */
function routeOf(path: string): string {
  try {
    return new URL(`http://emulator${path}`).pathname;
  } catch {
    return path;
  }
}
