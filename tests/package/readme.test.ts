// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "../../scripts/lib/engine-project.js";
import { scratchProject } from "../helpers/engine.js";
import { tsBlocks } from "../helpers/markdown.js";
import { typecheck } from "../helpers/typecheck.js";

/** The user documents whose TypeScript blocks are checked: README.md and docs/ but its internals. */
const DOCUMENTS = [
  "README.md",
  ...readdirSync(join(REPO, "docs"), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith(".md") && !f.startsWith("internals"))
    .map((f) => join("docs", f))
    .sort(),
];

/**
 * Every TypeScript block of README.md and of the user docs is complete (no undefined names, no
 * elided parts) and compiles against the package as users install it: the packed tarball in a
 * scratch project, strict tsc. Blocks are self-contained: each is checked as its own module.
 */
describe("package: the TypeScript blocks of README.md and the user docs", function () {
  this.timeout(300_000);
  const blocks = DOCUMENTS.flatMap((doc) =>
    tsBlocks(readFileSync(join(REPO, doc), "utf8")).map((b) => ({ ...b, doc })),
  );
  // A failure names the document and its line through the file name (README.md-line-N.ts).
  const file = (b: { line: number; doc: string }) => `${b.doc.replace(/\W+/g, "-")}-line-${b.line}.ts`;

  it("the TypeScript blocks of README.md and docs/ are complete and compile", () => {
    for (const doc of ["README.md", "docs/reference/offer.md", "docs/guides/pipelines-and-going-live.md"])
      expect(
        blocks.some((b) => b.doc === doc),
        doc,
      ).to.equal(true);
    expect(blocks.length).to.be.greaterThan(0);
    const dir = scratchProject();
    const result = typecheck(dir, Object.fromEntries(blocks.map((b) => [file(b), b.code])));
    expect(result.ok, result.output).to.equal(true);
  });

  it("the check fails on an incomplete block (an undefined name, a wrong input type)", () => {
    const crafted = tsBlocks(
      [
        "```ts",
        'import { Offer } from "pulumi-cloudpartner";',
        'new Offer("appliance", { publisherId: "contoso", offerId: "contoso-appliance", definition });',
        "```",
        "```ts",
        'import { VmPricing } from "pulumi-cloudpartner";',
        'new VmPricing("p", { publisherId: "contoso", offerId: "o", planId: "x", pricing: { kind: "perCore" } });',
        "```",
      ].join("\n"),
    );
    expect(crafted.map((b) => b.line)).to.deep.equal([2, 6]);
    const result = typecheck(
      scratchProject(),
      Object.fromEntries(crafted.map((b) => [`crafted-${b.line}.ts`, b.code])),
    );
    expect(result.ok).to.equal(false);
    expect(result.output).to.match(/crafted-2\.ts.*'definition'/);
    expect(result.output).to.match(/crafted-6\.ts/);
  });
});
