// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import {
  runCell,
  requestsOf,
  piaJobsOf,
  type CellRecord,
  type MatrixHarness,
  type MatrixRow,
  HTTP_FAULT_SPEC,
  MATRIX_HTTP_TIMEOUT_SECONDS,
} from "./matrix.js";
import { renderMatrixReport } from "./matrix-report.js";
import { judge, type ObservedRequest } from "./oracle.js";
import { reportNote, writeReport } from "../helpers/report.js";
import { scratchDir } from "../helpers/scratch.js";
import { startProviderEnv, type ProviderEnv } from "../helpers/provider-env.js";

const PUB = "contoso";

/** Every `*-rows.js` next to this file exports `rows` (matrix.ts): each resource plugs in its own. */
function loadRows(): MatrixRow[] {
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith("-rows.js"))
    .sort();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return files.flatMap((f) => (require(join(__dirname, f)) as { rows: MatrixRow[] }).rows);
}

/** Step durations: instant (operations reach their end at once) or hours (they stay running). */
const STEPS = {
  instant: { displaydummycertify: 0, displaycertify: 0, displayprovision: 0, displaypackage: 0, live: 0 },
  long: {
    displaydummycertify: 3_600_000,
    displaycertify: 3_600_000,
    displayprovision: 3_600_000,
    displaypackage: 3_600_000,
    live: 3_600_000,
  },
};

/**
 * The service materialises empty lead-configuration objects the provider never sent; they are
 * not part of what a cell writes, so the Draft is compared without them.
 */
function normaliseDefinition(definition: any): any {
  if (!definition?.offer) return definition;
  const offer = Object.fromEntries(
    Object.entries(definition.offer).filter(
      ([k, v]) =>
        !(k.endsWith("LeadConfiguration") && v !== null && typeof v === "object" && Object.keys(v).length === 0),
    ),
  );
  return { ...definition, offer };
}

/**
 * The fault matrix (issue 10): faults × operations against the emulator, through the provider
 * objects exactly as the engine calls them. Each cell declares its outcome up front and is
 * judged by tests/reliability/oracle.ts on what the service holds once the emulator is quiet.
 * Emulated time moves only when a cell says so (real-time clock, step durations set per cell).
 * Rows on the Product Ingestion API (`api: "productIngestion"`, pia-rows.ts) run in the same env:
 * runCell switches the stack config `cloudpartner:api` for them (matrix.ts).
 * The report goes to reliability.md (tests/helpers/report.ts; `npm run report` writes docs/internals/).
 */
describe("reliability: fault matrix", function () {
  this.timeout(60_000);
  let env: ProviderEnv;
  let n = 0;
  const records: CellRecord[] = [];
  const rows = loadRows();

  const harness = (): MatrixHarness => ({
    env,
    publisherId: PUB,
    newOfferId: (prefix = "matrix") => `${prefix}-${++n}`,
    async draft(offerId) {
      const res = await env.control("GET", `/offers/${PUB}/${offerId}`).catch((e: Error) => {
        if (/→ 404/.test(e.message)) return undefined;
        throw e;
      });
      return res === undefined ? undefined : normaliseDefinition(res.draft.definition);
    },
    async inject(fault, method, path) {
      await env.control("POST", "/faults", { method, path, count: 1, ...HTTP_FAULT_SPEC[fault] });
    },
    async steps(speed) {
      await env.control("PATCH", "/modes", { stepDurationsMs: STEPS[speed] });
    },
  });

  before(async () => {
    env = await startProviderEnv({
      timeScale: 1,
      stateFile: join(scratchDir("matrix"), "emulator.json"),
      config: {
        "cloudpartner:httpTimeoutSeconds": String(MATRIX_HTTP_TIMEOUT_SECONDS),
        "cloudpartner:retryDelayMs": "5",
        "cloudpartner:maxRetries": "3",
        "cloudpartner:operationTimeoutSeconds": "20",
      },
    });
  });
  after(async () => {
    await env.close();
    const path = writeReport("reliability.md", renderMatrixReport(records));
    console.log(`    fault-matrix report: ${reportNote(path)}`);
  });

  it("every row declares a specific outcome, never CPP_UNEXPECTED, and the cells are unique", () => {
    expect(rows.length).to.be.greaterThan(0);
    const names = rows.map((r) => `${r.fault} × ${r.operation}`);
    expect(new Set(names).size, "duplicate cells").to.equal(names.length);
    for (const r of rows) expect(r.expect.outcome).to.not.equal("CPP_UNEXPECTED");
  });

  for (const row of rows) {
    it(`${row.fault} × ${row.operation} → ${row.expect.outcome}`, async () => {
      const record = await runCell(harness(), row, judge);
      records.push(record);
      expect(record.violations, record.violations.join("\n")).to.deep.equal([]);
    });
  }

  it("no request of any cell landed after the cell closed", async () => {
    const log = (
      (await env.control("GET", "/requests")) as Array<ObservedRequest & { kind: string; query?: string }>
    ).filter((r) => r.kind === "api" || r.kind === "pia");
    const late: string[] = [];
    for (const r of records) {
      for (const q of requestsOf(r.offerId, log, r.pia)) {
        if (q.seq > r.run.closedAtSeq)
          late.push(`${r.row.fault} × ${r.row.operation}: ${q.method} ${q.path} → ${q.status}`);
      }
      // A POST configure names no offer: one that landed late is a job the offer did not have at the close.
      if (r.pia) {
        for (const jobId of await piaJobsOf({ env, publisherId: PUB }, r.offerId)) {
          if (!r.pia.jobIds.includes(jobId)) late.push(`${r.row.fault} × ${r.row.operation}: configure job ${jobId}`);
        }
      }
    }
    expect(late).to.deep.equal([]);
  });
});
