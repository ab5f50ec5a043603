// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import * as client from "../../../provider/client/index.js";
import { ERROR_CODES, isErrorCode } from "../../../provider/index.js";
import { describeFailure, ResourceError } from "../../../provider/handlers/errors.js";

/** docs/errors.md is the README's "Errors" table: it must list exactly the exported union. */
describe("error codes: one exported union, documented", () => {
  it("docs/errors.md lists every code of ERROR_CODES, and no other", () => {
    const doc = readFileSync(resolve(__dirname, "..", "..", "..", "..", "docs", "errors.md"), "utf8");
    const documented = [...doc.matchAll(/^\| `(CPP_[A-Z_]+)`\s*\|/gm)].map((m) => m[1]);
    expect([...documented].sort()).to.deep.equal([...ERROR_CODES].sort());
  });

  it("the union is exported by pulumi-cloudpartner and by pulumi-cloudpartner/client alike", () => {
    expect(client.ERROR_CODES).to.equal(ERROR_CODES);
    expect(ERROR_CODES).to.include.members(["CPP_OPERATION_BLOCKED", "CPP_OPERATION_REJECTED", "CPP_CHANGED_OUTSIDE"]);
  });

  it("a foreign error's own code is not taken for one of ours: it becomes CPP_UNEXPECTED", () => {
    const e = describeFailure("Offer p/o", Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }));
    expect((e as ResourceError).code).to.equal("CPP_UNEXPECTED");
    expect(e.message).to.equal("Offer p/o: socket hang up");
    expect(
      (describeFailure("Offer p/o", Object.assign(new Error("x"), { code: "CPP_CONFIGURATION" })) as ResourceError)
        .code,
    ).to.equal("CPP_CONFIGURATION");
    expect(isErrorCode("CPP_OPERATION_BLOCKED")).to.equal(true);
    expect(isErrorCode("CPP_SOMETHING")).to.equal(false);
  });
});
