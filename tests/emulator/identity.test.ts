// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { createPublicKey, verify } from "node:crypto";
import { startEmulator } from "../../emulator/index.js";
import { generateSigningKey, jwks, signJwt } from "../../emulator/jwt.js";
import { rawRequest } from "../helpers/raw-http.js";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
const V = "api-version=2017-10-31";
const SCOPE = "https://cloudpartner.azure.com/.default";
const ASSERTION = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/**
 * Emulator conformance, Azure AD side: workload identity federation (a principal with a federated
 * credential exchanges its CI's OIDC token for an access token) and several tenants, each
 * principal confined to its publishers. Sections: docs/internals/api-notes.md §2.1–§2.3.
 */
describe("emulator conformance: federated credentials and tenants (docs/internals/api-notes.md §2)", function () {
  this.timeout(30_000);
  let e: Emulator;
  const T2 = "22222222-0000-0000-0000-00000000bbbb";

  const token = (tenant: string, body: Record<string, string>) =>
    fetch(`${e.authorityUrl}/${tenant}/oauth2/v2.0/token`, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "client_credentials", scope: SCOPE, ...body }),
    });
  const exchange = (clientId: string, assertion: string, tenant = e.tenantId) =>
    token(tenant, { client_id: clientId, client_assertion_type: ASSERTION, client_assertion: assertion });
  const api = (access: string, path: string) =>
    fetch(`${e.apiUrl}${path}?${V}`, { headers: { authorization: `Bearer ${access}` } });
  const refusal = async (r: Response) => ({
    status: r.status,
    ...((await r.json()) as { error: string; error_codes: number[]; error_description: string }),
  });

  before(async () => {
    e = await startEmulator({ timeScale: 1000 });
    await e.control.seed({
      publishers: [{ id: "northwind" }],
      principals: [
        {
          clientId: "ci-app",
          federated: { subject: "repo:contoso/offers:ref:refs/heads/main" },
          publishers: ["contoso"],
        },
        {
          clientId: "gh-app",
          federated: {
            issuer: "https://token.actions.githubusercontent.com",
            subject: "repo:contoso/offers:ref:refs/heads/main",
          },
          publishers: ["contoso"],
        },
        { clientId: "aud-app", federated: { subject: "pipeline", audience: "api://custom" }, publishers: ["contoso"] },
        { clientId: "other-tenant", tenantId: T2, clientSecret: "s2", publishers: ["northwind"] },
      ],
    });
  });
  after(() => e.close());

  describe("§2.1 workload identity federation", () => {
    it("§2.1 the emulator is an OIDC issuer: discovery document and JWKS at `${apiUrl}/_oidc`, its tokens verify with them", async () => {
      const config = (await (await fetch(`${e.oidcIssuer}/.well-known/openid-configuration`)).json()) as {
        issuer: string;
        jwks_uri: string;
      };
      expect(config.issuer).to.equal(e.oidcIssuer);
      expect(config.issuer).to.equal(`${e.apiUrl}/_oidc`);
      const set = (await (await fetch(config.jwks_uri)).json()) as { keys: Array<Record<string, unknown>> };
      const minted = await e.control.federatedToken({ subject: "repo:contoso/offers:ref:refs/heads/main" });
      expect(minted.issuer).to.equal(e.oidcIssuer);
      expect(await e.control.federatedIssuer()).to.equal(e.oidcIssuer);
      const [h, p, s] = minted.token.split(".");
      const claims = JSON.parse(Buffer.from(p, "base64url").toString());
      expect(claims).to.include({
        iss: e.oidcIssuer,
        sub: "repo:contoso/offers:ref:refs/heads/main",
        aud: "api://AzureADTokenExchange",
      });
      const key = createPublicKey({ key: set.keys[0] as never, format: "jwk" });
      expect(verify("sha256", Buffer.from(`${h}.${p}`), key, Buffer.from(s, "base64url"))).to.equal(true);
      // The oracle can fail: the AAD token key is another key, which does not verify it.
      const aadKeys = (await (await fetch(`${e.authorityUrl}/${e.tenantId}/discovery/v2.0/keys`)).json()) as typeof set;
      expect(
        verify(
          "sha256",
          Buffer.from(`${h}.${p}`),
          createPublicKey({ key: aadKeys.keys[0] as never, format: "jwk" }),
          Buffer.from(s, "base64url"),
        ),
      ).to.equal(false);
    });

    it("§2.1 a federated assertion from the configured issuer, subject and audience is exchanged for a CPP token that works on its publisher", async () => {
      const { token: assertion } = await e.control.federatedToken({
        subject: "repo:contoso/offers:ref:refs/heads/main",
      });
      const r = await exchange("ci-app", assertion);
      expect(r.status).to.equal(200);
      const access = ((await r.json()) as { access_token: string }).access_token;
      expect((await api(access, "/api/publishers/contoso/offers")).status).to.equal(200);
      expect((await api(access, "/api/publishers/fabrikam/offers")).status).to.equal(403);
      const log = await e.control.requests();
      expect(log.filter((l) => l.kind === "aad").at(-1)).to.include({ status: 200, clientId: "ci-app" });
    });

    it("§2.1 a federated credential with its own audience accepts that audience", async () => {
      const { token: assertion } = await e.control.federatedToken({ subject: "pipeline", audience: "api://custom" });
      expect((await exchange("aud-app", assertion)).status).to.equal(200);
    });

    it("§2.1 an external issuer's assertion is verified against the JWKS seeded for it", async () => {
      const key = generateSigningKey();
      const issuer = "https://vstoken.dev.azure.com/0000";
      await e.control.seed({
        principals: [
          {
            clientId: "ado-app",
            federated: { issuer, subject: "sc://org/project/conn", jwks: jwks(key) },
            publishers: ["contoso"],
          },
        ],
      });
      const now = Math.floor(Date.now() / 1000);
      const claims = {
        iss: issuer,
        sub: "sc://org/project/conn",
        aud: "api://AzureADTokenExchange",
        iat: now,
        nbf: now,
        exp: now + 300,
      };
      expect((await exchange("ado-app", signJwt(claims, key))).status).to.equal(200);
      const forged = await refusal(await exchange("ado-app", signJwt(claims, generateSigningKey())));
      expect([forged.status, forged.error, forged.error_codes]).to.deep.equal([401, "invalid_client", [700027]]);
    });

    it("§2.1 refusals in Azure AD's shape: wrong issuer AADSTS700211, wrong subject AADSTS700213, wrong audience AADSTS700212, expired AADSTS700024", async () => {
      const own = (subject: string, extra: { audience?: string; expiresInSeconds?: number } = {}) =>
        e.control.federatedToken({ subject, ...extra }).then((m) => m.token);
      const issuer = await refusal(await exchange("gh-app", await own("repo:contoso/offers:ref:refs/heads/main")));
      expect([issuer.status, issuer.error, issuer.error_codes]).to.deep.equal([401, "invalid_client", [700211]]);
      expect(issuer.error_description).to.match(
        /^AADSTS700211: No matching federated identity record found for presented assertion issuer '.*\/_oidc'/,
      );
      const subject = await refusal(await exchange("ci-app", await own("repo:contoso/offers:pull_request")));
      expect([subject.status, subject.error, subject.error_codes]).to.deep.equal([401, "invalid_client", [700213]]);
      expect(subject.error_description).to.include("presented assertion subject 'repo:contoso/offers:pull_request'");
      const audience = await refusal(
        await exchange("ci-app", await own("repo:contoso/offers:ref:refs/heads/main", { audience: "api://elsewhere" })),
      );
      expect([audience.status, audience.error, audience.error_codes]).to.deep.equal([401, "invalid_client", [700212]]);
      const expired = await refusal(
        await exchange("ci-app", await own("repo:contoso/offers:ref:refs/heads/main", { expiresInSeconds: -60 })),
      );
      expect([expired.status, expired.error, expired.error_codes]).to.deep.equal([401, "invalid_client", [700024]]);
      expect(expired.error_description).to.match(/^AADSTS700024: Client assertion is not within its valid time range/);
      for (const body of [issuer, subject, audience, expired])
        expect(body).to.have.keys(
          "status",
          "error",
          "error_description",
          "error_codes",
          "timestamp",
          "trace_id",
          "correlation_id",
        );
    });

    it("§2.1 a malformed assertion → 400 invalid_request; a wrong assertion type → 400 invalid_request", async () => {
      const bad = await refusal(await exchange("ci-app", "not.a.jwt"));
      expect([bad.status, bad.error]).to.deep.equal([400, "invalid_request"]);
      const { token: assertion } = await e.control.federatedToken({
        subject: "repo:contoso/offers:ref:refs/heads/main",
      });
      const type = await refusal(
        await token(e.tenantId, {
          client_id: "ci-app",
          client_assertion_type: "urn:other",
          client_assertion: assertion,
        }),
      );
      expect([type.status, type.error]).to.deep.equal([400, "invalid_request"]);
    });

    it("§2.1 a federated token minted through another host name carries that host's issuer (the Host header decides)", async () => {
      const port = new URL(e.apiUrl).port;
      const r = await rawRequest(e.apiUrl, {
        method: "POST",
        path: "/_emulator/federated-token",
        headers: { "content-type": "application/json", host: `localhost:${port}` },
        body: JSON.stringify({ subject: "x" }),
      });
      expect(JSON.parse(r.body).issuer).to.equal(`http://localhost:${port}/_oidc`);
    });

    it("control: minting refuses a missing subject and a non-numeric lifetime (400)", async () => {
      for (const body of [
        {},
        { subject: "" },
        { subject: "s", expiresInSeconds: "soon" },
        { subject: "s", audience: 3 },
      ]) {
        const r = await fetch(`${e.controlUrl}/federated-token`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        });
        expect(r.status, JSON.stringify(body)).to.equal(400);
      }
    });
  });

  describe("§2.2–§2.3 several tenants", () => {
    it("§2.2 a second tenant is known once seeded with a principal: its OpenID configuration and token endpoint answer", async () => {
      const config = await fetch(`${e.authorityUrl}/${T2}/v2.0/.well-known/openid-configuration`);
      expect(config.status).to.equal(200);
      expect(((await config.json()) as { token_endpoint: string }).token_endpoint).to.equal(
        `${e.authorityUrl}/${T2}/oauth2/v2.0/token`,
      );
      expect((await token(T2, { client_id: "other-tenant", client_secret: "s2" })).status).to.equal(200);
      const unknown = await refusal(
        await token("33333333-0000-0000-0000-00000000cccc", { client_id: "other-tenant", client_secret: "s2" }),
      );
      expect([unknown.status, unknown.error_codes]).to.deep.equal([400, [90002]]);
    });

    it("§2.2 a tenant seeded without principals is known; a principal is found only in its own tenant (AADSTS700016 elsewhere)", async () => {
      const T3 = "44444444-0000-0000-0000-00000000dddd";
      await e.control.seed({ tenants: [T3] });
      expect((await fetch(`${e.authorityUrl}/${T3}/v2.0/.well-known/openid-configuration`)).status).to.equal(200);
      const wrongTenant = await refusal(await token(e.tenantId, { client_id: "other-tenant", client_secret: "s2" }));
      expect(wrongTenant.error_codes).to.deep.equal([700016]);
    });

    it("§2.3 each tenant's principal gets 403 on the other's publisher and 200 on its own", async () => {
      const t1 = (
        (await (await token(e.tenantId, { client_id: e.clientId, client_secret: e.clientSecret })).json()) as {
          access_token: string;
        }
      ).access_token;
      const t2 = (
        (await (await token(T2, { client_id: "other-tenant", client_secret: "s2" })).json()) as { access_token: string }
      ).access_token;
      expect((await api(t1, "/api/publishers/contoso/offers")).status).to.equal(200);
      expect((await api(t1, "/api/publishers/northwind/offers")).status).to.equal(403);
      expect((await api(t2, "/api/publishers/northwind/offers")).status).to.equal(200);
      const refused = await api(t2, "/api/publishers/contoso/offers");
      expect(refused.status).to.equal(403);
      expect(((await refused.json()) as { error: { message: string } }).error.message).to.match(
        /other-tenant.*'contoso'/,
      );
      expect(
        ((await (await api(t2, "/api/publishers")).json()) as Array<{ id: string }>).map((p) => p.id),
      ).to.deep.equal(["northwind"]);
    });

    it("control: a bad seed is refused whole (400) and changes nothing", async () => {
      const before = await e.control.seed({});
      const r = await fetch(`${e.controlUrl}/seed`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          publishers: [{ id: "newpub" }],
          principals: [{ clientId: "x", federated: { issuer: "https://i" }, publishers: [] }],
        }),
      });
      expect(r.status).to.equal(400);
      expect(((await r.json()) as { error: string }).error).to.match(/federated\.subject/);
      expect(await e.control.seed({})).to.deep.equal(before);
    });
  });
});
