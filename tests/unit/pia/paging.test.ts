// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import fc from "fast-check";
import { isWithinEndpoint, nextPageUrl, piaUrl, resolveNextLink, withQueryParam } from "../../../provider/pia/index.js";

const EP = "https://graph.microsoft.com/rp/product-ingestion";
const V = "2022-07-01";

describe("pia: URLs and paging (§P5, §P12)", () => {
  it("writes $version with a literal $, and durable ids in a query with a literal /", () => {
    expect(piaUrl(EP, ["product"], V, { externalId: "contoso-vm", type: undefined })).to.equal(
      `${EP}/product?$version=2022-07-01&externalId=contoso-vm`,
    );
    expect(piaUrl(EP, ["plan"], V, { product: "product/abc", externalId: "a b&c" })).to.equal(
      `${EP}/plan?$version=2022-07-01&product=product/abc&externalId=a%20b%26c`,
    );
    expect(piaUrl(EP, ["configure", "j/1", "status"], V)).to.equal(`${EP}/configure/j%2F1/status?$version=2022-07-01`);
    expect(piaUrl(EP, ["product"], V, { $maxpagesize: "5" })).to.equal(
      `${EP}/product?$version=2022-07-01&$maxpagesize=5`,
    );
  });

  it("withQueryParam replaces one parameter and keeps the others byte for byte", () => {
    const url = `${EP}/plan?$version=2022-07-01&product=product/abc&continuationToken=old`;
    expect(withQueryParam(url, "continuationToken", "n3xt")).to.equal(
      `${EP}/plan?$version=2022-07-01&product=product/abc&continuationToken=n3xt`,
    );
  });

  it("a @nextLink on the endpoint is followed; relative links resolve below it; $version is added", () => {
    const table: Array<[string, string]> = [
      [
        `${EP}/product?$version=2022-07-01&continuationToken=abc`,
        `${EP}/product?$version=2022-07-01&continuationToken=abc`,
      ],
      [`${EP}/product?continuationToken=abc`, `${EP}/product?continuationToken=abc&$version=2022-07-01`],
      ["product?continuationToken=abc", `${EP}/product?continuationToken=abc&$version=2022-07-01`],
      ["/rp/product-ingestion/plan?%24version=x&t=1", `${EP}/plan?%24version=x&t=1`],
    ];
    for (const [link, want] of table) expect(resolveNextLink(link, EP, V), link).to.equal(want);
  });

  it("a foreign @nextLink is refused: another host, scheme, port, user info, or a path off the endpoint", () => {
    const foreign = [
      "https://evil.example/rp/product-ingestion/product?continuationToken=abc",
      "http://graph.microsoft.com/rp/product-ingestion/product",
      "https://graph.microsoft.com:8443/rp/product-ingestion/product",
      "https://user:pw@graph.microsoft.com/rp/product-ingestion/product",
      "https://graph.microsoft.com/v1.0/me",
      "https://graph.microsoft.com/rp/product-ingestion-evil/product",
      "/v1.0/me",
      "../../v1.0/me",
      "//evil.example/rp/product-ingestion/product",
      "https://graph.microsoft.com.evil.example/rp/product-ingestion/product",
    ];
    for (const link of foreign) {
      const e = (() => {
        try {
          return resolveNextLink(link, EP, V);
        } catch (x) {
          return x as any;
        }
      })();
      expect(e.code, link).to.equal("CPP_CONFIGURATION");
      expect(e.message, link).to.match(/refusing to send the token/);
      expect(() => nextPageUrl({ value: [], "@nextLink": link }, `${EP}/product?$version=${V}`, EP, V), link).to.throw(
        /refusing to send the token/,
      );
    }
  });

  it("property: every link the pager follows is on the endpoint", () => {
    const host = fc.constantFrom("graph.microsoft.com", "evil.example", "127.0.0.1:8080", "graph.microsoft.com:444");
    const path = fc.constantFrom(
      "/rp/product-ingestion/product",
      "/rp/product-ingestion",
      "/rp/x",
      "/",
      "/rp/product-ingestion/../x",
    );
    const scheme = fc.constantFrom("https", "http");
    fc.assert(
      fc.property(scheme, host, path, fc.boolean(), (s, h, p, relative) => {
        const link = relative ? p : `${s}://${h}${p}`;
        let next: string | undefined;
        try {
          next = nextPageUrl({ value: [], "@nextLink": link }, `${EP}/product?$version=${V}`, EP, V);
        } catch (e: any) {
          expect(e.code).to.equal("CPP_CONFIGURATION");
          return;
        }
        expect(isWithinEndpoint(next!, EP), `${link} → ${next}`).to.equal(true);
        expect(new URL(next!).origin).to.equal("https://graph.microsoft.com");
      }),
    );
  });

  it("a continuation token continues the current query; no link and no token ends the list", () => {
    const current = `${EP}/product?$version=${V}&type=azureVirtualMachine`;
    expect(nextPageUrl({ value: [], continuationToken: "t1" }, current, EP, V)).to.equal(
      `${current}&continuationToken=t1`,
    );
    expect(nextPageUrl({ value: [] }, current, EP, V)).to.equal(undefined);
    expect(nextPageUrl({ value: [], "@nextLink": "" }, current, EP, V)).to.equal(undefined);
    expect(nextPageUrl(undefined, current, EP, V)).to.equal(undefined);
  });

  it("isWithinEndpoint: an endpoint at the root allows every path of its origin", () => {
    expect(isWithinEndpoint("http://127.0.0.1:1234/product", "http://127.0.0.1:1234")).to.equal(true);
    expect(isWithinEndpoint("http://127.0.0.1:1235/product", "http://127.0.0.1:1234")).to.equal(false);
    expect(isWithinEndpoint("not a url", EP)).to.equal(false);
  });
});
