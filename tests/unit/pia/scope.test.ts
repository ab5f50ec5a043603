// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { createTokenProvider, CPP_SCOPE } from "../../../provider/client/auth.js";
import { fixFor, parseErrorBody, ERROR_CODES } from "../../../provider/client/errors.js";
import {
  currentSchemaUrl,
  GRAPH_SCOPE,
  graphScopeFor,
  normalizeEndpoint,
  parseSchemaUrl,
  PIA_ENDPOINT,
  PiaClient,
  RETIRED_SCHEMA_HOST,
  SCHEMA_VERSIONS,
  schemaUrl,
} from "../../../provider/pia/index.js";

describe("pia: token scope, endpoint and schemas", () => {
  it("derives the scope from the endpoint host: national Graph hosts their own, anything else the public one", () => {
    const table: Array<[string, string]> = [
      [PIA_ENDPOINT, GRAPH_SCOPE],
      ["https://graph.microsoft.us/rp/product-ingestion", "https://graph.microsoft.us/.default"],
      ["https://dod-graph.microsoft.us/rp/product-ingestion", "https://dod-graph.microsoft.us/.default"],
      [
        "https://microsoftgraph.chinacloudapi.cn/rp/product-ingestion",
        "https://microsoftgraph.chinacloudapi.cn/.default",
      ],
      ["https://GRAPH.MICROSOFT.US./rp/product-ingestion", "https://graph.microsoft.us/.default"],
      ["http://127.0.0.1:4010/rp/product-ingestion", GRAPH_SCOPE],
      ["https://proxy.contoso.example/pia", GRAPH_SCOPE],
      ["https://graph.microsoft.us.evil.example/rp/product-ingestion", GRAPH_SCOPE],
      ["not a url", GRAPH_SCOPE],
    ];
    for (const [endpoint, scope] of table) expect(graphScopeFor(endpoint), endpoint).to.equal(scope);
    expect(GRAPH_SCOPE).to.equal("https://graph.microsoft.com/.default");
  });

  it("one token provider per credential and scope per process; the CPP scope stays the default", () => {
    const credential = {
      tenantId: "t",
      clientId: "c",
      clientSecret: "secret-for-scope-test",
      authority: "https://login.microsoftonline.com",
    };
    const cpp = createTokenProvider(credential);
    expect(createTokenProvider(credential, CPP_SCOPE)).to.equal(cpp);
    const graph = createTokenProvider(credential, GRAPH_SCOPE);
    expect(graph).to.not.equal(cpp);
    expect(createTokenProvider({ ...credential }, GRAPH_SCOPE)).to.equal(graph);
    expect(createTokenProvider(credential, "https://graph.microsoft.us/.default")).to.not.equal(graph);
  });

  it("the endpoint keeps its path; plain http only on loopback", () => {
    expect(normalizeEndpoint("https://graph.microsoft.com/rp/product-ingestion/")).to.equal(PIA_ENDPOINT);
    expect(normalizeEndpoint("http://127.0.0.1:9/rp/product-ingestion")).to.equal(
      "http://127.0.0.1:9/rp/product-ingestion",
    );
    expect(() => normalizeEndpoint("http://graph.microsoft.com/rp/product-ingestion")).to.throw(/https/);
    expect(() => normalizeEndpoint("https://u:pw@graph.microsoft.com/rp")).to.throw(/plain URL/);
    expect(() => normalizeEndpoint("https://u:pw@graph.microsoft.com/rp")).to.not.throw(/u:pw/);
    expect(() => normalizeEndpoint("https://graph.microsoft.com/rp?x=1"))
      .to.throw()
      .with.property("code", "CPP_CONFIGURATION");
    const client = new PiaClient({ credential: { getToken: async () => "t" } });
    expect(client.endpoint).to.equal(PIA_ENDPOINT);
    expect(client.version).to.equal("2022-07-01");
  });

  it("pins a schema per type on schema.mp.microsoft.com, overridable per type; never the retired host", () => {
    expect(schemaUrl("product")).to.equal("https://schema.mp.microsoft.com/schema/product/2022-03-01-preview3");
    expect(schemaUrl("configure")).to.equal("https://schema.mp.microsoft.com/schema/configure/2022-07-01");
    expect(schemaUrl("product", { product: "2022-03-01-preview5" })).to.match(/product\/2022-03-01-preview5$/);
    for (const type of Object.keys(SCHEMA_VERSIONS)) {
      const url = schemaUrl(type);
      expect(url.startsWith("https://schema.mp.microsoft.com/schema/"), type).to.equal(true);
      expect(parseSchemaUrl(url)).to.deep.equal({ type, version: (SCHEMA_VERSIONS as any)[type] });
    }
    expect(() => schemaUrl("unknown-type")).to.throw(/schemaVersions/);
    expect(schemaUrl("unknown-type", { "unknown-type": "2023-01-01" })).to.match(/unknown-type\/2023-01-01$/);
    expect(() => schemaUrl("product", { product: "latest" })).to.throw(/not a version/);
    expect(() => schemaUrl("Product"))
      .to.throw()
      .with.property("code", "CPP_CONFIGURATION");
    expect(() => new PiaClient({ credential: { getToken: async () => "t" }, schemaVersions: { plan: "x" } })).to.throw(
      /not a version/,
    );
    const old = `${RETIRED_SCHEMA_HOST}/schema/configure/2022-03-01-preview2`;
    expect(currentSchemaUrl(old)).to.equal("https://schema.mp.microsoft.com/schema/configure/2022-03-01-preview2");
    expect(currentSchemaUrl(schemaUrl("plan"))).to.equal(schemaUrl("plan"));
  });
});

describe("pia: synchronous errors and fix texts (§P5.3, §P2)", () => {
  it("parseErrorBody keeps the inner errors structured, and the CPP reading as it was", () => {
    const body = parseErrorBody(
      JSON.stringify({
        error: {
          code: "badRequest",
          message: "Invalid configuration: schema validation failed",
          details: [{ code: "schemaValidationError", message: "alias is required" }],
        },
      }),
    );
    expect(body).to.deep.equal({
      code: "badRequest",
      message: "Invalid configuration: schema validation failed",
      details: ["alias is required"],
      innerErrors: [{ code: "schemaValidationError", message: "alias is required" }],
    });
    expect(
      parseErrorBody(
        '{"error":{"code":"badRequest","message":"Cannot cancel job, job has already completed.","details":[]}}',
      ),
    ).to.deep.equal({
      code: "badRequest",
      message: "Cannot cancel job, job has already completed.",
    });
    expect(
      parseErrorBody('{"error":{"code":"ValidationFailed","message":"m","details":[{"target":"a","message":"b"}]}}')
        .details,
    ).to.deep.equal(["a: b"]);
  });

  it("401 and 403 advice fits the API the request went to; CPP's texts are unchanged", () => {
    expect(fixFor("CPP_UNAUTHORIZED", { api: "pia" }))
      .to.match(/https:\/\/graph\.microsoft\.com/)
      .and.not.match(/cloudpartner\.azure\.com/);
    expect(fixFor("CPP_FORBIDDEN", { api: "pia" }))
      .to.match(/Microsoft Entra applications, role Manager/)
      .and.not.match(/publisher "/);
    expect(fixFor("CPP_UNAUTHORIZED", {})).to.match(/https:\/\/cloudpartner\.azure\.com/);
    expect(fixFor("CPP_FORBIDDEN", { publisherId: "contoso" })).to.match(/publisher "contoso"/);
    for (const code of ERROR_CODES) {
      const pia = fixFor(code, { api: "pia" });
      if (pia !== undefined) expect(pia, code).to.not.match(/cloudpartner\.azure\.com|If-Match|ETag|publisher id/);
    }
    // Codes without PIA wording fall back to the shared text.
    expect(fixFor("CPP_THROTTLED", { api: "pia" })).to.equal(fixFor("CPP_THROTTLED", {}));
  });
});

describe("PiaClient: a credential with an empty field fails at construction, naming it", () => {
  it("an unset secret (read from an environment variable as '') → CPP_CONFIGURATION naming credential.clientSecret", () => {
    let error: { code?: string; message?: string } = {};
    try {
      new PiaClient({ credential: { tenantId: "t", clientId: "c", clientSecret: "" } });
    } catch (e) {
      error = e as typeof error;
    }
    expect(error.code).to.equal("CPP_CONFIGURATION");
    expect(error.message).to.match(/credential\.clientSecret/);
    expect(() => new PiaClient({ credential: { tenantId: "t", clientId: "c", clientSecret: "s" } })).to.not.throw();
  });
});
