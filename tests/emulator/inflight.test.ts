// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { startEmulator } from "../../emulator/index.js";

/** docs/emulator.md, `GET /inflight`: a delayed request counts until it is served, even abandoned. */
describe("emulator control: GET /inflight", function () {
  this.timeout(20_000);

  it("counts a delayed request until its delay ends, even after the client gave up", async () => {
    const e = await startEmulator();
    try {
      expect(await e.control.inflight()).to.equal(0);
      await e.control.injectFault({ path: "/api/", delayMs: 2000, status: 503 });
      const abort = new AbortController();
      const gaveUp = fetch(`${e.apiUrl}/api/publishers?api-version=2017-10-31`, { signal: abort.signal }).catch(
        () => "aborted",
      );
      // The client gives up once the emulator holds the request (not after a fixed time).
      while ((await e.control.inflight()) === 0) await new Promise((r) => setTimeout(r, 10));
      abort.abort();
      expect(await gaveUp).to.equal("aborted");
      expect(await e.control.inflight()).to.equal(1);
      await e.control.untilQuiet();
      // The emulator served the whole delay after the client gave up (its own measure of it).
      const log = await e.control.requests();
      expect(log.map((r) => r.status)).to.deep.equal([503]);
      // (A timer may fire a millisecond early by the clock that measures the request.)
      expect(log[0].durationMs).to.be.at.least(1995);
    } finally {
      await e.close();
    }
  });
});
