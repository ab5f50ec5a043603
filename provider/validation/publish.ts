// SPDX-License-Identifier: Apache-2.0
import { isRecord } from "../util/json.js";
import { UNKNOWN } from "../util/unknown.js";
import { describe, Failures, type InputFailure } from "./failure.js";
import { checkId, checkPublisherId } from "./offer.js";
import { UNREVIEWED } from "../publish/approval.js";

const CONTENT_HASH = /^sha256:[0-9a-f]{64}$/;
const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;

/** Validates OfferPublish inputs without I/O (unknown values are skipped). */
export function validatePublishInputs(inputs: Record<string, unknown>): InputFailure[] {
  const f = new Failures();
  checkPublisherId(f, "publisherId", inputs.publisherId);
  checkId(f, "offerId", inputs.offerId, "offer");
  const target = inputs.target;
  if (target !== UNKNOWN && target !== "preview" && target !== "live") {
    f.add(
      "target",
      `target must be "preview" (publish and stop at publisher sign-off) or "live" (then go live); got ${describe(target)}`,
    );
  }
  const waitFor = inputs.waitFor;
  if (waitFor !== undefined && waitFor !== UNKNOWN) {
    if (waitFor !== "accepted" && waitFor !== "signoff" && waitFor !== "live")
      f.add(
        "waitFor",
        `waitFor must be "accepted" (end the run once the service has accepted the operation), "signoff" (wait until the preview waits for publisher sign-off) or "live" (wait until the offer is live); got ${describe(waitFor)}`,
      );
    else if (waitFor === "live" && target === "preview")
      f.add(
        "waitFor",
        `waitFor "live" needs target "live": a target "preview" never goes live. Use waitFor "signoff" or "accepted", or set target "live"`,
      );
  }
  const failOnTimeout = inputs.failOnTimeout;
  if (failOnTimeout !== undefined && failOnTimeout !== UNKNOWN && typeof failOnTimeout !== "boolean")
    f.add(
      "failOnTimeout",
      `failOnTimeout must be true (a wait that reaches timeoutSeconds fails the run) or false (it ends green with a warning); got ${describe(failOnTimeout)}`,
    );
  const approved = inputs.approvedContentHash;
  if (approved !== UNKNOWN) {
    if (approved === undefined) {
      if (target === "live")
        f.add(
          "approvedContentHash",
          `target "live" needs approvedContentHash: the publishedContentHash of the preview a person reviewed (this OfferPublish's publishedContentHash output once \`pulumi refresh\` shows phase "waitingForSignoff"), or "${UNREVIEWED}" to go live without a review`,
        );
    } else if (typeof approved !== "string" || (approved !== UNREVIEWED && !CONTENT_HASH.test(approved)))
      f.add(
        "approvedContentHash",
        `approvedContentHash must be a publishedContentHash ("sha256:" and 64 hex digits) or "${UNREVIEWED}"; got ${describe(approved)}`,
      );
  }
  const emails = inputs.notificationEmails;
  if (emails !== undefined && emails !== UNKNOWN) {
    if (!Array.isArray(emails)) f.add("notificationEmails", `notificationEmails must be an array of e-mail addresses`);
    else
      emails.forEach((e, i) => {
        if (e !== UNKNOWN && (typeof e !== "string" || !EMAIL.test(e)))
          f.add(
            `notificationEmails[${i}]`,
            `notificationEmails[${i}] must be one e-mail address such as "ops@example.com"; got ${describe(e)}`,
          );
      });
  }
  const timeout = inputs.timeoutSeconds;
  if (timeout !== undefined && timeout !== UNKNOWN && (typeof timeout !== "number" || !(timeout > 0))) {
    f.add(
      "timeoutSeconds",
      `timeoutSeconds must be a positive number of seconds to wait before leaving the operation running for the next up; got ${describe(timeout)}`,
    );
  }
  const poll = inputs.pollIntervalSeconds;
  if (poll !== undefined && poll !== UNKNOWN) {
    if (!isRecord(poll)) f.add("pollIntervalSeconds", `pollIntervalSeconds must be { min?: seconds, max?: seconds }`);
    else {
      for (const k of ["min", "max"]) {
        const v = poll[k];
        if (v !== undefined && v !== UNKNOWN && (typeof v !== "number" || !(v > 0)))
          f.add(`pollIntervalSeconds.${k}`, `pollIntervalSeconds.${k} must be a positive number of seconds`);
      }
      if (typeof poll.min === "number" && typeof poll.max === "number" && poll.min > poll.max) {
        f.add("pollIntervalSeconds", `pollIntervalSeconds.min (${poll.min}) must not exceed max (${poll.max})`);
      }
    }
  }
  return f.list;
}
