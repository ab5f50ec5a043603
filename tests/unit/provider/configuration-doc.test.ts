// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { accountNames, CONFIG_NAMESPACE, resolveSettings } from "../../../provider/handlers/settings.js";
import { REPO } from "../../../scripts/lib/engine-project.js";

/** The `cloudpartner:` keys the provider asks the stack config for, across ways of configuring it. */
function keysRead(): Set<string> {
  const asked = new Set<string>();
  const run = (config: Record<string, string>) => {
    const get = (key: string) => {
      const name = key.replace(`${CONFIG_NAMESPACE}:`, "");
      asked.add(name);
      return config[name];
    };
    try {
      resolveSettings(get, {});
    } catch {
      /* an incomplete credential still asks for its keys */
    }
    accountNames(get);
  };
  const pem = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ type: "pkcs8", format: "pem" });
  const ids = { tenantId: "t", clientId: "c" };
  run({}); // no credential: each kind of credential is looked for
  run({ ...ids, clientSecret: "s" }); // a complete credential: every other setting is read
  run({ ...ids, clientCertificatePem: String(pem) }); // a key without its certificate: the thumbprints
  return asked;
}

/** The keys docs/configuration.md documents: the backticked names of its first table's first column. */
function keysDocumented(markdown: string): Set<string> {
  const rows = markdown.split("\n").filter((l) => /^\| `/.test(l));
  return new Set(rows.flatMap((r) => [...r.split("|")[1].matchAll(/`([A-Za-z][A-Za-z0-9]*)`/g)].map((m) => m[1])));
}

describe("docs/configuration.md: every config key the provider reads, and no other", () => {
  const doc = readFileSync(join(REPO, "docs", "configuration.md"), "utf8");

  it("documents exactly the keys read", () => {
    const read = keysRead();
    expect(read.size).to.be.greaterThan(15);
    expect([...keysDocumented(doc)].sort()).to.deep.equal([...read].sort());
  });

  it("the check fails on a key left out or one that is not read", () => {
    const without = doc.replace(/^\| `readReuseSeconds`.*$/m, "");
    expect([...keysDocumented(without)]).to.not.include("readReuseSeconds");
    expect(keysRead()).to.include("readReuseSeconds");
    expect([...keysDocumented(`${doc}\n| \`notAKey\` | — | — | x |`)]).to.include("notAKey");
  });
});
