// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { startEmulator } from "../../emulator/index.js";

/** docs/emulator.md, `GET /inflight`: a delayed request counts until it is served, even abandoned. */
describe("emulator control: GET /inflight", function () {
  this.timeout(20_000);

  it("counts a delayed request until its delay ends, even after the client gave up", async () => {
    const e = await startEmulator();
    try {
      const inflight = async () =>
        ((await (await fetch(`${e.controlUrl}/inflight`)).json()) as { inflight: number }).inflight;
      expect(await inflight()).to.equal(0);
      await fetch(`${e.controlUrl}/faults`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ path: "/api/", delayMs: 600, status: 503 }),
      });
      const gaveUp = fetch(`${e.apiUrl}/api/publishers?api-version=2017-10-31`, {
        signal: AbortSignal.timeout(100),
      }).catch(() => "aborted");
      expect(await gaveUp).to.equal("aborted");
      expect(await inflight()).to.equal(1);
      while ((await inflight()) > 0) await new Promise((r) => setTimeout(r, 20));
      // The emulator served the whole delay after the client gave up (its own measure of it).
      const log = (await (await fetch(`${e.controlUrl}/requests`)).json()) as Array<{
        status: number;
        durationMs: number;
      }>;
      expect(log.map((r) => r.status)).to.deep.equal([503]);
      // (A timer may fire a millisecond early by the clock that measures the request.)
      expect(log[0].durationMs).to.be.at.least(595);
    } finally {
      await e.close();
    }
  });
});
