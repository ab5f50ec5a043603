// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { scratchDir } from "../helpers/scratch.js";
import * as pulumi from "@pulumi/pulumi";
import { providerFor, type ResourceKind } from "../../provider/resources/provider.js";
import { configure } from "../../provider/handlers/context.js";

const REPO = resolve(__dirname, "..", "..", "..");

describe("provider serialisation (what lands in state as __provider)", () => {
  const planted = { env: "planted-env-secret-6c1f", config: "planted-config-secret-93ab" };
  const texts = new Map<ResourceKind, string>();
  let project: string;

  before(async function () {
    this.timeout(60_000);
    // Plant secrets where a careless provider would pick them up: env and a configured client.
    process.env.AZURE_CLIENT_SECRET = planted.env;
    configure({
      config: {
        get: (k) =>
          (
            ({
              "cloudpartner:tenantId": "t",
              "cloudpartner:clientId": "c",
              "cloudpartner:clientSecret": planted.config,
            }) as Record<string, string>
          )[k],
      },
    });
    for (const kind of ["offer", "offerPublish", "vmPricing", "vmImageVersion"] as const) {
      // Exactly what dynamic.Resource serialises: a closure returning the provider object.
      const provider = providerFor(kind);
      const s = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
      texts.set(kind, s.text);
    }
    delete process.env.AZURE_CLIENT_SECRET;
    // A user's project: the package is installed in its node_modules (here: linked to the repo).
    project = scratchDir("serialised");
    mkdirSync(join(project, "node_modules"));
    symlinkSync(REPO, join(project, "node_modules", "pulumi-cloudpartner"));
  });

  for (const kind of ["offer", "offerPublish", "vmPricing", "vmImageVersion"] as const) {
    it(`${kind}: holds no secret, token or environment value, and stays small`, () => {
      const text = texts.get(kind)!;
      expect(text).to.not.contain(planted.env);
      expect(text).to.not.contain(planted.config);
      expect(text).to.not.match(/Bearer|eyJ[A-Za-z0-9_-]{10,}/);
      expect(text).to.contain('require("pulumi-cloudpartner/handlers")');
      expect(text.length).to.be.below(4000);
    });
  }

  for (const kind of ["offer", "vmPricing"] as const) {
    it(`${kind}: loads and runs check and diff in a fresh Node process from a user's project`, function () {
      this.timeout(30_000);
      const file = join(project, `${kind}.js`);
      writeFileSync(file, texts.get(kind)!);
      const out = execFileSync(process.execPath, [join(__dirname, "fixtures", "run-serialized.js"), file, kind], {
        cwd: project,
        encoding: "utf8",
      });
      const result = JSON.parse(out.trim().split("\n").pop()!);
      expect(result.failures).to.deep.equal([]);
      expect(result.diff).to.deep.include({ changes: false, replaces: [] });
    });
  }
});
