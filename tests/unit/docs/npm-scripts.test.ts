// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

const repo = resolve(__dirname, "..", "..", "..", "..");

/**
 * The Markdown files a contributor or a user reads: the root's (not the changelog, which is
 * history and names scripts since removed), and those of docs/, bench/ and examples/.
 */
function markdownFiles(): string[] {
  const root = readdirSync(repo).filter((f) => f.endsWith(".md") && f !== "CHANGELOG.md");
  const under = ["docs", "bench", "examples"].flatMap((dir) =>
    readdirSync(join(repo, dir), { recursive: true })
      .map((f) => join(dir, String(f)))
      .filter((f) => f.endsWith(".md") && !f.split(sep).includes("node_modules")),
  );
  return [...root, ...under].map((f) => join(repo, f));
}

/** The scripts of the package.json nearest above `file` (an example's own, else the root's). */
function scriptsFor(file: string): string[] {
  for (let dir = dirname(file); dir.startsWith(repo); dir = dirname(dir)) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg))
      return Object.keys((JSON.parse(readFileSync(pkg, "utf8")) as { scripts?: object }).scripts ?? {});
  }
  return [];
}

/** Every `npm run <script>` a Markdown text names (in code spans and blocks alike). */
function npmRunScripts(text: string): string[] {
  return [...text.matchAll(/npm run (?:-s |--silent )?([a-z](?:[\w:-]*\w)?)/g)].map((m) => m[1]);
}

describe("docs: every npm run command they give exists", () => {
  it("finds the script names in a text, with or without -s", () => {
    expect(npmRunScripts("run `npm run bench`, then `npm run -s bench:render`; npm run bench:profile: ")).to.deep.equal(
      ["bench", "bench:render", "bench:profile"],
    );
  });

  it("each is a script of the package.json nearest the file (an example's own, else the root's)", () => {
    const missing = markdownFiles().flatMap((file) =>
      npmRunScripts(readFileSync(file, "utf8"))
        .filter((s) => !scriptsFor(file).includes(s))
        .map((s) => `${relative(repo, file)}: npm run ${s}`),
    );
    expect(missing).to.deep.equal([]);
  });
});
