// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { resolveAccountSettings, resolveSettings } from "../../../provider/handlers/settings.js";

const STACK = {
  "cloudpartner:tenantId": "tenant-a",
  "cloudpartner:clientId": "client-a",
  "cloudpartner:clientSecret": "secret-a-000",
};
const getter = (extra: Record<string, string> = {}) => {
  const config: Record<string, string> = { ...STACK, ...extra };
  return (key: string) => config[key];
};
const entry = { tenantId: "tenant-b", clientId: "client-b", clientSecret: "secret-b-000" };

/** `cloudpartner:api` and `cloudpartner:productIngestionEndpoint`, for the stack and per account. */
describe("settings: which API (cloudpartner:api)", () => {
  it("defaults to cpp with Microsoft Graph's endpoint left to the client", () => {
    const s = resolveSettings(getter(), {});
    expect(s.api).to.equal("cpp");
    expect(s.productIngestionEndpoint).to.equal(undefined);
  });

  it("takes productIngestion (any case) and the endpoint from config, or the endpoint from the environment", () => {
    const s = resolveSettings(
      getter({
        "cloudpartner:api": "productingestion",
        "cloudpartner:productIngestionEndpoint": "http://127.0.0.1:9/rp/product-ingestion",
      }),
      {},
    );
    expect(s).to.include({
      api: "productIngestion",
      productIngestionEndpoint: "http://127.0.0.1:9/rp/product-ingestion",
    });
    const fromEnv = resolveSettings(getter(), { CLOUDPARTNER_PRODUCT_INGESTION_ENDPOINT: "http://127.0.0.1:8/rp/x" });
    expect(fromEnv.productIngestionEndpoint).to.equal("http://127.0.0.1:8/rp/x");
  });

  it("anything else fails naming the key and both values", () => {
    expect(() => resolveSettings(getter({ "cloudpartner:api": "pia" }), {})).to.throw(
      /cloudpartner:api must be "cpp" .* or "productIngestion" .*; got "pia"/,
    );
  });

  it("an account entry chooses its own API and endpoint, defaulting to the stack's", () => {
    const get = getter({
      "cloudpartner:api": "productIngestion",
      "cloudpartner:accounts": JSON.stringify({
        legacy: { ...entry, api: "cpp" },
        inherits: entry,
        own: { ...entry, productIngestionEndpoint: "http://127.0.0.1:7/rp/product-ingestion" },
        bad: { ...entry, api: "graph" },
      }),
    });
    expect(resolveAccountSettings("legacy", get, {}).api).to.equal("cpp");
    expect(resolveAccountSettings("inherits", get, {}).api).to.equal("productIngestion");
    expect(resolveAccountSettings("own", get, {}).productIngestionEndpoint).to.equal(
      "http://127.0.0.1:7/rp/product-ingestion",
    );
    expect(() => resolveAccountSettings("bad", get, {})).to.throw(/cloudpartner:accounts\.bad\.api must be "cpp"/);
  });
});
