// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";

const repo = resolve(__dirname, "..", "..", "..", "..");

/** The Markdown files a contributor or a user reads: the root's, and those of docs/, bench/ and examples/. */
function markdownFiles(): string[] {
  const out = readdirSync(repo)
    .filter((f) => f.endsWith(".md"))
    .map((f) => join(repo, f));
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (name === "node_modules") continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(".md")) out.push(path);
    }
  };
  for (const dir of ["docs", "bench", "examples"]) walk(join(repo, dir));
  return out;
}

/** Every `npm run <script>` a Markdown text names (in code spans and blocks alike). */
function npmRunScripts(text: string): string[] {
  return [...text.matchAll(/npm run (?:-s |--silent )?([a-z][\w:-]*)/g)].map((m) => m[1]);
}

describe("docs: every npm run command they give exists", () => {
  const scripts = Object.keys(
    (JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts,
  );

  it("finds the script names in a text, with or without -s", () => {
    expect(npmRunScripts("run `npm run bench`, then `npm run -s bench:render`; npm run bench:profile.")).to.deep.equal([
      "bench",
      "bench:render",
      "bench:profile",
    ]);
  });

  it("each is a script of package.json", () => {
    const missing = markdownFiles().flatMap((file) =>
      npmRunScripts(readFileSync(file, "utf8"))
        .filter((s) => !scripts.includes(s))
        .map((s) => `${relative(repo, file)}: npm run ${s}`),
    );
    expect(missing).to.deep.equal([]);
  });
});
