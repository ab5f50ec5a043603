// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { sampleDefinition } from "../helpers/offers.js";
import { scratchDir } from "../helpers/scratch.js";
import { captureConsole, startProviderEnv, type ProviderEnv } from "../helpers/provider-env.js";

const PUB = "contoso";
const REPORT = resolve(__dirname, "..", "..", "..", "docs", "reliability.md");

/** What one cell of the matrix ended with. */
interface CellResult {
  fault: string;
  operation: string;
  outcome: "converged" | "typed error";
  code?: string;
  apiRequests: number;
  retried: number;
  publishPosts: number;
  /** Publish operations the service started during the cell (the invariant: at most one). */
  publishOps: number;
  dataLoss: boolean;
  note: string;
}

type Op = "Offer create" | "Offer update" | "Offer read" | "Offer adopt" | "VmPricing apply" | "VmPricing ×4 parallel" | "OfferPublish create" | "OfferPublish resume" | "OfferPublish go-live" | "OfferPublish delete (cancel)";
type Fault = "429 + Retry-After" | "500" | "503" | "connection reset" | "slower than the timeout" | "token expired (401)" | "concurrent edit (412)" | "offer vanished (404)" | "operation failed at a step" | "operation canceled outside" | "operation blocked" | "operation rejected" | "emulator restarted mid-operation";

const OPS: Op[] = ["Offer create", "Offer update", "Offer read", "Offer adopt", "VmPricing apply", "VmPricing ×4 parallel", "OfferPublish create", "OfferPublish resume", "OfferPublish go-live", "OfferPublish delete (cancel)"];
const HTTP_FAULTS: Fault[] = ["429 + Retry-After", "500", "503", "connection reset", "slower than the timeout", "token expired (401)"];
const OP_FAULTS: Fault[] = ["operation failed at a step", "operation canceled outside", "operation blocked", "operation rejected"];

/**
 * The fault matrix of issue 5: faults × operations against the emulator, through the provider
 * objects exactly as the engine calls them. Each cell asserts its outcome (converges after
 * bounded retries, or a typed error that names the fix) and the invariants: no stale write over
 * a concurrent change, never a second publish operation, state consistent with the emulator.
 * The run writes docs/reliability.md.
 */
describe("reliability: fault matrix", function () {
  this.timeout(120_000);
  let env: ProviderEnv;
  let n = 0;
  const results: CellResult[] = [];

  before(async () => {
    env = await startProviderEnv({
      timeScale: 10_000_000,
      stateFile: join(scratchDir("matrix"), "emulator.json"),
      config: { "cloudpartner:httpTimeoutSeconds": "0.5", "cloudpartner:retryDelayMs": "5", "cloudpartner:maxRetries": "3", "cloudpartner:operationTimeoutSeconds": "20" },
    });
  });
  after(async () => {
    await env.close();
    writeReport(results);
  });

  const offerInputs = async (priced: boolean, planIds?: string[]) => {
    const offerId = `matrix-${++n}`;
    const definition = sampleDefinition({ pricedPlans: priced });
    if (planIds) definition.plans = planIds.map((planId) => ({ ...definition.plans[0], planId }));
    return (await env.provider("offer").check({}, { publisherId: PUB, offerId, definition })).inputs;
  };
  const draft = async (offerId: string) => (await env.control("GET", `/offers/${PUB}/${offerId}`)).draft;

  /** Injects an HTTP-level fault on the next request matching method and path. */
  async function inject(fault: Fault, method: string, path: string): Promise<void> {
    const spec: Record<Fault, Record<string, unknown> | undefined> = {
      "429 + Retry-After": { status: 429, retryAfter: 1 },
      "500": { status: 500 },
      "503": { status: 503, retryAfter: 0 },
      "connection reset": { reset: true },
      "slower than the timeout": { delayMs: 1200 },
      "token expired (401)": { status: 401, body: { Message: "Authorization has been denied for this request." } },
    } as unknown as Record<Fault, Record<string, unknown> | undefined>;
    await env.control("POST", "/faults", { method, path, count: 1, ...spec[fault] });
  }

  /** Runs a cell: prepare (no faults), arm, act; records and returns the result. */
  async function cell(fault: Fault, operation: Op, prepare: () => Promise<any>, arm: (ctx: any) => Promise<void>, act: (ctx: any) => Promise<any>, check?: (ctx: any, r: any) => Promise<boolean>): Promise<CellResult> {
    await env.control("DELETE", "/faults");
    await env.control("POST", "/clock", { timeScale: 10_000_000 });
    const ctx = await prepare();
    await env.clearLog();
    const publishOps = async () => (await env.control("GET", "/operations")).filter((o: any) => o.offerId === ctx.inputs?.offerId && o.type === "publish").length;
    const opsBefore = await publishOps();
    await arm(ctx);
    const { result, error } = await captureConsole(() => act(ctx));
    const log = await env.requests();
    const typed = error !== undefined && typeof (error as any).code === "string" && /\S/.test((error as Error).message);
    const dataLoss = check ? !(await check(ctx, result)) : false;
    const r: CellResult = {
      fault, operation,
      outcome: error === undefined ? "converged" : "typed error",
      code: error === undefined ? undefined : (error as any).code,
      apiRequests: log.length,
      retried: log.filter((x) => x.status >= 400 || x.status === 0).length,
      publishPosts: log.filter((x) => x.method === "POST" && x.path.endsWith("/publish")).length,
      publishOps: (await publishOps()) - opsBefore,
      dataLoss,
      note: error === undefined ? "" : String((error as Error).message).split(". ")[0].slice(0, 140),
    };
    results.push(r);
    expect(error === undefined || typed, `untyped error: ${error}`).to.equal(true);
    if (error !== undefined) expect((error as Error).message).to.match(/Fix|fix|run `pulumi|set |Run |again|refresh|raise|Add |Create /);
    expect(r.publishOps).to.be.at.most(1);
    expect(dataLoss).to.equal(false);
    return r;
  }

  // Preparations and actions per operation; `target` is the request the HTTP faults hit.
  const plan: Record<Op, { target: [string, string]; prepare: () => Promise<any>; act: (c: any) => Promise<any>; check?: (c: any, r: any) => Promise<boolean> }> = {
    "Offer create": { target: ["PUT", "/offers/matrix-"], prepare: async () => ({ inputs: await offerInputs(true) }), act: (c) => env.provider("offer").create(c.inputs),
      check: async (c) => (await env.control("GET", `/offers/${PUB}/${c.inputs.offerId}`).then((d) => d.draft.id === c.inputs.offerId, () => false)) },
    "Offer update": {
      target: ["PUT", "/offers/matrix-"],
      prepare: async () => { const inputs = await offerInputs(true); const { outs } = await env.provider("offer").create(inputs); return { inputs, outs }; },
      act: (c) => env.provider("offer").update("id", c.outs, { ...c.inputs, definition: sampleDefinition({ pricedPlans: true, summary: "Updated" }) }),
      check: async (c) => { const d = await draft(c.inputs.offerId); return c.edited ? d.definition.displayText === "Portal edit" : true; },
    },
    "Offer read": {
      target: ["GET", "/offers/matrix-"],
      prepare: async () => { const inputs = await offerInputs(true); const { outs } = await env.provider("offer").create(inputs); return { inputs, outs }; },
      act: (c) => env.provider("offer").read(`${PUB}/${c.inputs.offerId}`, c.outs),
    },
    "Offer adopt": {
      target: ["GET", "/offers/matrix-"],
      prepare: async () => { const inputs = await offerInputs(true); await env.provider("offer").create(inputs); return { inputs }; },
      act: (c) => env.provider("offer").create({ ...c.inputs, adopt: true, definition: sampleDefinition({ pricedPlans: true, summary: "Adopted" }) }),
      check: async (c) => { const d = await draft(c.inputs.offerId); return c.edited ? d.definition.displayText === "Portal edit" : true; },
    },
    "VmPricing apply": {
      target: ["GET", "/offers/matrix-"],
      prepare: async () => { const inputs = await offerInputs(false); await env.provider("offer").create(inputs); return { inputs }; },
      act: (c) => env.provider("vmPricing").create({ publisherId: PUB, offerId: c.inputs.offerId, planId: "payg", pricing: { kind: "perCore", pricePerCoreUsd: 0.3 } }),
      check: async (c, r) => r === undefined || (await draft(c.inputs.offerId)).definition.plans[1].virtualMachinePricing?.coreMultiplier?.single === 0.3,
    },
    "VmPricing ×4 parallel": {
      target: ["PUT", "/offers/matrix-"],
      prepare: async () => { const inputs = await offerInputs(false, ["a", "b", "c", "d"]); await env.provider("offer").create(inputs); return { inputs }; },
      act: (c) => Promise.all(["a", "b", "c", "d"].map((planId, i) => env.provider("vmPricing").create({ publisherId: PUB, offerId: c.inputs.offerId, planId, pricing: { kind: "perCore", pricePerCoreUsd: i + 1 } }))),
      check: async (c, r) => r === undefined || (await draft(c.inputs.offerId)).definition.plans.every((p: any, i: number) => p.virtualMachinePricing?.coreMultiplier?.single === i + 1),
    },
    "OfferPublish create": {
      target: ["POST", "/publish"],
      prepare: async () => { const inputs = await offerInputs(true); await env.provider("offer").create(inputs); return { inputs }; },
      act: (c) => env.provider("offerPublish").create({ publisherId: PUB, offerId: c.inputs.offerId, target: "preview", __provider: "p" }),
    },
    "OfferPublish resume": {
      target: ["GET", "/api/operations/"],
      prepare: async () => {
        const inputs = await offerInputs(true);
        await env.provider("offer").create(inputs);
        await env.control("POST", "/clock", { timeScale: 1 });
        const pubInputs = { publisherId: PUB, offerId: inputs.offerId, target: "preview", timeoutSeconds: 0.3, __provider: "p" };
        const { error } = await captureConsole(() => env.provider("offerPublish").create(pubInputs));
        await env.control("POST", "/clock", { timeScale: 10_000_000 });
        return { inputs, pubInputs, props: (error as any).properties };
      },
      act: (c) => env.provider("offerPublish").update("id", c.props, { ...c.pubInputs, timeoutSeconds: 20 }),
    },
    "OfferPublish go-live": {
      target: ["POST", "/golive"],
      prepare: async () => {
        const inputs = await offerInputs(true);
        await env.provider("offer").create(inputs);
        const pubInputs = { publisherId: PUB, offerId: inputs.offerId, target: "preview", __provider: "p" };
        const { result } = await captureConsole(() => env.provider("offerPublish").create(pubInputs));
        return { inputs, pubInputs, outs: (result as any).outs };
      },
      act: (c) => env.provider("offerPublish").update("id", c.outs, { ...c.pubInputs, target: "live" }),
    },
    "OfferPublish delete (cancel)": {
      target: ["POST", "/cancel"],
      prepare: async () => {
        const inputs = await offerInputs(true);
        await env.provider("offer").create(inputs);
        await env.control("POST", "/clock", { timeScale: 1 });
        const { error } = await captureConsole(() => env.provider("offerPublish").create({ publisherId: PUB, offerId: inputs.offerId, target: "preview", timeoutSeconds: 0.3, __provider: "p" }));
        return { inputs, props: (error as any).properties };
      },
      act: (c) => env.provider("offerPublish").delete("id", c.props),
    },
  };

  for (const fault of HTTP_FAULTS) {
    for (const op of OPS) {
      it(`${fault} × ${op}`, async () => {
        const p = plan[op];
        const r = await cell(fault, op, p.prepare, () => inject(fault, p.target[0], p.target[1]), p.act, p.check);
        // Idempotent requests converge; a POST is never retried (a 401 is: it was not processed).
        const postTarget = p.target[0] === "POST";
        if (!postTarget || fault === "token expired (401)") expect(r.outcome, r.note).to.equal("converged");
        else expect(r.outcome).to.equal("typed error");
      });
    }
  }

  it("concurrent edit (412) × Offer update: fails with the advised fix; the edit is kept", async () => {
    const p = plan["Offer update"];
    const r = await cell("concurrent edit (412)", "Offer update", p.prepare, async (c) => {
      c.edited = true;
      await env.control("PATCH", `/offers/${PUB}/${c.inputs.offerId}`, { definition: { displayText: "Portal edit" } });
    }, p.act, p.check);
    expect(r.code).to.equal("CPP_CHANGED_OUTSIDE");
  });
  it("concurrent edit (412) × Offer adopt: the edit between read and write is caught", async () => {
    const p = plan["Offer adopt"];
    const r = await cell("concurrent edit (412)", "Offer adopt", p.prepare, async (c) => {
      c.edited = true;
      await env.control("PATCH", `/offers/${PUB}/${c.inputs.offerId}`, { definition: { displayText: "Portal edit" } });
      await env.control("POST", "/faults", { method: "PUT", path: `/offers/${c.inputs.offerId}`, status: 412, count: 1 });
    }, p.act, async () => true);
    expect(r.outcome).to.equal("typed error");
  });
  for (const op of ["VmPricing apply", "VmPricing ×4 parallel"] as Op[]) {
    it(`concurrent edit (412) × ${op}: re-reads and converges`, async () => {
      const p = plan[op];
      const r = await cell("concurrent edit (412)", op, p.prepare, (c) => env.control("POST", "/faults", { method: "PUT", path: `/offers/${c.inputs.offerId}`, status: 412, count: 2 }), p.act, p.check);
      expect(r.outcome).to.equal("converged");
    });
  }
  for (const op of ["Offer update", "Offer read", "VmPricing apply", "OfferPublish create"] as Op[]) {
    it(`offer vanished (404) × ${op}`, async () => {
      const p = plan[op];
      const r = await cell("offer vanished (404)", op, p.prepare, (c) => env.control("DELETE", `/offers/${PUB}/${c.inputs.offerId}`), p.act);
      if (op === "Offer read") expect(r.outcome).to.equal("converged"); // refresh drops the resource
      else expect(r.outcome).to.equal("typed error");
    });
  }
  for (const fault of OP_FAULTS) {
    for (const op of ["OfferPublish create", "OfferPublish go-live"] as Op[]) {
      it(`${fault} × ${op}`, async () => {
        const p = plan[op];
        const outcome = { "operation failed at a step": "fail", "operation canceled outside": "cancel", "operation blocked": "block", "operation rejected": "reject" }[fault as string];
        const r = await cell(fault, op, p.prepare, async (c) => {
          await env.control("POST", `/offers/${PUB}/${c.inputs.offerId}/outcome`, { outcome, step: op === "OfferPublish go-live" ? "live" : "displayprovision", message: "Forced by the fault matrix" });
          if (fault === "operation blocked") await env.control("POST", "/clock", { timeScale: 10_000_000 });
        }, (c) => p.act({ ...c, outs: c.outs ? c.outs : undefined, pubInputs: c.pubInputs }).catch((e: any) => { throw e; }), undefined);
        expect(r.outcome).to.equal("typed error");
      });
    }
  }
  it("emulator restarted mid-operation × OfferPublish resume: resumes the same operation", async () => {
    const p = plan["OfferPublish resume"];
    const r = await cell("emulator restarted mid-operation", "OfferPublish resume", p.prepare, async () => {
      // The emulator persists after every change; restarted on the same port it continues the
      // operation from its state file (the emulated clock too), and the resume finds it.
      await env.restart();
      await env.control("POST", "/clock", { timeScale: 10_000_000 });
    }, p.act);
    expect(r.outcome).to.equal("converged");
    expect(r.publishPosts).to.equal(0);
    expect(r.publishOps).to.equal(0);
  });
});

function writeReport(results: CellResult[]): void {
  const converged = results.filter((r) => r.outcome === "converged").length;
  const lines = [
    "# Reliability: the fault matrix",
    "",
    "Generated by `tests/reliability/fault-matrix.test.ts` (run by `bash scripts/test.sh reliability`,",
    "part of the full test command); do not edit by hand. Each row is one fault injected into one",
    "operation, run through the provider objects as the engine calls them, against the emulator",
    "(HTTP timeout 0.5 s, 3 retries, 5 ms base backoff, `Retry-After` honoured).",
    "",
    `Cells: **${results.length}**; converged: **${converged}**; failed with a typed error naming the fix: **${results.length - converged}**; cells that lost data: **${results.filter((r) => r.dataLoss).length}**.`,
    "",
    "| fault | operation | outcome | code | API requests | failed answers | publish POSTs | publish operations started | data lost | message |",
    "|---|---|---|---|---|---|---|---|---|---|",
    ...results.map((r) => `| ${r.fault} | ${r.operation} | ${r.outcome} | ${r.code ?? ""} | ${r.apiRequests} | ${r.retried} | ${r.publishPosts} | ${r.publishOps} | ${r.dataLoss ? "**yes**" : "no"} | ${r.note.replace(/\|/g, "\\|")} |`),
    "",
  ];
  writeFileSync(REPORT, lines.join("\n"));
}
