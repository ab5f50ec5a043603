// SPDX-License-Identifier: Apache-2.0
import * as pulumi from "@pulumi/pulumi";
import { signaturesEntry, type SasSignatures, type SasSplit } from "../util/sas.js";

/**
 * The `sasSignatures` input of a resource whose value went through `splitSas` in the program:
 * the signatures as a secret, or no input when the value holds no SAS URL.
 */
export function signaturesInput(split: pulumi.Output<SasSplit<unknown>>): pulumi.Output<SasSignatures | undefined> {
  return split.apply((s): pulumi.Output<SasSignatures | undefined> => {
    const { sasSignatures } = signaturesEntry(s.signatures);
    return sasSignatures === undefined
      ? pulumi.output(undefined)
      : (pulumi.secret(sasSignatures) as pulumi.Output<SasSignatures>);
  });
}
