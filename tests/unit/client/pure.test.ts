// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import fc from "fast-check";
import { quoteETag } from "../../../provider/client/etag.js";
import {
  parseErrorBody,
  codeForStatus,
  CloudPartnerError,
  isCloudPartnerError,
} from "../../../provider/client/errors.js";
import { parseOperationUrl, resolveOperationUrl } from "../../../provider/client/location.js";
import { redact, registerSecret } from "../../../provider/client/redact.js";
import { computeRetryDelay, parseRetryAfter, serverRetryAfter } from "../../../provider/client/retry.js";
import { failureMessages, normalizeOperationStatus } from "../../../provider/client/status.js";
import { assertSecureUrl } from "../../../provider/client/url-policy.js";

const ENDPOINT = "https://cloudpartner.azure.com";

describe("quoteETag (RFC 7232)", () => {
  it("leaves *, quoted and weak tags alone and quotes bare ones", () => {
    expect(quoteETag("*")).to.equal("*");
    expect(quoteETag(`W/"datetime'2019-10-30T22%3A03%3A51.6562051Z'"`)).to.equal(
      `W/"datetime'2019-10-30T22%3A03%3A51.6562051Z'"`,
    );
    expect(quoteETag('"abc"')).to.equal('"abc"');
    expect(quoteETag("abc")).to.equal('"abc"');
  });
  it("is idempotent", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(quoteETag(quoteETag(s))).to.equal(quoteETag(s));
      }),
    );
  });
});

describe("resolveOperationUrl (docs/internals/api-notes.md §9.1)", () => {
  const table: Array<[string, string]> = [
    [
      "/api/operations/contoso$offer$2$preview?api-version=2017-10-31",
      `${ENDPOINT}/api/operations/contoso$offer$2$preview?api-version=2017-10-31`,
    ],
    [
      "/api/publishers/contoso/offers/o/operations/408a4835-0000-1000-0000-000000000000?api-version=2017-10-31",
      `${ENDPOINT}/api/publishers/contoso/offers/o/operations/408a4835-0000-1000-0000-000000000000?api-version=2017-10-31`,
    ],
    [
      `${ENDPOINT}/api/publishers/contoso/offers/o/operations/abc`,
      `${ENDPOINT}/api/publishers/contoso/offers/o/operations/abc?api-version=2017-10-31`,
    ],
    [
      "/api/operations/contoso$offer$2$preview",
      `${ENDPOINT}/api/operations/contoso$offer$2$preview?api-version=2017-10-31`,
    ],
  ];
  for (const [location, expected] of table)
    it(`resolves ${location}`, () => expect(resolveOperationUrl(location, ENDPOINT, "2017-10-31")).to.equal(expected));
  it("adds api-version exactly once, whatever the input", () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.stringMatching(/^[a-z0-9$-]{1,12}$/), { minLength: 1, maxLength: 6 })
          .map((p) => `/api/${p.join("/")}`),
        fc.boolean(),
        (path, withVersion) => {
          const url = resolveOperationUrl(
            `${path}${withVersion ? "?api-version=2017-10-31" : ""}`,
            ENDPOINT,
            "2017-10-31",
          );
          expect(new URL(url).searchParams.getAll("api-version")).to.deep.equal(["2017-10-31"]);
        },
      ),
    );
  });
  it("parses both URL forms", () => {
    expect(parseOperationUrl(`${ENDPOINT}/api/operations/contoso$my-offer$2$preview?api-version=x`)).to.deep.equal({
      publisherId: "contoso",
      offerId: "my-offer",
      legacy: true,
    });
    expect(parseOperationUrl(`${ENDPOINT}/api/publishers/contoso/offers/o/operations/g/`)).to.deep.equal({
      publisherId: "contoso",
      offerId: "o",
      operationId: "g",
      legacy: false,
    });
  });
});

describe("normalizeOperationStatus (status words as sets)", () => {
  const table: Array<[Record<string, unknown>, string]> = [
    [{ status: "complete" }, "succeeded"],
    [{ status: "completed" }, "succeeded"],
    [{ status: "succeeded" }, "succeeded"],
    [{ status: "failed" }, "failed"],
    [{ status: "canceled" }, "canceled"],
    [{ status: "cancelled" }, "canceled"],
    [{ status: "running" }, "running"],
    [{ status: "inProgress" }, "running"],
    [{ status: "notStarted" }, "notStarted"],
    [{ status: "not started" }, "notStarted"],
    [
      { status: "running", steps: [{ id: "publisher-signoff", status: "waitingForPublisherReview" }] },
      "waitingForSignoff",
    ],
    [{ status: "running", steps: [{ id: "displaycertify", status: "rejected", messages: [] }] }, "failed"],
    [
      {
        status: "running",
        steps: [{ id: "displaycertify", status: "blocked", messages: [{ messageHtml: "x", level: "error" }] }],
      },
      "failed",
    ],
    [
      {
        status: "running",
        steps: [{ id: "displaycertify", status: "blocked", messages: [{ messageHtml: "review", level: "warning" }] }],
      },
      "running",
    ],
    [{ status: "mystery" }, "unknown"],
  ];
  for (const [op, expected] of table)
    it(`${JSON.stringify(op)} → ${expected}`, () => expect(normalizeOperationStatus(op as any)).to.equal(expected));
  it("lists the failing step's error messages without HTML", () => {
    expect(
      failureMessages({
        steps: [
          {
            id: "c",
            stepName: "Certification",
            status: "blocked",
            messages: [{ messageHtml: "<b>No image</b> for plan x", level: "error" }],
          },
        ],
      }),
    ).to.deep.equal(["Certification: No image for plan x"]);
  });
});

describe("retry delays", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  it("honours Retry-After in seconds and as an HTTP date", () => {
    expect(parseRetryAfter("3", now)).to.equal(3000);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:05 GMT", now)).to.equal(5000);
    expect(computeRetryDelay(1, "2", {}, now, () => 0.5)).to.deep.equal({ retry: true, delayInMs: 2000 });
  });
  it("reads retry-after-ms, then x-ms-retry-after-ms, then Retry-After, skipping unparseable values", () => {
    expect(
      serverRetryAfter({ "retry-after-ms": "250", "x-ms-retry-after-ms": "700", "retry-after": "9" }, now),
    ).to.deep.equal({ delayInMs: 250, header: "retry-after-ms" });
    expect(serverRetryAfter({ "x-ms-retry-after-ms": ["700", "1"], "retry-after": "9" }, now)).to.deep.equal({
      delayInMs: 700,
      header: "x-ms-retry-after-ms",
    });
    expect(serverRetryAfter({ "retry-after-ms": "soon", "retry-after": "9" }, now)).to.deep.equal({
      delayInMs: 9000,
      header: "retry-after",
    });
    expect(serverRetryAfter({ "retry-after-ms": "12.6" }, now)).to.deep.equal({
      delayInMs: 13,
      header: "retry-after-ms",
    });
    expect(serverRetryAfter({}, now)).to.equal(undefined);
    expect(computeRetryDelay(1, { "x-ms-retry-after-ms": "90000" }, {}, now, Math.random)).to.deep.equal({
      retry: false,
      reason: "the service asked to wait 90 s (x-ms-retry-after-ms), longer than the 60 s allowed",
    });
  });
  it("fails fast when Retry-After exceeds the cap, and after maxRetries", () => {
    expect(computeRetryDelay(1, "3600", { maxRetryAfterInMs: 60_000 }, now, Math.random).retry).to.equal(false);
    expect(computeRetryDelay(5, undefined, { maxRetries: 4 }, now, Math.random).retry).to.equal(false);
  });
  it("backs off exponentially with jitter within [½, 1] of the capped delay", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, r) => {
          const d = computeRetryDelay(
            attempt,
            undefined,
            { maxRetries: 10, retryDelayInMs: 100, maxRetryDelayInMs: 5000 },
            now,
            () => r,
          );
          const capped = Math.min(5000, 100 * 2 ** (attempt - 1));
          expect(d.retry).to.equal(true);
          if (d.retry) expect(d.delayInMs).to.be.within(Math.floor(capped / 2), capped);
        },
      ),
    );
  });
});

describe("error bodies (both shapes, docs/internals/api-notes.md §2.3, §3)", () => {
  it("reads {error:{code,message,details}}", () => {
    expect(parseErrorBody('{"error":{"code":"InvalidResourceId","message":"Offer ID already exists."}}')).to.deep.equal(
      { code: "InvalidResourceId", message: "Offer ID already exists." },
    );
    expect(
      parseErrorBody('{"error":{"code":"ValidationFailed","message":"m","details":[{"target":"a","message":"b"}]}}')
        .details,
    ).to.deep.equal(["a: b"]);
  });
  it("reads {Message} and HTML gateway pages", () => {
    expect(parseErrorBody('{"Message":"Authorization has been denied for this request."}')).to.deep.equal({
      message: "Authorization has been denied for this request.",
    });
    expect(parseErrorBody("<html><head><title>502 Bad Gateway</title></head></html>")).to.deep.equal({
      html: true,
      message: 'an HTML page ("502 Bad Gateway")',
    });
  });
  it("maps statuses to stable codes", () => {
    expect([400, 401, 403, 404, 409, 412, 422, 429, 503, 418].map(codeForStatus)).to.deep.equal([
      "CPP_BAD_REQUEST",
      "CPP_UNAUTHORIZED",
      "CPP_FORBIDDEN",
      "CPP_NOT_FOUND",
      "CPP_CONFLICT",
      "CPP_PRECONDITION_FAILED",
      "CPP_VALIDATION_FAILED",
      "CPP_THROTTLED",
      "CPP_SERVICE_ERROR",
      "CPP_HTTP_ERROR",
    ]);
  });
  it("recognises errors by code, across package copies", () => {
    const e = new CloudPartnerError("CPP_NOT_FOUND", "x");
    expect(isCloudPartnerError(e, "CPP_NOT_FOUND")).to.equal(true);
    expect(isCloudPartnerError({ name: "CloudPartnerError", code: "CPP_NOT_FOUND" }, "CPP_NOT_FOUND")).to.equal(true);
    expect(isCloudPartnerError(new Error("x"))).to.equal(false);
  });
});

describe("redaction", () => {
  it("never lets a planted secret, token or SAS signature through", () => {
    const secret = "planted-client-secret-4f1a";
    registerSecret(secret);
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ4In0.c2lnbmF0dXJlLXBsYW50ZWQ";
        const text = `${a}client_secret=${secret}&x Bearer ${jwt} ${b} https://a.blob.core.windows.net/v/os.vhd?sp=rl&sig=PLANTEDSIG%2Bx&se=1 "client_assertion":"${jwt}" ${secret}`;
        const out = redact(text);
        expect(out).to.not.contain(secret);
        expect(out).to.not.contain("PLANTEDSIG");
        expect(out).to.not.contain("c2lnbmF0dXJlLXBsYW50ZWQ");
      }),
    );
  });
  it("is idempotent", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(redact(redact(s))).to.equal(redact(s));
      }),
    );
  });
});

describe("URL policy", () => {
  it("accepts https and loopback http only", () => {
    expect(() => assertSecureUrl("https://cloudpartner.azure.com", "endpoint")).to.not.throw();
    expect(() => assertSecureUrl("http://127.0.0.1:8080", "endpoint")).to.not.throw();
    expect(() => assertSecureUrl("http://localhost:1", "authority")).to.not.throw();
    expect(() => assertSecureUrl("http://cloudpartner.azure.com", "endpoint")).to.throw(/must use https/);
    expect(() => assertSecureUrl("http://10.0.0.1", "authority")).to.throw(/cloudpartner:authority/);
  });
});
