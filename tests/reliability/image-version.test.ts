// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { isDeepStrictEqual } from "node:util";
import { captureConsole, startProviderEnv, type ProviderEnv } from "../helpers/provider-env.js";
import { IMAGE_HTTP_FAULTS, rows, type ImageMatrixHarness, type ImageMatrixRow } from "./image-version-rows.js";
import { HTTP_FAULT_SPEC, MATRIX_HTTP_TIMEOUT_SECONDS, quiet } from "./matrix.js";

const PUB = "contoso";

/** What a row's run left, judged as the matrix judges it: outcome, Draft, concurrent edit. */
/** What one run of a row observed. */
interface RowRun {
  error: unknown;
  before: unknown;
  after: unknown;
  edit: Record<string, unknown>;
  intended: unknown;
}

function violations(row: ImageMatrixRow, r: RowRun): string[] {
  const out: string[] = [];
  const { outcome, draft } = row.expect;
  const code = (r.error as { code?: string } | undefined)?.code;
  if (outcome === "converges" && r.error !== undefined) out.push(`expected convergence, got ${code}: ${r.error}`);
  if (outcome !== "converges" && code !== outcome) out.push(`expected ${outcome}, got ${code}`);
  if (draft === "intended" && !isDeepStrictEqual(r.after, r.intended)) out.push("lost write: not the intended Draft");
  if (draft === "unchanged" && !isDeepStrictEqual(r.after, r.before)) out.push("the Draft changed");
  if (draft === "absent" && r.after !== undefined) out.push("the vanished offer exists again");
  for (const [key, value] of Object.entries(r.edit)) {
    const kept = (r.after as Record<string, unknown> | undefined)?.[key];
    if (kept !== value) out.push(`stale write over the edit of ${key}`);
  }
  return out;
}

/**
 * The VmImageVersion rows of the fault matrix (tests/reliability/image-version-rows.ts), run here
 * with a harness of the matrix's shape, so the rows and their service-side expectations are known
 * to hold before the matrix picks them up; and the judgement shown to catch a lost version.
 */
describe("reliability: VmImageVersion fault-matrix rows", function () {
  this.timeout(60_000);
  let env: ProviderEnv;
  let n = 0;
  const harness = (): ImageMatrixHarness => ({
    env,
    publisherId: PUB,
    newOfferId: (prefix = "matrix") => `${prefix}-${process.pid}-${++n}`,
    async draft(offerId) {
      const res = await env.control("GET", `/offers/${PUB}/${offerId}`).catch((e: Error) => {
        if (/→ 404/.test(e.message)) return undefined;
        throw e;
      });
      if (!res) return undefined;
      const def = res.draft.definition;
      // The service fills in empty lead configurations the provider never sent.
      const offer = Object.fromEntries(
        Object.entries(def.offer).filter(
          ([k, v]) =>
            !(k.endsWith("LeadConfiguration") && typeof v === "object" && v !== null && Object.keys(v).length === 0),
        ),
      );
      return { ...def, offer };
    },
    async inject(fault, method, path) {
      await env.control("POST", "/faults", { method, path, count: 1, ...HTTP_FAULT_SPEC[fault] });
    },
    async steps() {
      /* no publish in these rows */
    },
  });

  /** Runs a row the way the matrix does: prepare, arm, read the Draft, act, read it again. */
  const runRow = async (row: ImageMatrixRow): Promise<RowRun> => {
    const h = harness();
    await env.control("DELETE", "/faults");
    const ctx = await row.prepare(h);
    const armed = (await row.arm(h, ctx)) ?? {};
    const before = await h.draft(ctx.offerId);
    const { error } = await captureConsole(() => row.act(h, ctx));
    await env.control("DELETE", "/faults");
    // A request the client gave up on (slower than the timeout) is still served: wait for it.
    await quiet(env);
    const after = await h.draft(ctx.offerId);
    return { error, before, after, edit: armed.concurrentEdit ?? {}, intended: row.intended(ctx, before) };
  };

  before(async () => {
    env = await startProviderEnv({
      config: {
        "cloudpartner:httpTimeoutSeconds": String(MATRIX_HTTP_TIMEOUT_SECONDS),
        "cloudpartner:retryDelayMs": "5",
        "cloudpartner:maxRetries": "3",
      },
    });
  });
  after(() => env.close());

  it("every row declares a specific outcome, and the cells are unique", () => {
    const names = rows.map((r) => `${r.fault} × ${r.operation}`);
    expect(new Set(names).size).to.equal(names.length);
    expect(rows.length).to.equal(IMAGE_HTTP_FAULTS.length * 4 + 4);
    for (const r of rows) expect(r.expect.outcome).to.not.equal("CPP_UNEXPECTED");
  });

  for (const row of rows) {
    it(`${row.fault} × ${row.operation} → ${row.expect.outcome}`, async () => {
      expect(violations(row, await runRow(row))).to.deep.equal([]);
    });
  }

  it("the judgement catches a Draft that lost a version the operation does not own", async () => {
    for (const row of rows.filter((r) => r.fault === "500")) {
      const r = await runRow(row);
      const damaged = JSON.parse(JSON.stringify(r.after));
      const images = damaged.plans[0]["microsoft-azure-virtualmachines.vmImages"];
      images[Object.keys(images)[0]].osVhdUrl = "https://lost.example/x.vhd";
      expect(violations(row, { ...r, after: damaged }), row.operation).to.have.length(1);
    }
  });
});
