// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { accountNames, resolveAccountSettings, resolveSettings } from "../../../provider/handlers/settings.js";

const STACK = {
  "cloudpartner:tenantId": "tenant-a",
  "cloudpartner:clientId": "client-a",
  "cloudpartner:clientSecret": "secret-a-000",
  "cloudpartner:endpoint": "http://127.0.0.1:1",
  "cloudpartner:authority": "http://127.0.0.1:2",
  "cloudpartner:maxRetries": "7",
};
const getter = (extra: Record<string, string> = {}) => {
  const config: Record<string, string> = { ...STACK, ...extra };
  return (key: string) => config[key];
};
const accounts = (value: unknown) => ({ "cloudpartner:accounts": JSON.stringify(value) });

/** Named accounts resolved from stack config, without I/O. */
describe("settings of named accounts (cloudpartner:accounts)", () => {
  it("an account's credentials come only from its entry, never from the AZURE_* environment", () => {
    const env = { AZURE_TENANT_ID: "env-tenant", AZURE_CLIENT_ID: "env-client", AZURE_CLIENT_SECRET: "env-secret-000" };
    const get = getter(accounts({ b: { tenantId: "tenant-b" } }));
    expect(() => resolveAccountSettings("b", get, env)).to.throw(
      /cloudpartner:accounts\.b\.clientId[\s\S]*cloudpartner:accounts\.b\.clientSecret/,
    );
    // The stack's own credentials do use the environment.
    expect(resolveSettings(() => undefined, env)).to.include({
      tenantId: "env-tenant",
      clientSecret: "env-secret-000",
    });
  });

  it("endpoint and authority default to the stack's; other settings are the stack's", () => {
    const get = getter(
      accounts({
        b: { tenantId: "tenant-b", clientId: "client-b", clientSecret: "secret-b-000" },
        c: {
          tenantId: "tenant-c",
          clientId: "client-c",
          clientSecret: "secret-c-000",
          endpoint: "https://c.example",
          authority: "https://login.c.example",
        },
      }),
    );
    expect(resolveAccountSettings("b", get, {})).to.include({
      account: "b",
      tenantId: "tenant-b",
      clientId: "client-b",
      clientSecret: "secret-b-000",
      endpoint: "http://127.0.0.1:1",
      authority: "http://127.0.0.1:2",
      maxRetries: 7,
    });
    expect(resolveAccountSettings("c", get, {})).to.include({
      endpoint: "https://c.example",
      authority: "https://login.c.example",
      maxRetries: 7,
    });
    expect(accountNames(get)).to.deep.equal(["b", "c"]);
    expect(accountNames(getter())).to.equal(undefined);
  });

  it("bad shapes are refused naming the key, and never echo the config text", () => {
    expect(() => resolveAccountSettings("b", getter({ "cloudpartner:accounts": "[1,2]" }), {})).to.throw(
      /must be a JSON object of accounts/,
    );
    expect(() => resolveAccountSettings("b", getter(accounts({ b: "x" })), {})).to.throw(
      /cloudpartner:accounts\.b must be an object/,
    );
    expect(() => resolveAccountSettings("b", getter(accounts({ b: { clientId: 5 } })), {})).to.throw(
      /cloudpartner:accounts\.b\.clientId must be a string/,
    );
    expect(() => accountNames(getter(accounts({ "bad name": {} })))).to.throw(
      /"bad name" in cloudpartner:accounts is not a usable account name/,
    );
    const secretText = '{"b": {"clientSecret": "do-not-echo-this-secret"';
    let message = "";
    try {
      resolveAccountSettings("b", getter({ "cloudpartner:accounts": secretText }), {});
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message)
      .to.match(/is not valid JSON/)
      .and.not.contain("do-not-echo-this-secret");
  });
});

describe("timing settings", () => {
  it("readReuseSeconds: 300 by default, 0 allowed; a negative or non-numeric value names the key", () => {
    expect(resolveSettings(getter(), {}).readReuseSeconds).to.equal(300);
    expect(resolveSettings(getter({ "cloudpartner:readReuseSeconds": "0" }), {}).readReuseSeconds).to.equal(0);
    expect(resolveSettings(getter({ "cloudpartner:readReuseSeconds": "2.5" }), {}).readReuseSeconds).to.equal(2.5);
    for (const bad of ["-1", "soon"]) {
      expect(() => resolveSettings(getter({ "cloudpartner:readReuseSeconds": bad }), {})).to.throw(
        `cloudpartner:readReuseSeconds must be a number of seconds ≥ 0; got "${bad}"`,
      );
    }
    // The other timings stay strictly positive.
    expect(() => resolveSettings(getter({ "cloudpartner:httpTimeoutSeconds": "0" }), {})).to.throw(
      'cloudpartner:httpTimeoutSeconds must be a positive number of seconds; got "0"',
    );
  });
});
