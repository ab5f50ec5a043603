// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import fc from "fast-check";
import { CloudPartnerError, isCloudPartnerError } from "../../../provider/client/errors.js";
import { nextPollDelay, pollOperation } from "../../../provider/client/poller.js";

/** A fake clock whose sleep advances time instantly. */
function fakeClock(start = 0) {
  let t = start;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    sleeps,
  };
}

const WORDS = ["running", "inProgress", "notStarted", "mystery", "complete", "failed", "canceled"];

describe("operation poller", () => {
  it("ends by its deadline for any sequence of answers", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.constantFrom(...WORDS), fc.constant("ERROR")), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        async (answers, deadlineIn) => {
          const clock = fakeClock(1000);
          let i = 0;
          const deadline = clock.now() + deadlineIn;
          const fetchOnce = async () => {
            const a = answers[Math.min(i++, answers.length - 1)];
            if (a === "ERROR")
              throw Object.assign(new Error("503"), {
                name: "CloudPartnerError",
                code: "CPP_SERVICE_ERROR",
                retryable: true,
              });
            return { operation: { status: a } };
          };
          try {
            await pollOperation(fetchOnce, "https://x/op", {
              now: clock.now,
              sleep: clock.sleep,
              deadline,
              minIntervalInMs: 1000,
              maxIntervalInMs: 600_000,
            });
          } catch (e) {
            expect(isCloudPartnerError(e), String(e)).to.equal(true);
          }
          expect(clock.now()).to.be.at.most(deadline);
        },
      ),
    );
  });

  it("polls logarithmically, then once per maximum interval", () => {
    let t = 0;
    let polls = 0;
    const day = 86_400_000;
    while (t < 3 * day) {
      t += nextPollDelay(t, 5000, 600_000);
      polls++;
    }
    // 5 s minimum until 50 s (10 polls), then 10 % growth up to the 10-minute cap
    // (log(120)/log(1.1) ≈ 51 polls), then one per 10 minutes.
    expect(polls).to.be.at.most(10 + Math.ceil(Math.log(120) / Math.log(1.1)) + (3 * day) / 600_000 + 2);
    expect(nextPollDelay(1000, 5000, 600_000)).to.equal(5000);
    expect(nextPollDelay(200_000, 5000, 600_000)).to.equal(20_000);
    expect(nextPollDelay(day, 5000, 600_000)).to.equal(600_000);
  });

  it("reports progress only when the step, its status or percentage changes", async () => {
    const clock = fakeClock();
    const answers = [
      { status: "running", steps: [{ id: "a", status: "inProgress", progressPercentage: 10 }] },
      { status: "running", steps: [{ id: "a", status: "inProgress", progressPercentage: 10 }] },
      { status: "running", steps: [{ id: "a", status: "inProgress", progressPercentage: 50 }] },
      { status: "complete", steps: [{ id: "a", status: "complete", progressPercentage: 100 }] },
    ];
    let i = 0;
    const seen: string[] = [];
    await pollOperation(async () => ({ operation: answers[i++] as any }), "u", {
      now: clock.now,
      sleep: clock.sleep,
      onProgress: (p) => seen.push(`${p.status} ${p.step?.progressPercentage}`),
    });
    expect(seen).to.deep.equal(["running 10", "running 50", "succeeded 100"]);
  });

  it("stops at sign-off when asked, fails with step messages, and honours abort", async () => {
    const clock = fakeClock();
    const signoff = { status: "running", steps: [{ id: "publisher-signoff", status: "waitingForPublisherReview" }] };
    expect(
      await pollOperation(async () => ({ operation: signoff as any }), "u", {
        until: "signoff",
        now: clock.now,
        sleep: clock.sleep,
      }),
    ).to.equal(signoff);
    const failed = {
      status: "failed",
      steps: [
        {
          id: "c",
          stepName: "Certification",
          status: "blocked",
          messages: [{ messageHtml: "Image not found", level: "error" }],
        },
      ],
    };
    const e = await pollOperation(async () => ({ operation: failed as any }), "u", {
      now: clock.now,
      sleep: clock.sleep,
    }).catch((x) => x);
    expect(e.code).to.equal("CPP_OPERATION_FAILED");
    expect(e.message).to.match(/Certification.*Image not found/);
    const ac = new AbortController();
    ac.abort();
    const aborted = await pollOperation(async () => ({ operation: { status: "running" } }), "u", {
      abortSignal: ac.signal,
    }).catch((x) => x);
    expect(aborted.code).to.equal("CPP_ABORTED");
  });

  it("a rejected step: CPP_OPERATION_REJECTED naming the step, its reasons and what the publisher must do", async () => {
    const clock = fakeClock();
    const rejected = {
      status: "running",
      steps: [
        {
          id: "c",
          stepName: "Certification",
          status: "rejected",
          messages: [{ messageHtml: "Image <b>not</b> found", level: "error" }],
        },
      ],
    };
    const e = await pollOperation(async () => ({ operation: rejected as any }), "u", {
      now: clock.now,
      sleep: clock.sleep,
    }).catch((x) => x);
    expect(e.code).to.equal("CPP_OPERATION_REJECTED");
    expect(e.message).to.match(
      /rejected at step "Certification": Certification: Image not found\. Fix: address each reason/,
    );
    expect(e.operationUrl).to.equal("u");
  });

  it("a blocked step ends the wait at the first poll that shows it, naming the step; `wait` polls on", async () => {
    const clock = fakeClock();
    const blocked = {
      status: "running",
      steps: [
        {
          id: "p",
          stepName: "Provisioning",
          status: "blocked",
          messages: [{ messageHtml: "Waiting on a manual review.", level: "warning" }],
        },
      ],
    };
    const answers = [
      { status: "running", steps: [{ id: "p", stepName: "Provisioning", status: "inProgress" }] },
      blocked,
    ];
    let polls = 0;
    const fetchOnce = async () => ({ operation: answers[Math.min(polls++, 1)] as any });
    const e = await pollOperation(fetchOnce, "https://x/op", {
      now: clock.now,
      sleep: clock.sleep,
      deadline: 600_000,
      minIntervalInMs: 1000,
    }).catch((x) => x);
    expect(e.code).to.equal("CPP_OPERATION_BLOCKED");
    expect(e.message).to.match(
      /blocked at step "Provisioning" \(Waiting on a manual review\.\).*Fix: resolve what step "Provisioning" asks for/,
    );
    expect(e.operationUrl).to.equal("https://x/op");
    expect(polls).to.equal(2);
    polls = 0;
    const waited = await pollOperation(fetchOnce, "https://x/op", {
      now: clock.now,
      sleep: clock.sleep,
      deadline: clock.now() + 60_000,
      minIntervalInMs: 1000,
      whenBlocked: "wait",
    }).catch((x) => x);
    expect(waited.code).to.equal("CPP_DEADLINE_EXCEEDED");
    expect(polls).to.be.greaterThan(2);
  });

  it("a deadline error carries the operation URL to resume from", async () => {
    const clock = fakeClock();
    const e = await pollOperation(async () => ({ operation: { status: "running" } }), "https://x/op?api-version=1", {
      now: clock.now,
      sleep: clock.sleep,
      deadline: 60_000,
    }).catch((x) => x);
    expect(e.code).to.equal("CPP_DEADLINE_EXCEEDED");
    expect(e.operationUrl).to.equal("https://x/op?api-version=1");
    expect(e.lastStatus).to.equal("running");
  });

  it("a deadline reports the last status the operation gave, through a passing error; `error` only if none answered", async () => {
    const flaky = (answered: boolean) => {
      let polls = 0;
      return async () => {
        polls++;
        if (answered && polls === 1) return { operation: { status: "running" } as any };
        throw new CloudPartnerError("CPP_SERVICE_ERROR", "503 from the service");
      };
    };
    for (const [answered, expected] of [
      [true, "running"],
      [false, "error"],
    ] as const) {
      const clock = fakeClock();
      const e = await pollOperation(flaky(answered), "https://x/op", {
        now: clock.now,
        sleep: clock.sleep,
        deadline: 60_000,
      }).catch((x) => x);
      expect(e.code, String(answered)).to.equal("CPP_DEADLINE_EXCEEDED");
      expect(e.lastStatus, String(answered)).to.equal(expected);
    }
  });
});
