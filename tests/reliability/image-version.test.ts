// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { captureConsole, startProviderEnv, type ProviderEnv } from "../helpers/provider-env.js";
import { draftImages, IMAGE_VERSION_ROWS } from "./image-version-rows.js";

/**
 * The VmImageVersion rows of the fault matrix, run here under a few faults so the rows (and
 * their service-side checks) are known to work before the matrix picks them up; and the checks
 * shown to fail on a Draft that lost a version.
 */
describe("reliability: VmImageVersion rows", function () {
  this.timeout(60_000);
  let env: ProviderEnv;
  before(async () => {
    env = await startProviderEnv({ config: { "cloudpartner:retryDelayMs": "5", "cloudpartner:maxRetries": "3" } });
  });
  after(() => env.close());

  const faults: Array<[string, Record<string, unknown> | undefined]> = [
    ["no fault", undefined],
    ["500", { status: 500 }],
    ["503 + Retry-After", { status: 503, retryAfter: 0 }],
    ["connection reset", { reset: true }],
    ["412 twice", { status: 412, count: 2 }],
  ];
  for (const row of IMAGE_VERSION_ROWS) {
    for (const [name, fault] of faults) {
      it(`${name} × ${row.operation}: converges and the Draft checks out`, async () => {
        await env.control("DELETE", "/faults");
        const ctx = await row.prepare(env);
        const [method, path] = row.target;
        if (fault) await env.control("POST", "/faults", { method, path, count: 1, ...fault });
        const { result, error } = await captureConsole(() => row.act(env, ctx));
        await env.control("DELETE", "/faults");
        expect(error, String(error)).to.equal(undefined);
        expect(await row.check(env, ctx, result)).to.equal(true);
      });
    }
  }

  it("a check fails when a version the operation does not own was lost", async () => {
    for (const row of IMAGE_VERSION_ROWS) {
      const ctx = await row.prepare(env);
      const result = await captureConsole(() => row.act(env, ctx));
      const map = await draftImages(env, ctx.inputs.offerId);
      const victim = Object.keys(map)[0];
      const record = await env.control("GET", `/offers/contoso/${ctx.inputs.offerId}`);
      const lost = { ...map, [victim]: { ...map[victim], osVhdUrl: "https://lost.example/x.vhd" } };
      const plans = record.draft.definition.plans
        .map((p: any) => (p.planId === "byol" ? { ...p, "microsoft-azure-virtualmachines.vmImages": lost } : p));
      await env.control("PATCH", `/offers/contoso/${ctx.inputs.offerId}`, { definition: { plans } });
      expect(await row.check(env, ctx, result.result), row.operation).to.equal(false);
    }
  });
});
