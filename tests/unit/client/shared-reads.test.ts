// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { offerScope, SharedReads } from "../../../provider/client/shared-reads.js";
import type { TransportResponse } from "../../../provider/client/transport.js";

/** A request whose answer the test gives when it wants. */
function pendingRequest() {
  let answer!: (r: TransportResponse) => void;
  let fail!: (e: Error) => void;
  const promise = new Promise<TransportResponse>((res, rej) => {
    answer = res;
    fail = rej;
  });
  return { promise, answer, fail };
}

/** A `send` that counts its calls and answers with `request`. */
function counted(request: Promise<TransportResponse>) {
  const calls = { sent: 0 };
  const send = () => {
    calls.sent++;
    return request;
  };
  return { calls, send };
}

const response = (title: string): TransportResponse => ({ status: 200, headers: { etag: "e1" }, body: { title } });
const SCOPE = offerScope("contoso", "o1");
const URL_A = "https://cpp.test/api/publishers/contoso/offers/o1?api-version=2017-10-31";

describe("SharedReads: concurrent identical GETs share one request", () => {
  it("joins a read in flight; each caller gets its own copy", async () => {
    const shared = new SharedReads();
    const first = pendingRequest();
    const { calls, send } = counted(first.promise);
    const a = shared.read(SCOPE, URL_A, send);
    const b = shared.read(SCOPE, URL_A, send);
    first.answer(response("t"));
    const [ra, rb] = await Promise.all([a, b]);
    expect(calls.sent).to.equal(1);
    expect(rb).to.deep.equal(ra);
    (ra.body as { title: string }).title = "changed by a";
    expect((rb.body as { title: string }).title).to.equal("t");
  });

  it("without maxAgeMs never reuses a finished read: a read after it sends its own request", async () => {
    const shared = new SharedReads();
    let sent = 0;
    const send = async () => response(`r${++sent}`);
    await shared.read(SCOPE, URL_A, send);
    const again = await shared.read(SCOPE, URL_A, send);
    expect(sent).to.equal(2);
    expect(again.body).to.deep.equal({ title: "r2" });
  });

  it("other URLs and other offers are never joined", async () => {
    const shared = new SharedReads();
    const p = pendingRequest();
    const { calls, send } = counted(p.promise);
    const reads = [
      shared.read(SCOPE, URL_A, send),
      shared.read(SCOPE, `${URL_A}&includeAllPricing=true`, send),
      shared.read(offerScope("contoso", "o10"), URL_A, send),
    ];
    p.answer(response("t"));
    await Promise.all(reads);
    expect(calls.sent).to.equal(3);
  });

  it("a read that starts while a write runs, or after it ended, sends its own request", async () => {
    const shared = new SharedReads();
    const before = pendingRequest();
    const put = pendingRequest();
    const sent: string[] = [];
    const old = shared.read(SCOPE, URL_A, () => {
      sent.push("before");
      return before.promise;
    });
    const write = shared.write(SCOPE, () => put.promise);
    // Started after the write began: the read in flight may predate the write.
    const during = shared.read(SCOPE, URL_A, async () => {
      sent.push("during");
      return response("new");
    });
    before.answer(response("old"));
    expect(await during).to.deep.include({ body: { title: "new" } });
    // The write ends while a read sent before its end is still in flight: not joined either.
    const racing = pendingRequest();
    const sentDuringWrite = shared.read(SCOPE, URL_A, () => {
      sent.push("racing");
      return racing.promise;
    });
    put.answer(response("written"));
    await write;
    const afterWrite = shared.read(SCOPE, URL_A, async () => {
      sent.push("after");
      return response("after");
    });
    racing.answer(response("racing"));
    expect(await afterWrite).to.deep.include({ body: { title: "after" } });
    expect((await old).body).to.deep.equal({ title: "old" });
    expect((await sentDuringWrite).body).to.deep.equal({ title: "racing" });
    expect(sent).to.deep.equal(["before", "during", "racing", "after"]);
  });

  it("a failed read fails every caller that joined it, and the next read starts afresh", async () => {
    const shared = new SharedReads();
    const p = pendingRequest();
    const a = shared.read(SCOPE, URL_A, () => p.promise);
    const b = shared.read(SCOPE, URL_A, () => p.promise);
    p.fail(new Error("HTTP 503"));
    const outcomes = await Promise.allSettled([a, b]);
    expect(outcomes.map((o) => o.status)).to.deep.equal(["rejected", "rejected"]);
    const next = await shared.read(SCOPE, URL_A, async () => response("fresh"));
    expect(next.body).to.deep.equal({ title: "fresh" });
  });
});

describe("SharedReads: with maxAgeMs, a finished read is reused within that age", () => {
  /** A clock the test moves by hand. */
  const clock = () => {
    const c = { t: 1000, now: () => c.t };
    return c;
  };
  const numbered = () => {
    let sent = 0;
    const send = async () => response(`r${++sent}`);
    return { send, sent: () => sent };
  };

  it("reuses a copy within the age counted from when its request was sent, then reads again", async () => {
    const c = clock();
    const shared = new SharedReads(c.now);
    const { send, sent } = numbered();
    let answer!: (r: TransportResponse) => void;
    const first = shared.read(SCOPE, URL_A, () => new Promise((res) => (answer = res)), 500);
    c.t += 200; // the request takes 200 ms: its copy ages from when it was sent
    answer(response("r0"));
    const a = await first;
    c.t += 300;
    const b = await shared.read(SCOPE, URL_A, send, 500);
    expect(b.body).to.deep.equal({ title: "r0" });
    (b.body as { title: string }).title = "changed by b";
    expect((await shared.read(SCOPE, URL_A, send, 500)).body).to.deep.equal({ title: "r0" });
    expect(a.body).to.deep.equal({ title: "r0" });
    c.t += 1;
    expect((await shared.read(SCOPE, URL_A, send, 500)).body).to.deep.equal({ title: "r1" });
    expect(sent()).to.equal(1);
  });

  it("a caller without maxAgeMs, another URL or another offer never gets the copy", async () => {
    const shared = new SharedReads(clock().now);
    const { send, sent } = numbered();
    await shared.read(SCOPE, URL_A, send, 60_000);
    await shared.read(SCOPE, URL_A, send);
    await shared.read(SCOPE, `${URL_A}&includeAllPricing=true`, send, 60_000);
    await shared.read(offerScope("contoso", "o10"), URL_A, send, 60_000);
    expect(sent()).to.equal(4);
  });

  it("a write forgets the copy; a response to a read that raced the write is not kept", async () => {
    const shared = new SharedReads(clock().now);
    const { send, sent } = numbered();
    await shared.read(SCOPE, URL_A, send, 60_000);
    await shared.write(SCOPE, async () => undefined);
    expect((await shared.read(SCOPE, URL_A, send, 60_000)).body).to.deep.equal({ title: "r2" });
    // A read sent before a write starts may predate it, even when its answer comes after the
    // write ended: that answer serves its caller only.
    await shared.write(SCOPE, async () => undefined);
    const racing = pendingRequest();
    const old = shared.read(SCOPE, URL_A, () => racing.promise, 60_000);
    await shared.write(SCOPE, async () => undefined);
    racing.answer(response("sent before the write"));
    expect((await old).body).to.deep.equal({ title: "sent before the write" });
    expect((await shared.read(SCOPE, URL_A, send, 60_000)).body).to.deep.equal({ title: "r3" });
    expect(sent()).to.equal(3);
  });

  it("a failed read is not kept", async () => {
    const shared = new SharedReads(clock().now);
    await shared.read(SCOPE, URL_A, () => Promise.reject(new Error("HTTP 503")), 60_000).catch(() => undefined);
    const { send, sent } = numbered();
    await shared.read(SCOPE, URL_A, send, 60_000);
    expect(sent()).to.equal(1);
  });
});
