// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import fc from "fast-check";
import { validateOfferInputs } from "../../../provider/validation/offer.js";
import { validatePricing } from "../../../provider/validation/pricing.js";
import { validatePublishInputs } from "../../../provider/validation/publish.js";
import { UNKNOWN } from "../../../provider/util/unknown.js";
import { sampleDefinition } from "../../helpers/offers.js";

const base = () => ({
  publisherId: "contoso",
  offerId: "fabrikam-appliance",
  offerTypeId: "microsoft-azure-virtualmachines",
  definition: sampleDefinition(),
});
const ns = "microsoft-azure-marketplace.";

describe("validateOfferInputs", () => {
  it("accepts a complete VM offer", () => {
    expect(validateOfferInputs(base())).to.deep.equal([]);
  });

  const table: Array<[string, (i: any) => void, string, RegExp]> = [
    [
      "offer id with upper case",
      (i) => {
        i.offerId = "Bad_Offer";
      },
      "offerId",
      /lowercase letters, digits and '-'/,
    ],
    [
      "offer id ending with '-'",
      (i) => {
        i.offerId = "offer-";
      },
      "offerId",
      /not ending with '-'/,
    ],
    [
      "offer id over 50 characters",
      (i) => {
        i.offerId = "a".repeat(51);
      },
      "offerId",
      /at most 50/,
    ],
    [
      "missing title",
      (i) => {
        delete i.definition.offer[ns + "title"];
      },
      `definition.offer["${ns}title"]`,
      /required for a VM offer/,
    ],
    [
      "summary over 100 characters",
      (i) => {
        i.definition.offer[ns + "summary"] = "x".repeat(101);
      },
      `definition.offer["${ns}summary"]`,
      /at most 100/,
    ],
    [
      "http logo",
      (i) => {
        i.definition.offer[ns + "smallLogo"] = "http://x.example/s.png";
      },
      `definition.offer["${ns}smallLogo"]`,
      /https URL/,
    ],
    [
      "duplicate plan id",
      (i) => {
        i.definition.plans[1].planId = "byol";
      },
      "definition.plans[1].planId",
      /already used by definition.plans\[0\]/,
    ],
    [
      "bad plan id",
      (i) => {
        i.definition.plans[0].planId = "Plan!";
      },
      "definition.plans[0].planId",
      /lowercase/,
    ],
    [
      "plan without regions",
      (i) => {
        delete i.definition.plans[0].regions;
      },
      "definition.plans[0].regions",
      /markets where the plan is sold/,
    ],
    [
      "lower-case market",
      (i) => {
        i.definition.plans[0].regions = ["us"];
      },
      "definition.plans[0].regions",
      /ISO 3166-1/,
    ],
    [
      "unknown category",
      (i) => {
        i.definition.offer[ns + "categoryMap"] = [{ categoryL1: "analytics" }];
      },
      `definition.offer["${ns}categoryMap"][0].categoryL1`,
      /must be one of analytics-amp/,
    ],
    [
      "wrong sub-category",
      (i) => {
        i.definition.offer[ns + "categoryMap"] = [
          { categoryL1: "networking", "categoryL2-networking": ["visualization-and-reporting"] },
        ];
      },
      `definition.offer["${ns}categoryMap"][0]["categoryL2-networking"]`,
      /firewalls/,
    ],
    [
      "non-GUID preview subscription",
      (i) => {
        i.definition.offer[ns + "allowedSubscriptions"] = ["abc"];
      },
      `definition.offer["${ns}allowedSubscriptions"]`,
      /GUIDs/,
    ],
    [
      "pricing without isByol",
      (i) => {
        i.definition.plans[0].virtualMachinePricing = { coreMultiplier: {} };
      },
      "definition.plans[0].virtualMachinePricing",
      /isByol/,
    ],
    [
      "bad disk version",
      (i) => {
        i.definition.plans[0]["microsoft-azure-virtualmachines.vmImages"] = {
          v1: { osVhdUrl: "https://x.example/a.vhd" },
        };
      },
      `definition.plans[0]["microsoft-azure-virtualmachines.vmImages"].v1`,
      /X\.Y\.Z/,
    ],
    [
      "secret in the plain definition",
      (i) => {
        i.definition.offer[ns + "tableLeadConfiguration"] = {
          storageAccountConnectionString: "DefaultEndpointsProtocol=https;AccountKey=k",
        };
      },
      `definition.offer["${ns}tableLeadConfiguration"].storageAccountConnectionString`,
      /secrets\["offer\/microsoft-azure-marketplace\.tableLeadConfiguration\/storageAccountConnectionString"\]/,
    ],
    [
      "read-only key in definition",
      (i) => {
        i.definition.status = "running";
      },
      "definition.status",
      /not part of an offer definition/,
    ],
    [
      "bad concurrency",
      (i) => {
        i.concurrency = "pessimistic";
      },
      "concurrency",
      /lastWriterWins/,
    ],
    [
      "bad secrets path",
      (i) => {
        i.secrets = { "offer/title": "x" };
      },
      `secrets["offer/title"]`,
      /secret field name/,
    ],
  ];
  for (const [name, mutate, property, reason] of table) {
    it(`rejects ${name}, naming ${property}`, () => {
      const inputs = base();
      mutate(inputs);
      const failures = validateOfferInputs(inputs);
      const hit = failures.find((f) => f.property === property);
      expect(hit, JSON.stringify(failures)).to.not.equal(undefined);
      expect(hit!.reason).to.match(reason);
    });
  }

  it("tolerates values unknown during preview anywhere", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.constantFrom(
            "publisherId",
            "offerId",
            "definition",
            "displayText",
            "offer",
            "plans",
            "title",
            "plan0",
            "regions",
          ),
        ),
        (keys) => {
          const inputs: any = base();
          for (const k of [...keys].sort((a, b) => Number(a === "definition") - Number(b === "definition"))) {
            if (typeof inputs.definition !== "object") break;
            if (k === "displayText") inputs.definition.displayText = UNKNOWN;
            else if (k === "offer") inputs.definition.offer = UNKNOWN;
            else if (k === "plans") inputs.definition.plans = UNKNOWN;
            else if (k === "title" && typeof inputs.definition.offer === "object")
              inputs.definition.offer[ns + "title"] = UNKNOWN;
            else if (k === "plan0" && Array.isArray(inputs.definition.plans)) inputs.definition.plans[0] = UNKNOWN;
            else if (
              k === "regions" &&
              Array.isArray(inputs.definition.plans) &&
              typeof inputs.definition.plans[1] === "object"
            )
              inputs.definition.plans[1].regions = UNKNOWN;
            else if (k === "definition") inputs.definition = UNKNOWN;
            else inputs[k] = UNKNOWN;
          }
          expect(validateOfferInputs(inputs)).to.deep.equal([]);
        },
      ),
    );
  });

  it("never throws on arbitrary input and always names a property", () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (definition, offerId) => {
        const failures = validateOfferInputs({ publisherId: "contoso", offerId, definition });
        for (const f of failures) {
          expect(f.property).to.be.a("string").and.not.equal("");
          expect(f.reason).to.be.a("string").and.not.equal("");
        }
      }),
    );
  });
});

describe("validatePricing", () => {
  const ok: unknown[] = [
    { kind: "byol" },
    { kind: "perCore", pricePerCoreUsd: 0.05, freeTrialMonths: 1 },
    { kind: "perCoreSize", pricesUsd: { sharedcore: 0.01, "1core": 0.02, "416core": 9 } },
    {
      kind: "perMarket",
      markets: { US: { pricePerCore: 0.05 }, GB: { pricesBySize: { "2core": 0.04 } } },
      freeTrialMonths: 3,
    },
    { kind: "spreadsheet", uri: "https://example.blob.core.windows.net/p/prices.xlsx" },
  ];
  for (const p of ok) it(`accepts ${JSON.stringify(p)}`, () => expect(validatePricing(p)).to.deep.equal([]));

  const bad: Array<[unknown, string, RegExp]> = [
    [{ kind: "free" }, "pricing.kind", /one of byol, perCore/],
    [{ kind: "byol", freeTrialMonths: 1 }, "pricing.freeTrialMonths", /no free trial/],
    [{ kind: "perCore", pricePerCoreUsd: -1 }, "pricing.pricePerCoreUsd", /non-negative/],
    [
      { kind: "perCore", pricePerCoreUsd: 1, freeTrialMonths: 2 },
      "pricing.freeTrialMonths",
      /0 \(none\), 1 \(30 days\) or 3/,
    ],
    [
      { kind: "perCoreSize", pricesUsd: { "3core": 1 } },
      `pricing.pricesUsd["3core"]`,
      /not a core size; use one of sharedcore/,
    ],
    [{ kind: "perMarket", markets: { XX: { pricePerCore: 1 } } }, "pricing.markets.XX", /no documented price currency/],
    [
      { kind: "perMarket", markets: { US: { pricePerCore: 1, pricesBySize: { "1core": 1 } } } },
      "pricing.markets.US",
      /exactly one of/,
    ],
    [{ kind: "spreadsheet", uri: "http://x.example/p.xlsx" }, "pricing.uri", /https URL/],
  ];
  for (const [p, property, reason] of bad) {
    it(`rejects ${JSON.stringify(p)} at ${property}`, () => {
      const failures = validatePricing(p);
      const hit = failures.find((f) => f.property === property);
      expect(hit, JSON.stringify(failures)).to.not.equal(undefined);
      expect(hit!.reason).to.match(reason);
    });
  }
});

describe("validatePublishInputs", () => {
  it("accepts preview and live", () => {
    expect(validatePublishInputs({ publisherId: "contoso", offerId: "o", target: "preview" })).to.deep.equal([]);
    expect(
      validatePublishInputs({
        publisherId: "contoso",
        offerId: "o",
        target: "live",
        approvedContentHash: `sha256:${"ab".repeat(32)}`,
        waitFor: "accepted",
        failOnTimeout: true,
        notificationEmails: ["a@b.example"],
        timeoutSeconds: 5,
        pollIntervalSeconds: { min: 1, max: 2 },
      }),
    ).to.deep.equal([]);
    expect(
      validatePublishInputs({ publisherId: "c", offerId: "o", target: "live", approvedContentHash: "unreviewed" }),
    ).to.deep.equal([]);
  });
  it('target live needs approvedContentHash, a content hash or "unreviewed"', () => {
    const missing = validatePublishInputs({ publisherId: "c", offerId: "o", target: "live" });
    expect(missing.map((f) => f.property)).to.deep.equal(["approvedContentHash"]);
    expect(missing[0].reason).to.match(/publishedContentHash of the preview a person reviewed.*"unreviewed"/);
    for (const bad of ["sha256:abc", "yes", 42, `SHA256:${"a".repeat(64)}`]) {
      const f = validatePublishInputs({ publisherId: "c", offerId: "o", target: "live", approvedContentHash: bad });
      expect(
        f.map((x) => x.property),
        String(bad),
      ).to.deep.equal(["approvedContentHash"]);
    }
    // Unknown during preview: not judged.
    expect(
      validatePublishInputs({ publisherId: "c", offerId: "o", target: "live", approvedContentHash: UNKNOWN }),
    ).to.deep.equal([]);
  });
  it("waitFor is one of three words, and live only with target live; failOnTimeout is a boolean", () => {
    const names = (i: Record<string, unknown>) =>
      validatePublishInputs({ publisherId: "c", offerId: "o", target: "preview", ...i }).map((f) => f.property);
    expect(names({ waitFor: "done" })).to.deep.equal(["waitFor"]);
    expect(names({ waitFor: "live" })).to.deep.equal(["waitFor"]);
    expect(names({ waitFor: "signoff" })).to.deep.equal([]);
    expect(names({ failOnTimeout: "yes" })).to.deep.equal(["failOnTimeout"]);
  });
  it("names target, e-mails, timeout and poll bounds", () => {
    const failures = validatePublishInputs({
      publisherId: "contoso",
      offerId: "o",
      target: "production",
      notificationEmails: ["nope"],
      timeoutSeconds: 0,
      pollIntervalSeconds: { min: 5, max: 1 },
    });
    expect(failures.map((f) => f.property)).to.include.members([
      "target",
      "notificationEmails[0]",
      "timeoutSeconds",
      "pollIntervalSeconds",
    ]);
  });
});
