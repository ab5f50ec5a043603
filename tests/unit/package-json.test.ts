// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "../../scripts/lib/engine-project.js";

const read = (file: string) => JSON.parse(readFileSync(join(REPO, file), "utf8"));

/** The facts package.json states, checked against the files they are about. */
describe("unit: package.json", () => {
  const pkg = read("package.json");

  it("its version is the CHANGELOG's newest, and every example depends on a range that accepts it", () => {
    const newest = /^## \[(\d+\.\d+\.\d+)\]/m.exec(readFileSync(join(REPO, "CHANGELOG.md"), "utf8"))?.[1];
    expect(newest).to.equal(pkg.version);
    const [major, minor] = pkg.version.split(".");
    for (const ex of ["vm-offer", "adopt-existing", "image-pipeline", "two-accounts"]) {
      const range = read(`examples/${ex}/package.json`).dependencies["pulumi-cloudpartner"];
      // A caret range before 1.0 accepts only its own minor version.
      expect(range, ex).to.equal(`^${major}.${minor}.0`);
    }
  });

  it("every subpath export has types for node10 resolution (typesVersions), pointing at the same file", () => {
    const subpaths = Object.keys(pkg.exports).filter((k) => k !== "." && k !== "./package.json");
    expect(Object.keys(pkg.typesVersions["*"]).sort()).to.deep.equal(subpaths.map((k) => k.slice(2)).sort());
    for (const k of subpaths) expect(pkg.typesVersions["*"][k.slice(2)], k).to.deep.equal([pkg.exports[k].types]);
  });

  it("engines says Node 22.12 (the first 22.x that require()s got, an ES module), as the set-up scripts install", () => {
    expect(pkg.engines.node).to.equal(">=22.12");
    expect(read("node_modules/got/package.json").type).to.equal("module");
    expect(readFileSync(join(REPO, "scripts", "lib", "toolchain.sh"), "utf8")).to.match(/a === 22 && b >= 12/);
  });

  it("has what a registry page shows: description, keywords, license, files", () => {
    expect(pkg.description).to.match(/Azure Marketplace/);
    expect(pkg.keywords).to.include.members(["pulumi", "azure-marketplace"]);
    expect(pkg.license).to.equal("Apache-2.0");
    expect(pkg.files).to.include.members(["dist/provider", "dist/emulator", "README.md", "CHANGELOG.md", "LICENSE"]);
  });
});
