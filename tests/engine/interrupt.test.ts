// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { startEmulator } from "../../emulator/index.js";
import { sampleDefinition } from "../helpers/offers.js";
import { configureForEmulator, engineKit, inlineStack, type EngineKit } from "../helpers/engine.js";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
const PUB = "contoso";

/**
 * Interrupting `pulumi up` while OfferPublish waits (issue 5): one Ctrl-C, and two. Either way
 * the next `up` ends with exactly one publish operation on the service.
 */
describe("engine: interrupting pulumi up while a publish waits", function () {
  this.timeout(300_000);
  let kit: EngineKit;
  let emulator: Emulator;
  let offerId = "";
  const program = async () => {
    const { Offer, OfferPublish } = kit.cpp;
    const offer = new Offer("offer", {
      publisherId: PUB,
      offerId,
      definition: sampleDefinition({ pricedPlans: true }),
    });
    const pub = new OfferPublish("publish", {
      publisherId: PUB,
      offerId: offer.offerId,
      target: "preview",
      timeoutSeconds: 4,
    });
    return { status: pub.operationStatus };
  };
  const publishOps = async () =>
    (await emulator.control.operations()).filter((o) => o.offerId === offerId && o.type === "publish");
  /** Waits (30 s at most) until the publish has started; fails at once, saying why, if `up` ended first. */
  const waitForPublish = async (up: Promise<Error | undefined>) => {
    let ended: string | undefined;
    void up.then((e) => (ended = e ? `failed: ${e.message}` : "succeeded"));
    for (let i = 0; i < 600; i++) {
      if ((await publishOps()).length === 1) return;
      if (ended !== undefined) throw new Error(`up ended before the publish started (${ended})`);
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting 30 s for the publish to start; up ${ended ?? "still running"}`);
  };
  /**
   * PIDs of the CLI running `up` for a stack, among this process's children only: another copy
   * of the suite running beside this one has a stack of the same name, and its CLI is not ours
   * to interrupt.
   */
  const cliPids = (stack: string) => {
    try {
      return execFileSync("pgrep", ["-P", String(process.pid), "-f", `pulumi up .*--stack ${stack}`], {
        encoding: "utf8",
      })
        .trim()
        .split("\n")
        .filter(Boolean)
        .map(Number);
    } catch {
      return [];
    }
  };

  before(async () => {
    kit = await engineKit();
    emulator = await startEmulator({ timeScale: 1 });
  });
  after(() => emulator?.close());

  it("one SIGINT: the engine lets the publish reach its deadline, keeps it in state, and the next up resumes it", async () => {
    offerId = "interrupt-once";
    const stack = await inlineStack(kit, "once", program);
    await configureForEmulator(stack, emulator);
    const ac = new AbortController();
    const up = stack.up({ signal: ac.signal }).then(
      () => undefined,
      (e: Error) => e,
    );
    await waitForPublish(up);
    ac.abort(); // SIGINT: the engine cancels what it has not started and waits for the rest
    const err = await up;
    expect(String(err?.message)).to.match(/still running after 4 s|cancel/i);
    await emulator.control.clock({ timeScale: 10_000_000 });
    const second = await stack.up();
    expect(second.summary.result).to.equal("succeeded");
    expect(await publishOps()).to.have.length(1);
    await stack.destroy();
  });

  it("two SIGINTs: the CLI exits with a pending create; refresh --clear-pending-creates, then up: still one publish operation", async () => {
    offerId = "interrupt-twice";
    await emulator.control.clock({ timeScale: 1 });
    const stack = await inlineStack(kit, "twice", program);
    await configureForEmulator(stack, emulator);
    const ac = new AbortController();
    const up = stack.up({ signal: ac.signal }).then(
      () => undefined,
      (e: Error) => e,
    );
    await waitForPublish(up);
    ac.abort();
    await new Promise((r) => setTimeout(r, 300));
    const pids = cliPids("twice");
    expect(pids, "this test's own `pulumi up`").to.have.length(1);
    process.kill(pids[0], "SIGINT"); // the second Ctrl-C: terminate now
    const err = await up;
    expect(err).to.be.instanceOf(Error);
    const pending =
      ((await stack.exportStack()).deployment as { pending_operations?: unknown[] }).pending_operations ?? [];
    expect(pending.length).to.be.greaterThan(0);
    // Documented recovery: drop the pending create, then up again. The service answers the new
    // publish with the operation already running (docs/internals/api-notes.md §8 E9), so nothing runs twice.
    await stack.refresh({ clearPendingCreates: true });
    await emulator.control.clock({ timeScale: 10_000_000 });
    const again = await stack.up();
    expect(again.summary.result).to.equal("succeeded");
    expect(await publishOps()).to.have.length(1);
    await stack.destroy();
  });
});
