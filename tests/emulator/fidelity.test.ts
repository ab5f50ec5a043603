// SPDX-License-Identifier: Apache-2.0
import { ConfidentialClientApplication, type INetworkModule, type NetworkResponse } from "@azure/msal-node";
import { expect } from "chai";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { FAST_TIME_SCALE } from "../../emulator/modes.js";
import { startEmulator } from "../../emulator/index.js";
import { sampleDefinition } from "../helpers/offers.js";
import { CLI_CONTRACT_KEYS, EMULATOR_CLI, startCli, stopCli } from "../helpers/emulator-cli.js";
import { rawRequest } from "../helpers/raw-http.js";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
const V = "api-version=2017-10-31";
const SCOPE = "https://cloudpartner.azure.com/.default";
const REPO = join(__dirname, "..", "..", "..");

/**
 * Emulator fidelity, round two (issue 12): each test is named after the behaviour and the
 * section of docs/internals/api-notes.md it follows, over plain HTTP(S) — no client code from provider/.
 */
describe("emulator fidelity (docs/internals/api-notes.md)", function () {
  this.timeout(60_000);
  let e: Emulator;
  let token: string;
  let n = 0;

  async function call(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; headers: Headers; json: any }> {
    const sep = path.includes("?") ? "&" : "?";
    const res = await fetch(`${e.apiUrl}${path}${path.includes("api-version") ? "" : `${sep}${V}`}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
  }
  const offerDoc = (id: string) => ({
    id,
    publisherId: "contoso",
    offerTypeId: "microsoft-azure-virtualmachines",
    definition: sampleDefinition({ pricedPlans: true }),
  });
  const create = async (migrated = false) => {
    const id = `fid-${++n}`;
    if (migrated) await e.control.seed({ offers: [{ publisherId: "contoso", offer: offerDoc(id), migrated: true }] });
    else expect((await call("PUT", `/api/publishers/contoso/offers/${id}`, offerDoc(id))).status).to.equal(201);
    return id;
  };
  const waitUntil = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 300; i++) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error("condition not reached");
  };
  /** Runs `fn` with the emulated clock at real time (operations stay running), then fast again. */
  const slowly = async (fn: () => Promise<void>) => {
    await e.control.clock({ timeScale: 1 });
    try {
      await fn();
    } finally {
      await e.control.clock({ timeScale: 100_000_000 });
    }
  };

  before(async () => {
    e = await startEmulator({ timeScale: 100_000_000 });
    const r = await fetch(`${e.authorityUrl}/${e.tenantId}/oauth2/v2.0/token`, {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: e.clientId,
        client_secret: e.clientSecret,
        scope: SCOPE,
      }),
    });
    token = ((await r.json()) as { access_token: string }).access_token;
  });
  afterEach(() =>
    e.control.setModes({
      cancelStatus: 202,
      offerStatusAtSignoff: "waitingForPublisherReview",
      absoluteLocation: false,
    }),
  );
  after(() => e.close());

  describe("cancel (docs/internals/api-notes.md §8 E11, §7.5, §9.1)", () => {
    it('§8 E11 + §7.5: after a cancel the canceled publish itself is the newest submission, submissionState "canceled" (no separate cancel entry)', () =>
      slowly(async () => {
        const id = await create();
        await call("POST", `/api/publishers/contoso/offers/${id}/publish`);
        expect((await call("POST", `/api/publishers/contoso/offers/${id}/cancel`)).status).to.equal(202);
        const subs = (await call("GET", `/api/publishers/contoso/offers/${id}/submissions/`)).json;
        expect(subs.map((s: any) => [s.submissionType, s.submissionState])).to.deep.equal([["publish", "canceled"]]);
        // What a client polling [0].submissionState waits for (docs/internals/api-notes.md §8 E11, openshift-ansible).
        expect(subs[0].submissionState).to.equal("canceled");
        expect(
          (await call("GET", `/api/publishers/contoso/offers/${id}/submissions/?status=canceled&${V}`)).json,
        ).to.have.length(1);
        expect((await e.control.operations()).filter((o) => o.offerId === id).map((o) => o.type)).to.deep.equal([
          "publish",
        ]);
      }));

    it("§9.1 + §9.3: cancel's Location on a non-migrated offer is /api/operations/{pub}${offer}$n$preview (the GUID form on a migrated one)", () =>
      slowly(async () => {
        const id = await create();
        await call("POST", `/api/publishers/contoso/offers/${id}/publish`);
        const c = await call("POST", `/api/publishers/contoso/offers/${id}/cancel`);
        expect(c.headers.get("location")).to.equal(`/api/operations/contoso$${id}$2$preview?${V}`);
        const op = (await call("GET", c.headers.get("location")!)).json;
        expect(op).to.include({ status: "canceled", cancellationRequestState: "cannotCancel" });
        const mig = await create(true);
        await call("POST", `/api/publishers/contoso/offers/${mig}/publish`);
        const m = await call("POST", `/api/publishers/contoso/offers/${mig}/cancel`);
        expect(m.headers.get("location")).to.match(
          new RegExp(`^/api/publishers/contoso/offers/${mig}/operations/[0-9a-f-]{36}\\?${V}$`),
        );
      }));

    it("§8 E11: cancel with nothing running answers 202 with the Location of the last operation; without any operation, 202 and no Location", () =>
      slowly(async () => {
        const never = await create();
        const none = await call("POST", `/api/publishers/contoso/offers/${never}/cancel`);
        expect([none.status, none.headers.get("location")]).to.deep.equal([202, null]);
        const id = await create();
        await e.control.clock({ timeScale: 100_000_000 });
        const loc = (await call("POST", `/api/publishers/contoso/offers/${id}/publish`)).headers.get("location")!;
        await waitUntil(async () => (await call("GET", loc)).json.status === "complete");
        const again = await call("POST", `/api/publishers/contoso/offers/${id}/cancel`);
        expect([again.status, again.headers.get("location")]).to.deep.equal([202, loc]);
        expect((await call("GET", loc)).json.status).to.equal("complete"); // nothing was canceled
        await e.control.setModes({ cancelStatus: 200 });
        expect((await call("POST", `/api/publishers/contoso/offers/${id}/cancel`)).status).to.equal(200);
      }));
  });

  it("§7.4 E8: status after go-live lists every publish step from the first certification step through live, each complete", async () => {
    const id = await create();
    const loc = (await call("POST", `/api/publishers/contoso/offers/${id}/publish`)).headers.get("location")!;
    await waitUntil(async () => (await call("GET", loc)).json.status === "complete");
    const live = (await call("POST", `/api/publishers/contoso/offers/${id}/golive`)).headers.get("location")!;
    await waitUntil(async () => (await call("GET", live)).json.status === "complete");
    const status = (await call("GET", `/api/publishers/contoso/offers/${id}/status`)).json;
    expect(status.status).to.equal("succeeded");
    expect(status.steps.map((s: any) => [s.id, s.status, s.progressPercentage])).to.deep.equal(
      ["displaydummycertify", "displaycertify", "displayprovision", "displaypackage", "publisher-signoff", "live"].map(
        (s) => [s, "complete", 100],
      ),
    );
  });

  it("§5.1: read-only envelope keys in any letter case (Etag, ETag, ChangedTime, Status, VERSION, …) are ignored on PUT input and never echoed", async () => {
    const id = await create();
    const stale = {
      Etag: 'W/"stale-1"',
      ETag: 'W/"stale-2"',
      etag: "x",
      ChangedTime: "2001-01-01T00:00:00Z",
      Status: "succeeded",
      VERSION: 9,
      PcMigrationStatus: "migrated",
      IsvUpgradeRequest: true,
    };
    const put = await call(
      "PUT",
      `/api/publishers/contoso/offers/${id}`,
      { ...offerDoc(id), ...stale },
      { "if-match": "*" },
    );
    expect(put.status).to.equal(200);
    const got = (await call("GET", `/api/publishers/contoso/offers/${id}`)).json;
    for (const k of Object.keys(stale)) expect(got, k).to.not.have.property(k);
    expect(got).to.include({ status: "neverPublished", version: 1, pcMigrationStatus: "none" });
    expect(Object.keys((await e.control.offer("contoso", id)).draft).filter((k) => /etag/i.test(k))).to.deep.equal([]);
  });

  it("§2.1: AAD v1 token replies carry expires_on and not_before (strings of epoch seconds); v2 replies stay as AAD v2 sends them", async () => {
    const form = { grant_type: "client_credentials", client_id: e.clientId, client_secret: e.clientSecret };
    const before = Math.floor(Date.now() / 1000);
    const v1 = (await (
      await fetch(`${e.authorityUrl}/${e.tenantId}/oauth2/token`, {
        method: "POST",
        body: new URLSearchParams({ ...form, resource: "https://cloudpartner.azure.com" }),
      })
    ).json()) as Record<string, unknown>;
    expect(v1).to.include({ token_type: "Bearer", resource: "https://cloudpartner.azure.com", expires_in: "3600" });
    expect(v1.expires_on)
      .to.be.a("string")
      .and.match(/^\d{10}$/);
    expect(v1.not_before)
      .to.be.a("string")
      .and.match(/^\d{10}$/);
    expect(Number(v1.expires_on) - Number(v1.not_before)).to.equal(3600);
    expect(Number(v1.not_before)).to.be.within(before - 1, before + 5);
    const claims = JSON.parse(Buffer.from(String(v1.access_token).split(".")[1], "base64url").toString());
    expect(String(claims.exp)).to.equal(v1.expires_on);
    const v2 = (await (
      await fetch(`${e.authorityUrl}/${e.tenantId}/oauth2/v2.0/token`, {
        method: "POST",
        body: new URLSearchParams({ ...form, scope: SCOPE }),
      })
    ).json()) as Record<string, unknown>;
    expect(Object.keys(v2).sort()).to.deep.equal(["access_token", "expires_in", "ext_expires_in", "token_type"]);
    expect(v2.expires_in).to.equal(3600);
  });

  it('§7.1 + §9.2 mode offerStatusAtSignoff "running": the offer status stays running while publisher-signoff is waitingForPublisherReview', async () => {
    await e.control.setModes({ offerStatusAtSignoff: "running" });
    const id = await create();
    const loc = (await call("POST", `/api/publishers/contoso/offers/${id}/publish`)).headers.get("location")!;
    await waitUntil(async () => (await call("GET", loc)).json.status === "complete");
    const status = (await call("GET", `/api/publishers/contoso/offers/${id}/status`)).json;
    expect(status.status).to.equal("running");
    expect(status.steps.find((s: any) => s.id === "publisher-signoff").status).to.equal("waitingForPublisherReview");
    expect((await call("GET", `/api/publishers/contoso/offers/${id}`)).json.status).to.equal("running");
    expect((await call("GET", "/api/publishers/contoso/offers")).json.find((o: any) => o.id === id).status).to.equal(
      "running",
    );
    // The default mode, for contrast (the check can fail): the documented word.
    await e.control.setModes({ offerStatusAtSignoff: "waitingForPublisherReview" });
    expect((await call("GET", `/api/publishers/contoso/offers/${id}/status`)).json.status).to.equal(
      "waitingForPublisherReview",
    );
    // Go-live still works from there.
    const live = (await call("POST", `/api/publishers/contoso/offers/${id}/golive`)).headers.get("location")!;
    await waitUntil(async () => (await call("GET", live)).json.status === "complete");
  });

  describe("https and public host names (docs/internals/api-notes.md §2.1, §9.1)", () => {
    it("§2.1 OpenID metadata and §9.1 absolute Locations are built from the Host the request was addressed to (X-Forwarded-Proto/-Host behind a proxy), or from --public-url", async () => {
      const port = new URL(e.apiUrl).port;
      const meta = await rawRequest(e.apiUrl, {
        path: `/${e.tenantId}/v2.0/.well-known/openid-configuration`,
        headers: { host: "login.microsoftonline.com" },
      });
      expect(JSON.parse(meta.body).token_endpoint).to.equal(
        `http://login.microsoftonline.com/${e.tenantId}/oauth2/v2.0/token`,
      );
      await e.control.setModes({ absoluteLocation: true });
      const id = await create();
      const pub = await rawRequest(e.apiUrl, {
        method: "POST",
        path: `/api/publishers/contoso/offers/${id}/publish?${V}`,
        headers: { host: `localhost:${port}`, authorization: `Bearer ${token}` },
      });
      expect(pub.headers.location).to.equal(`http://localhost:${port}/api/operations/contoso$${id}$2$preview?${V}`);
      const bad = await rawRequest(e.apiUrl, {
        path: `/${e.tenantId}/v2.0/.well-known/openid-configuration`,
        headers: { host: "bad host/../x" },
      });
      expect(JSON.parse(bad.body).token_endpoint).to.equal(`${e.authorityUrl}/${e.tenantId}/oauth2/v2.0/token`);
      // Behind a TLS-terminating proxy: X-Forwarded-Proto and -Host (first values) say what was addressed.
      const proxied = (headers: Record<string, string>) =>
        rawRequest(e.apiUrl, { path: `/${e.tenantId}/v2.0/.well-known/openid-configuration`, headers }).then(
          (r) => JSON.parse(r.body).token_endpoint as string,
        );
      expect(
        await proxied({
          host: "internal:8080",
          "x-forwarded-proto": "https, http",
          "x-forwarded-host": "login.microsoftonline.com, internal:8080",
        }),
      ).to.equal(`https://login.microsoftonline.com/${e.tenantId}/oauth2/v2.0/token`);
      expect(await proxied({ host: "login.microsoftonline.com", "x-forwarded-proto": "https" })).to.equal(
        `https://login.microsoftonline.com/${e.tenantId}/oauth2/v2.0/token`,
      );
      expect(
        await proxied({ host: "login.microsoftonline.com", "x-forwarded-proto": "gopher", "x-forwarded-host": "a b" }),
      ).to.equal(`http://login.microsoftonline.com/${e.tenantId}/oauth2/v2.0/token`);
      const fixed = await startEmulator({ publicUrl: "https://cloudpartner.azure.com/" });
      try {
        const m = await rawRequest(fixed.apiUrl, {
          path: `/${fixed.tenantId}/v2.0/.well-known/openid-configuration`,
          headers: { host: "elsewhere:1" },
        });
        expect(JSON.parse(m.body).issuer).to.equal(`https://cloudpartner.azure.com/${fixed.tenantId}/v2.0`);
        expect(fixed.oidcIssuer).to.equal("https://cloudpartner.azure.com/_oidc");
      } finally {
        await fixed.close();
      }
    });

    it("§2.1 --tls: the CLI prints caFile; https is served with a certificate that CA signed (and refused without it); the CA folder is removed at exit", async () => {
      const { child, info } = await startCli(["--tls", "--fast"]);
      try {
        expect(info.apiUrl).to.match(/^https:\/\/127\.0\.0\.1:\d+$/);
        expect(Object.keys(info).sort()).to.deep.equal([...CLI_CONTRACT_KEYS, "caFile"].sort());
        const { readFileSync } = await import("node:fs");
        const ca = readFileSync(info.caFile, "utf8");
        expect(ca).to.match(/BEGIN CERTIFICATE/);
        const ok = await rawRequest(info.apiUrl, {
          path: `/${info.tenantId}/v2.0/.well-known/openid-configuration`,
          ca,
        });
        expect(JSON.parse(ok.body).token_endpoint).to.equal(`${info.authorityUrl}/${info.tenantId}/oauth2/v2.0/token`);
        const untrusted = await rawRequest(info.apiUrl, { path: "/", timeoutMs: 5000 }).then(
          () => "answered",
          (err: Error) => err.message,
        );
        expect(untrusted).to.match(/self[- ]signed|unable to verify|certificate/i);
        const wrongName = await rawRequest(info.apiUrl, { path: "/", ca, servername: "example.org" }).then(
          () => "answered",
          (err: Error) => err.message,
        );
        expect(wrongName).to.match(/altnames|Hostname\/IP does not match/i);
      } finally {
        expect(await stopCli(child)).to.equal(0);
      }
      expect(existsSync(info.caFile)).to.equal(false);
    });

    it("§2.1 msal-node against the emulator over https as https://login.microsoftonline.com (Host header + SNI, CA trusted), then the API as https://cloudpartner.azure.com", async () => {
      const { child, info } = await startCli(["--tls"]);
      try {
        const { readFileSync } = await import("node:fs");
        const ca = readFileSync(info.caFile, "utf8");
        const port = new URL(info.apiUrl).port;
        const seen: string[] = [];
        // A hosts entry, in process: the two public host names lead to the emulator's port.
        const hostsEntry = async (
          method: string,
          url: string,
          options?: { headers?: Record<string, string>; body?: string },
        ): Promise<NetworkResponse<any>> => {
          const u = new URL(url);
          seen.push(`${method} ${u.host}${u.pathname}`);
          if (u.hostname !== "login.microsoftonline.com" && u.hostname !== "cloudpartner.azure.com")
            throw new Error(`no network in tests: ${url}`);
          const r = await rawRequest(`https://127.0.0.1:${port}`, {
            method,
            path: u.pathname + u.search,
            headers: { ...options?.headers, host: u.host },
            body: options?.body,
            ca,
            servername: u.hostname,
          });
          const headers = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, String(v)]));
          return { status: r.status, headers, body: JSON.parse(r.body) };
        };
        const networkClient: INetworkModule = {
          sendGetRequestAsync: (url, options) => hostsEntry("GET", url, options),
          sendPostRequestAsync: (url, options) => hostsEntry("POST", url, options),
        };
        const app = new ConfidentialClientApplication({
          auth: {
            clientId: info.clientId,
            clientSecret: info.clientSecret,
            authority: `https://login.microsoftonline.com/${info.tenantId}`,
          },
          system: { networkClient },
        });
        const result = await app.acquireTokenByClientCredential({ scopes: [SCOPE] });
        expect(result?.accessToken).to.be.a("string");
        expect(seen).to.include(`POST login.microsoftonline.com/${info.tenantId}/oauth2/v2.0/token`);
        const api = await rawRequest(`https://127.0.0.1:${port}`, {
          method: "PUT",
          path: `/api/publishers/contoso/offers/tls-1?${V}`,
          ca,
          servername: "cloudpartner.azure.com",
          headers: {
            host: "cloudpartner.azure.com",
            authorization: `Bearer ${result!.accessToken}`,
            "content-type": "application/json",
          },
          body: JSON.stringify({
            id: "tls-1",
            offerTypeId: "microsoft-azure-virtualmachines",
            definition: sampleDefinition({ pricedPlans: true }),
          }),
        });
        expect(api.status).to.equal(201);
        const modes = await rawRequest(`https://127.0.0.1:${port}`, {
          method: "PATCH",
          path: "/_emulator/modes",
          ca,
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ absoluteLocation: true }),
        });
        expect(modes.status).to.equal(200);
        const publish = await rawRequest(`https://127.0.0.1:${port}`, {
          method: "POST",
          path: `/api/publishers/contoso/offers/tls-1/publish?${V}`,
          ca,
          servername: "cloudpartner.azure.com",
          headers: { host: "cloudpartner.azure.com", authorization: `Bearer ${result!.accessToken}` },
        });
        expect(publish.headers.location).to.equal(
          `https://cloudpartner.azure.com/api/operations/contoso$tls-1$2$preview?${V}`,
        );
      } finally {
        await stopCli(child);
      }
    });

    it("§2.1 msal-node in a process with NODE_EXTRA_CA_CERTS=<caFile> gets a token from https://localhost:PORT (and fails without the CA)", async () => {
      const { child, info } = await startCli(["--tls"]);
      try {
        const authority = `${info.authorityUrl.replace("127.0.0.1", "localhost")}/${info.tenantId}`;
        const script = `
          const { ConfidentialClientApplication } = require("@azure/msal-node");
          const a = new URL(${JSON.stringify(authority)});
          const app = new ConfidentialClientApplication({ auth: { clientId: ${JSON.stringify(info.clientId)}, clientSecret: ${JSON.stringify(info.clientSecret)},
            authority: a.href, knownAuthorities: [a.host] } });
          app.acquireTokenByClientCredential({ scopes: [${JSON.stringify(SCOPE)}] })
            .then((r) => fetch(a.origin + "/api/publishers?${V}", { headers: { authorization: "Bearer " + r.accessToken } }))
            .then((r) => r.json()).then((j) => { console.log(JSON.stringify(j.map((p) => p.id))); })
            .catch((e) => { console.log("FAILED " + (e.errorCode || e.message)); });`;
        const run = (env: NodeJS.ProcessEnv) =>
          new Promise<string>((ok) => {
            const c = spawn(process.execPath, ["-e", script], { cwd: REPO, env, stdio: ["ignore", "pipe", "inherit"] });
            let out = "";
            c.stdout!.on("data", (d: Buffer) => {
              out += d.toString();
            });
            c.once("exit", () => ok(out.trim()));
          });
        const { NODE_EXTRA_CA_CERTS: _drop, ...base } = process.env;
        expect(await run({ ...base, NODE_EXTRA_CA_CERTS: info.caFile })).to.equal(JSON.stringify([info.publisherId]));
        expect(await run(base)).to.match(/^FAILED/);
      } finally {
        await stopCli(child);
      }
    });
  });

  describe("CLI speed (issue 11)", () => {
    it("--help describes --time-scale with its default (1 = real time, a publish to preview takes emulated days) and --fast", async () => {
      const out = await new Promise<string>((ok) => {
        const c = spawn(process.execPath, [EMULATOR_CLI, "--help"], { stdio: ["ignore", "pipe", "inherit"] });
        let text = "";
        c.stdout!.on("data", (d: Buffer) => {
          text += d.toString();
        });
        c.once("exit", () => ok(text));
      });
      expect(out).to.match(
        /--time-scale X[\s\S]*default 1 = real time: a publish\s+to preview then takes emulated days/,
      );
      expect(out).to.match(/--fast[\s\S]*publish reaches preview in about 3 s/);
      expect(out).to.match(/--tls[\s\S]*caFile/);
      expect(out).to.match(/--public-url URL/);
    });

    it("--fast: the clock runs at the scale whose step durations make a publish reach preview in about 3 s and a go-live end in about 2 s; both do end", async () => {
      const { child, info } = await startCli(["--fast"]);
      try {
        // Moving the clock ages tokens too, so each request phase gets a fresh one, as a client would.
        const auth = async () => {
          const t = (await (
            await fetch(`${info.authorityUrl}/${info.tenantId}/oauth2/v2.0/token`, {
              method: "POST",
              body: new URLSearchParams({
                grant_type: "client_credentials",
                client_id: info.clientId,
                client_secret: info.clientSecret,
                scope: SCOPE,
              }),
            })
          ).json()) as { access_token: string };
          return { authorization: `Bearer ${t.access_token}`, "content-type": "application/json" };
        };
        let h = await auth();
        await fetch(`${info.apiUrl}/api/publishers/contoso/offers/fast-1?${V}`, {
          method: "PUT",
          headers: h,
          body: JSON.stringify({
            id: "fast-1",
            offerTypeId: "microsoft-azure-virtualmachines",
            definition: sampleDefinition({ pricedPlans: true }),
          }),
        });
        // The claim is arithmetic on the emulator's own clock and modes, not a race against ours.
        const { timeScale } = (await (
          await fetch(`${info.controlUrl}/clock`, { method: "POST", body: "{}" })
        ).json()) as { timeScale: number };
        expect(timeScale).to.equal(FAST_TIME_SCALE);
        const { stepDurationsMs: d } = (await (await fetch(`${info.controlUrl}/modes`)).json()) as {
          stepDurationsMs: Record<string, number>;
        };
        const toPreview = ["displaydummycertify", "displaycertify", "displayprovision", "displaypackage"];
        expect(toPreview.reduce((sum, step) => sum + d[step], 0) / timeScale / 1000).to.be.within(2, 4);
        expect(d.live / timeScale / 1000).to.be.within(1, 3);
        const loc = (
          await fetch(`${info.apiUrl}/api/publishers/contoso/offers/fast-1/publish?${V}`, {
            method: "POST",
            headers: h,
          })
        ).headers.get("location")!;
        // Each ends once its steps' emulated time has passed: moved through the control API.
        const settle = async (url: string, steps: string[]) => {
          const advanceMs = steps.reduce((sum, step) => sum + d[step], 0) + 1;
          await fetch(`${info.controlUrl}/clock`, { method: "POST", body: JSON.stringify({ advanceMs }) });
          h = await auth();
          return ((await (await fetch(`${info.apiUrl}${url}`, { headers: h })).json()) as { status: string }).status;
        };
        expect(await settle(loc, toPreview)).to.equal("complete");
        const golive = `${info.apiUrl}/api/publishers/contoso/offers/fast-1/golive?${V}`;
        const liveLoc = (await fetch(golive, { method: "POST", headers: h })).headers.get("location")!;
        expect(await settle(liveLoc, ["live"])).to.equal("complete");
      } finally {
        await stopCli(child);
      }
    });
  });
});
