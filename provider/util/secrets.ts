// SPDX-License-Identifier: Apache-2.0
/**
 * Whether an offer-definition key holds a secret. The API never returns secret-typed fields on
 * GET (docs/internals/api-notes.md §5.2) and does not say which they are (§13.11); we treat lead-configuration
 * connection strings, passwords and client secrets as secret by name. The emulator applies the
 * same rule independently.
 */
export function isSecretKey(key: string): boolean {
  return /(password|secret|connectionstring)$/i.test(key);
}
