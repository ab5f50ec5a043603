// SPDX-License-Identifier: Apache-2.0
import { containsUnknown } from "../util/unknown.js";
import { describe, type InputFailure } from "../validation/failure.js";
import { accountProblem } from "./context.js";
import { isAccountName } from "./settings.js";

/**
 * check's verdict on the `account` input every resource has: a name (never a credential) of
 * `cloudpartner:accounts`. A name missing from the configured accounts fails here, at preview,
 * naming the config key; unknown values (preview) are left for the update.
 */
export function accountFailures(news: Record<string, unknown>): InputFailure[] {
  const account = news.account;
  if (account === undefined || containsUnknown(account)) return [];
  if (typeof account !== "string" || !isAccountName(account)) {
    const reason =
      "account must be the name of a credential set in cloudpartner:accounts (letters, digits, '.', '_', '-'); " +
      `got ${describe(account)}`;
    return [{ property: "account", reason }];
  }
  const problem = accountProblem(account);
  return problem ? [{ property: "account", reason: problem }] : [];
}
