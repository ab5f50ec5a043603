// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import {
  describeJobError,
  fixForJobErrors,
  isCertificationFailure,
  jobDeadlineError,
  jobEndError,
  jobErrorEntries,
  type PiaJobStatus,
} from "../../../provider/pia/index.js";

const P = "3c9ca0e5-2a1e-4c4b-9e3d-0a1b2c3d4e5f";
const job = { jobId: "d4261631-c583-4949-a612-5150882632e9", statusUrl: "https://x.example/configure/j/status" };
const failed = (errors: unknown[]): PiaJobStatus => ({
  jobId: job.jobId,
  jobStatus: "completed",
  jobResult: "failed",
  errors: errors as PiaJobStatus["errors"],
});

describe("pia: job errors → typed errors (§P5.3)", () => {
  it("a failed job: CPP_OPERATION_FAILED naming each error's resource, code, message and inner codes, with a fix", () => {
    const e = jobEndError(
      job,
      "failed",
      failed([
        {
          resourceId: `plan/${P}/x`,
          code: "badRequest",
          message: "Invalid plan",
          details: [{ code: "schemaValidationError", message: "alias is required" }],
        },
        {
          code: "conflict",
          message: "The submission cannot be pushed to live as its not the latest submission.",
          details: [],
        },
      ]),
    );
    expect(e.code).to.equal("CPP_OPERATION_FAILED");
    expect(e.jobId).to.equal(job.jobId);
    expect(e.operationUrl).to.equal(job.statusUrl);
    expect(e.message)
      .to.contain(`resource plan/${P}/x: badRequest: Invalid plan (schemaValidationError: alias is required)`)
      .and.contain("conflict: The submission cannot be pushed")
      .and.match(/Fix: .*the preview submission is no longer the latest/)
      .and.match(/Fix: .*make the resource match its schema/);
    expect(e.innerCodes).to.deep.equal(["schemaValidationError"]);
    expect(e.serviceErrors).to.deep.equal([
      {
        resourceId: `plan/${P}/x`,
        code: "badRequest",
        message: "Invalid plan",
        details: [{ code: "schemaValidationError", message: "alias is required" }],
      },
      {
        code: "conflict",
        message: "The submission cannot be pushed to live as its not the latest submission.",
        details: [],
      },
    ]);
    expect(e.retryable).to.equal(false);
  });

  it("a certification failure (invalidState about Certification): CPP_OPERATION_REJECTED", () => {
    const status = failed([
      {
        code: "internalServerError",
        message: "Operation failed",
        details: [{ code: "invalidState", message: "Issues found during Certification." }],
      },
    ]);
    const e = jobEndError(job, "failed", status);
    expect(e.code).to.equal("CPP_OPERATION_REJECTED");
    expect(e.message).to.match(
      /rejected by certification: internalServerError: Operation failed \(invalidState: Issues found during Certification\.\)/,
    );
    expect(e.message).to.match(/Fix: address each issue the certification report names/);
    expect(e.innerCodes).to.deep.equal(["invalidState"]);
    // invalidState about something else is a plain failure.
    const other = failed([
      { code: "badRequest", message: "x", details: [{ code: "invalidState", message: "Product is deprecated" }] },
    ]);
    expect(jobEndError(job, "failed", other).code).to.equal("CPP_OPERATION_FAILED");
    expect(isCertificationFailure(jobErrorEntries(status))).to.equal(true);
    expect(isCertificationFailure(jobErrorEntries(other))).to.equal(false);
  });

  it("a cancelled job: CPP_OPERATION_CANCELED, saying what to read before sending again", () => {
    const e = jobEndError(job, "cancelled", {
      jobId: job.jobId,
      jobStatus: "completed",
      jobResult: "cancelled",
      errors: [],
    });
    expect(e.code).to.equal("CPP_OPERATION_CANCELED");
    expect(e.message)
      .to.match(/was cancelled/)
      .and.match(/Fix: read the product/);
    expect(e.serviceErrors).to.deep.equal([]);
  });

  it("known failures get their own fix; unknown ones the general one", () => {
    const table: Array<[unknown, RegExp]> = [
      [
        { code: "internalServerError", message: "An In Progress submission 1152921505694936023 already exists." },
        /wait until it ends/,
      ],
      [
        { message: "Expected a submission id that isn't null or 0 since target type is Live" },
        /go live with the preview submission's durable id/,
      ],
      [
        { code: "BadRequest", message: "The property 'PlanId' is locked by a previous submission" },
        /locked once published/,
      ],
      [{ message: "Cannot delete image '1.0.0' as it is already published" }, /keep every published image version/],
      [{ message: "SupportsNVMe property has already been enabled" }, /cannot be turned off/],
      [
        { code: "badRequest", message: "x", details: [{ code: "productLocked", message: "locked" }] },
        /locked by another job/,
      ],
      [{ code: "badRequest", message: "something new" }, /send the change again; read the product first/],
    ];
    for (const [error, fix] of table) {
      const entries = jobErrorEntries({ errors: [error] as PiaJobStatus["errors"] });
      expect(fixForJobErrors(entries), JSON.stringify(error)).to.match(fix);
    }
  });

  it("tolerates odd error lists and redacts secrets in messages and structured errors", () => {
    expect(jobErrorEntries({ errors: [null, 3, "x", { details: [null, { code: 1 }] }] as any })).to.deep.equal([
      { details: [{}] },
    ]);
    expect(describeJobError({ details: [] })).to.equal("an error without a code or message");
    const sas = "https://a.blob.core.windows.net/v/os.vhd?sv=2020&sig=SECRETSIGNATURE123";
    const e = jobEndError(
      job,
      "failed",
      failed([
        { code: "badRequest", message: `cannot read ${sas}`, details: [{ code: "invalidResource", message: sas }] },
      ]),
    );
    expect(e.message).to.not.contain("SECRETSIGNATURE123");
    expect(JSON.stringify(e.serviceErrors)).to.not.contain("SECRETSIGNATURE123");
    expect(e.stepMessages!.join()).to.not.contain("SECRETSIGNATURE123");
    expect(jobEndError(job, "failed", { jobId: "j" }).message).to.match(/failed without naming an error/);
  });

  it("the deadline: CPP_DEADLINE_EXCEEDED with lastStatus, and the fix to wait for the same job", () => {
    const e = jobDeadlineError(job, "running", undefined);
    expect(e.code).to.equal("CPP_DEADLINE_EXCEEDED");
    expect(e.lastStatus).to.equal("running");
    expect(e.fix).to.match(/wait for the same job again/);
    expect(jobDeadlineError(job, undefined, undefined).lastStatus).to.equal("error");
  });
});
