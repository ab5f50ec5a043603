// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { REPO } from "../../../scripts/lib/engine-project.js";

/** Each resource class and the reference page that documents it. */
const PAGES = [
  { source: "offer.ts", args: "OfferArgs", page: "offer.md" },
  { source: "offer-publish.ts", args: "OfferPublishArgs", page: "offer-publish.md" },
  { source: "vm-pricing.ts", args: "VmPricingArgs", page: "vm-pricing.md" },
  { source: "vm-image-version.ts", args: "VmImageVersionArgs", page: "vm-image-version.md" },
];

/** The class's declared outputs and its arguments interface's members, read with the compiler's parser. */
function declared(file: string, argsName: string): { outputs: string[]; args: string[] } {
  const text = readFileSync(join(REPO, "provider", "resources", file), "utf8");
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const outputs: string[] = [];
  const args: string[] = [];
  const name = (m: ts.ClassElement | ts.TypeElement) => (m.name && ts.isIdentifier(m.name) ? m.name.text : "");
  sf.forEachChild((node) => {
    if (ts.isClassDeclaration(node))
      for (const m of node.members)
        if (ts.isPropertyDeclaration(m) && m.modifiers?.some((x) => x.kind === ts.SyntaxKind.DeclareKeyword))
          outputs.push(name(m));
    if (ts.isInterfaceDeclaration(node) && node.name.text === argsName)
      for (const m of node.members) if (ts.isPropertySignature(m)) args.push(name(m));
  });
  return { outputs: outputs.sort(), args: args.sort() };
}

/** The backticked names of the first column of the table under `## heading`. */
function documented(markdown: string, heading: string): string[] {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  if (start < 0) return [];
  const end = markdown.indexOf("\n## ", start + 4);
  const rows = markdown
    .slice(start, end < 0 ? undefined : end)
    .split("\n")
    .filter((l) => /^\| `/.test(l));
  return rows.flatMap((r) => [...r.split("|")[1].matchAll(/`([A-Za-z][A-Za-z0-9]*)`/g)].map((m) => m[1])).sort();
}

describe("docs/reference: each page lists exactly the arguments and outputs its class declares", () => {
  for (const { source, args, page } of PAGES) {
    it(`${page} ⇄ provider/resources/${source}`, () => {
      const md = readFileSync(join(REPO, "docs", "reference", page), "utf8");
      const d = declared(source, args);
      expect(d.outputs.length, "declared outputs").to.be.greaterThan(5);
      expect(documented(md, "Outputs"), "## Outputs").to.deep.equal(d.outputs);
      expect(documented(md, "Arguments"), "## Arguments").to.deep.equal(d.args);
    });
  }

  it("the check fails on an output the class does not declare, and on one left out", () => {
    const md = readFileSync(join(REPO, "docs", "reference", "offer.md"), "utf8");
    const d = declared("offer.ts", "OfferArgs");
    const extra = md.replace("\n## Outputs\n", "\n## Outputs\n\n| `secrets` | x | y |\n");
    expect(documented(extra, "Outputs")).to.not.deep.equal(d.outputs);
    const missing = md.replace(/^\| `etag` .*$/m, "");
    expect(documented(missing, "Outputs")).to.not.deep.equal(d.outputs);
  });
});
