// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { client, configure } from "../../provider/handlers/context.js";
import { sampleDefinition } from "../helpers/offers.js";
import { rejection, startProviderEnv, type ProviderEnv } from "../helpers/provider-env.js";
import { scratchDir } from "../helpers/scratch.js";

const T2 = "22222222-0000-0000-0000-00000000bbbb";
const NORTHWIND = { clientId: "northwind-app", clientSecret: "northwind-secret-value-0001" };
const SUBJECT = "repo:contoso/offers:ref:refs/heads/main";

/**
 * Named accounts (`account` input → `cloudpartner:accounts`) and the federated credential,
 * through the provider objects the engine calls, against the emulator with two tenants.
 */
describe("provider: named accounts and the federated credential", function () {
  this.timeout(60_000);
  let env: ProviderEnv;
  let baseConfig: Record<string, string>;
  let n = 0;
  const offer = () => env.provider("offer");
  const fresh = (publisherId: string, account?: string) => ({
    publisherId,
    offerId: `acct-${++n}`,
    definition: sampleDefinition(),
    ...(account ? { account } : {}),
  });
  /** Re-configures the provider as the engine would, with the base config plus `extra`. */
  const reconfigure = (extra: Record<string, string | undefined>) => {
    const config: Record<string, string | undefined> = { ...baseConfig, ...extra };
    configure({ config: { get: (k) => config[k] } });
  };
  const accounts = () =>
    JSON.stringify({
      northwind: { tenantId: T2, clientId: NORTHWIND.clientId, clientSecret: NORTHWIND.clientSecret },
    });

  before(async () => {
    env = await startProviderEnv();
    const e = env.emulator;
    baseConfig = {
      "cloudpartner:tenantId": e.tenantId,
      "cloudpartner:clientId": e.clientId,
      "cloudpartner:clientSecret": e.clientSecret,
      "cloudpartner:endpoint": e.apiUrl,
      "cloudpartner:authority": e.authorityUrl,
      "cloudpartner:pollMinIntervalSeconds": "0.02",
      "cloudpartner:pollMaxIntervalSeconds": "0.2",
    };
  });
  after(() => env.close());
  beforeEach(async () => {
    await env.control("POST", "/seed", {
      publishers: [{ id: "northwind" }],
      principals: [
        { clientId: NORTHWIND.clientId, tenantId: T2, clientSecret: NORTHWIND.clientSecret, publishers: ["northwind"] },
        { clientId: "ci-app", federated: { subject: SUBJECT }, publishers: ["contoso"] },
      ],
    });
    reconfigure({ "cloudpartner:accounts": accounts() });
    await env.clearLog();
  });

  it("an account selects its credential set: each offer is written by its own principal in its own tenant", async () => {
    const own = await offer().check({}, fresh("contoso"));
    const other = await offer().check({}, fresh("northwind", "northwind"));
    expect([own.failures, other.failures]).to.deep.equal([undefined, undefined]);
    await offer().create(own.inputs);
    const created = await offer().create(other.inputs);
    expect(created.outs.account).to.equal("northwind");
    const puts = (await env.requests()).filter((r) => r.method === "PUT") as Array<{
      path: string;
      clientId?: string;
      status: number;
    }>;
    expect(puts.map((r) => [r.path.split("/")[3], r.clientId, r.status])).to.deep.equal([
      ["contoso", env.emulator.clientId, 201],
      ["northwind", NORTHWIND.clientId, 201],
    ]);
    // Refresh and delete use the account stored with the resource.
    const read = await offer().read(created.id, created.outs);
    expect(read.props.account).to.equal("northwind");
    expect((await env.emulator.control.offer("northwind", other.inputs.offerId)).draft.id).to.equal(
      other.inputs.offerId,
    );
  });

  it("each principal is refused (403) on the other's publisher, and the error says how to register it", async () => {
    const wrong = await rejection(offer().create((await offer().check({}, fresh("contoso", "northwind"))).inputs));
    expect(wrong.message)
      .to.match(/HTTP 403/)
      .and.match(/add the application to the Partner Center account that owns publisher "contoso"/);
    const wrong2 = await rejection(offer().create((await offer().check({}, fresh("northwind"))).inputs));
    expect(wrong2.message)
      .to.match(/HTTP 403/)
      .and.match(/publisher "northwind"/);
  });

  it("one client per account per process: kept by a configure() that leaves its settings alone, built anew when they change", () => {
    expect(client("northwind")).to.equal(client("northwind"));
    expect(client("northwind")).to.not.equal(client());
    const before = client("northwind");
    const own = client();
    // The engine's Node host configures each resource type's provider once, with the same config.
    reconfigure({ "cloudpartner:accounts": accounts() });
    expect(client("northwind")).to.equal(before);
    expect(client()).to.equal(own);
    reconfigure({ "cloudpartner:accounts": accounts().replace(NORTHWIND.clientSecret, "rotated-secret-value-0002") });
    expect(client("northwind")).to.not.equal(before);
    expect(client()).to.equal(own);
    reconfigure({ "cloudpartner:accounts": accounts(), "cloudpartner:maxRetries": "2" });
    expect(client()).to.not.equal(own);
  });

  it("check fails an unknown account name, naming cloudpartner:accounts, before any request", async () => {
    const r = await offer().check({}, fresh("contoso", "nothwind"));
    expect(r.failures).to.deep.equal([
      {
        property: "account",
        reason:
          'account "nothwind" is not in cloudpartner:accounts (configured: northwind); fix the account name or add the account to cloudpartner:accounts',
      },
    ]);
    for (const kind of ["offerPublish", "vmPricing"] as const) {
      const inputs =
        kind === "offerPublish"
          ? { publisherId: "contoso", offerId: "x", target: "preview", account: "nothwind" }
          : { publisherId: "contoso", offerId: "x", planId: "byol", pricing: { kind: "byol" }, account: "nothwind" };
      expect((await env.provider(kind).check({}, inputs)).failures?.map((f: any) => f.property)).to.deep.equal([
        "account",
      ]);
    }
    expect((await offer().check({}, { ...fresh("contoso"), account: 7 })).failures?.[0].reason).to.match(
      /account must be the name of a credential set/,
    );
    reconfigure({ "cloudpartner:accounts": undefined });
    expect((await offer().check({}, fresh("contoso", "northwind"))).failures?.[0].reason).to.match(
      /cloudpartner:accounts is not set/,
    );
    expect(await env.requests({ includeAad: true })).to.deep.equal([]);
  });

  it("at first use: an unknown account, bad JSON or a missing key is a configuration error naming the key, never quoting secrets", async () => {
    const unknown = await rejection(offer().create(fresh("contoso", "ghost")));
    expect(unknown.message).to.match(/account "ghost" is not in cloudpartner:accounts \(configured: northwind\)/);
    reconfigure({ "cloudpartner:accounts": `{"northwind": {"clientSecret": "${NORTHWIND.clientSecret}",` });
    const bad = await rejection(offer().create(fresh("northwind", "northwind")));
    expect(bad.message).to.match(/cloudpartner:accounts is not valid JSON/);
    expect(bad.message).to.not.contain(NORTHWIND.clientSecret);
    reconfigure({
      "cloudpartner:accounts": JSON.stringify({ northwind: { tenantId: T2, clientSecret: "x-secret-value" } }),
    });
    const missing = await rejection(offer().create(fresh("northwind", "northwind")));
    expect(missing.message).to.contain(
      "pulumi config set --path 'cloudpartner:accounts.northwind.clientId' <application id>",
    );
    expect(missing.message).to.not.contain("AZURE_CLIENT_ID");
    reconfigure({
      "cloudpartner:accounts": JSON.stringify({ northwind: { tenantId: T2, clientId: "a", clientScret: "typo" } }),
    });
    expect((await rejection(offer().create(fresh("northwind", "northwind")))).message).to.match(
      /cloudpartner:accounts\.northwind\.clientScret is not a setting of an account/,
    );
  });

  it("federated credential from cloudpartner:federatedTokenFile, and from AZURE_FEDERATED_TOKEN_FILE with AZURE_TENANT_ID/AZURE_CLIENT_ID", async () => {
    const dir = scratchDir("provider-federated");
    const file = join(dir, "token");
    writeFileSync(file, (await env.emulator.control.federatedToken({ subject: SUBJECT })).token);
    reconfigure({
      "cloudpartner:clientId": "ci-app",
      "cloudpartner:clientSecret": undefined,
      "cloudpartner:federatedTokenFile": file,
    });
    const created = await offer().create((await offer().check({}, fresh("contoso"))).inputs);
    expect(created.outs.status).to.equal("neverPublished");
    const saved = { ...process.env };
    try {
      Object.assign(process.env, {
        AZURE_TENANT_ID: env.emulator.tenantId,
        AZURE_CLIENT_ID: "ci-app",
        AZURE_FEDERATED_TOKEN_FILE: file,
      });
      reconfigure({
        "cloudpartner:tenantId": undefined,
        "cloudpartner:clientId": undefined,
        "cloudpartner:clientSecret": undefined,
      });
      await offer().create((await offer().check({}, fresh("contoso"))).inputs);
      const puts = (await env.requests()).filter((r) => r.method === "PUT") as Array<{ clientId?: string }>;
      expect(puts.map((r) => r.clientId)).to.deep.equal(["ci-app", "ci-app"]);
      process.env.AZURE_FEDERATED_TOKEN_FILE = join(dir, "missing");
      reconfigure({
        "cloudpartner:tenantId": undefined,
        "cloudpartner:clientId": undefined,
        "cloudpartner:clientSecret": undefined,
      });
      const e = await rejection(offer().create(fresh("contoso")));
      expect(e.message).to.match(
        /cannot read the federated token file .*missing \(ENOENT\); fix cloudpartner:federatedTokenFile \(or AZURE_FEDERATED_TOKEN_FILE\)/,
      );
    } finally {
      for (const k of ["AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_FEDERATED_TOKEN_FILE"])
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
    }
  });

  it("with no credential at all the message lists the federated token file among the ways to sign in", async () => {
    reconfigure({ "cloudpartner:clientSecret": undefined });
    const e = await rejection(offer().create(fresh("contoso")));
    expect(e.message).to.match(
      /cloudpartner:clientCertificatePath or cloudpartner:federatedTokenFile \(or AZURE_CLIENT_CERTIFICATE_PATH \/ AZURE_FEDERATED_TOKEN_FILE\)/,
    );
  });
});
