// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startEmulator } from "../../emulator/index.js";
import { CloudPartnerClient, redact } from "../../provider/client/index.js";
import { scratchDir } from "../helpers/scratch.js";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
const SUBJECT = "repo:contoso/offers:ref:refs/heads/main";

/**
 * Workload identity federation over loopback: msal-node exchanges the token file's content (the
 * emulator is the OIDC issuer) for an access token, reading the file on every token request.
 */
describe("client: federated credential (workload identity federation)", function () {
  this.timeout(60_000);
  let emulator: Emulator;
  let dir: string;
  let n = 0;

  /** A client whose principal `clientId` presents the token file `file`. */
  const clientOf = (clientId: string, file: string) =>
    new CloudPartnerClient({
      credential: { tenantId: emulator.tenantId, clientId, federatedTokenFile: file, authority: emulator.authorityUrl },
      endpoint: emulator.apiUrl,
      sleep: async () => undefined,
    });
  /** Writes a token file (a fresh path each time, so msal's per-credential cache starts empty). */
  const tokenFile = (token: string) => {
    const file = join(dir, `token-${++n}`);
    writeFileSync(file, `${token}\n`);
    return file;
  };
  const mint = async (o: { subject?: string; audience?: string; expiresInSeconds?: number } = {}) =>
    (await emulator.control.federatedToken({ subject: SUBJECT, ...o })).token;
  /** A refusal, with the checks every refusal shares: clear code, the assertion nowhere. */
  const refusal = async (clientId: string, token: string) => {
    const e = await clientOf(clientId, tokenFile(token))
      .listPublishers()
      .catch((x) => x);
    expect(e.name).to.equal("CloudPartnerError");
    expect(e.code).to.equal("CPP_AUTH_FAILED");
    expect(`${e.message}\n${e.stack}\n${e.fix}`).to.not.contain(token);
    expect(e.message).to.contain(`client ${clientId}`);
    return e;
  };

  before(async () => {
    emulator = await startEmulator({ timeScale: 1000 });
    dir = scratchDir("federated");
  });
  after(() => emulator.close());
  beforeEach(async () => {
    await emulator.control.reset();
    await emulator.control.seed({
      principals: [
        { clientId: "ci-app", federated: { subject: SUBJECT }, publishers: ["contoso"] },
        {
          clientId: "gh-app",
          federated: { issuer: "https://token.actions.githubusercontent.com", subject: SUBJECT },
          publishers: ["contoso"],
        },
      ],
    });
  });

  it("a good assertion gets a token and calls the API; the token file is read on each token request (rotation)", async () => {
    const file = tokenFile(await mint());
    const client = clientOf("ci-app", file);
    expect((await client.listPublishers()).map((p) => p.id)).to.deep.equal(["contoso"]);
    const aad = (await emulator.control.requests()).filter((r) => r.kind === "aad" && r.method === "POST");
    expect(aad.map((r) => [r.status, r.clientId])).to.deep.equal([[200, "ci-app"]]);
    // The CI rotates the file: a 401 makes the client fetch a new token, which must come from the
    // file's new content. A stale (expired) token in the file is refused; the fresh one works.
    writeFileSync(file, await mint({ expiresInSeconds: -120 }));
    await emulator.control.injectFault({ method: "GET", path: "/api/publishers", status: 401, count: 1 });
    const stale = await client.listPublishers().catch((x) => x);
    expect(stale.code).to.equal("CPP_AUTH_FAILED");
    expect(stale.message).to.match(/AADSTS700024/);
    writeFileSync(file, await mint());
    await emulator.control.injectFault({ method: "GET", path: "/api/publishers", status: 401, count: 1 });
    expect((await client.listPublishers()).map((p) => p.id)).to.deep.equal(["contoso"]);
    const posts = (await emulator.control.requests()).filter((r) => r.kind === "aad" && r.method === "POST");
    expect(posts.map((r) => r.status)).to.deep.equal([200, 401, 200]);
  });

  it("wrong issuer: AADSTS700211, and the fix names the federated credential's issuer", async () => {
    const e = await refusal("gh-app", await mint());
    expect(e.message).to.match(/AADSTS700211/);
    expect(e.fix)
      .to.match(/issuer is not the issuer of the app's federated credential/)
      .and.match(/cloudpartner:federatedTokenFile/);
  });

  it("wrong subject: AADSTS700213, and the fix names the Subject identifier", async () => {
    const e = await refusal("ci-app", await mint({ subject: "repo:contoso/offers:pull_request" }));
    expect(e.message).to.match(/AADSTS700213/);
    expect(e.fix)
      .to.match(/Subject identifier/)
      .and.match(/repo:<owner>\/<repo>:environment:<environment>/);
  });

  it("wrong audience: AADSTS700212, and the fix names api://AzureADTokenExchange", async () => {
    const e = await refusal("ci-app", await mint({ audience: "api://somewhere-else" }));
    expect(e.message).to.match(/AADSTS700212/);
    expect(e.fix)
      .to.match(/Audience/)
      .and.match(/api:\/\/AzureADTokenExchange/);
  });

  it("expired assertion: AADSTS700024, and the fix says to request a fresh token", async () => {
    const e = await refusal("ci-app", await mint({ expiresInSeconds: -60 }));
    expect(e.message).to.match(/AADSTS700024/);
    expect(e.fix)
      .to.match(/expired/)
      .and.match(/fresh token/);
  });

  it("a missing or empty token file is a configuration error naming the key; the assertion is redacted once read", async () => {
    const missing = join(dir, "never-written");
    const e = await clientOf("ci-app", missing)
      .listPublishers()
      .catch((x) => x);
    expect(e.code).to.equal("CPP_CONFIGURATION");
    expect(e.message)
      .to.contain(missing)
      .and.contain("cloudpartner:federatedTokenFile (or AZURE_FEDERATED_TOKEN_FILE)");
    const empty = tokenFile("");
    const e2 = await clientOf("ci-app", empty)
      .listPublishers()
      .catch((x) => x);
    expect(e2.message).to.match(/is empty/);
    rmSync(empty);
    // Once read, the assertion is a registered secret: text quoting it is redacted even when it
    // is not shaped like a JWT (which redact() would catch anyway).
    const opaque = `opaque-assertion-${Date.now()}`;
    expect(redact(`leak ${opaque}`)).to.contain(opaque);
    const e3 = await clientOf("ci-app", tokenFile(opaque))
      .listPublishers()
      .catch((x) => x);
    expect(e3.code).to.equal("CPP_AUTH_FAILED");
    expect(e3.message).to.not.contain(opaque);
    expect(redact(`leak ${opaque}`)).to.equal("leak [redacted]");
  });
});
