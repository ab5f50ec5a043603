// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { scratchProject } from "../helpers/engine.js";
import { typecheck } from "../helpers/typecheck.js";

/** A consumer of every public entry point, typed through each. */
const CONSUMER = `
import { Offer, OfferPublish, type OfferDefinition } from "pulumi-cloudpartner";
import { CloudPartnerClient, ERROR_CODES } from "pulumi-cloudpartner/client";
import { PiaClient, type PiaJobStatus } from "pulumi-cloudpartner/pia";
import { startEmulator } from "pulumi-cloudpartner/emulator";
declare const definition: OfferDefinition;
const offer = new Offer("o", { publisherId: "c", offerId: "o", definition });
new OfferPublish("p", { publisherId: "c", offerId: offer.offerId, target: "preview" });
const codes: readonly string[] = ERROR_CODES;
declare const job: PiaJobStatus;
const jobId: string = job.jobId;
export { CloudPartnerClient, codes, jobId, PiaClient, startEmulator };
`;

/** The settings users' projects have: Node 16+ resolution, bundlers, and `node` (pulumi new's templates). */
const SETTINGS: Record<string, Record<string, unknown>> = {
  node16: { module: "node16", moduleResolution: "node16" },
  bundler: { module: "preserve", moduleResolution: "bundler" },
  // Deprecated by TypeScript 6 but what older templates write: TypeScript 5 accepts it silently.
  node10: { module: "commonjs", moduleResolution: "node10", ignoreDeprecations: "6.0" },
};

/**
 * The packed package's entry points (`.`, `./client`, `./pia`, `./emulator`) resolve, with their types,
 * under every `moduleResolution` a user's tsconfig may have: `exports` for node16 and bundler,
 * `typesVersions` for node10, which ignores `exports`.
 */
describe("package: entry points resolve under node16, bundler and node10 resolution", function () {
  this.timeout(300_000);
  for (const [name, options] of Object.entries(SETTINGS)) {
    it(`moduleResolution ${name}`, () => {
      // Inside the project that has the packed package installed, as a user's program is.
      const dir = mkdtempSync(join(scratchProject(), `resolution-${name}-`));
      const result = typecheck(dir, { "consumer.ts": CONSUMER }, options);
      expect(result.ok, result.output).to.equal(true);
    });
  }

  it("the check can fail: a subpath that is not exported does not resolve", () => {
    const dir = mkdtempSync(join(scratchProject(), "resolution-bad-"));
    const result = typecheck(dir, { "consumer.ts": 'import { nothing } from "pulumi-cloudpartner/nowhere";\n' });
    expect(result.ok).to.equal(false);
    expect(result.output).to.match(/pulumi-cloudpartner\/nowhere/);
  });
});
