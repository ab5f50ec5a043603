// SPDX-License-Identifier: Apache-2.0
/**
 * One redaction function for every message, log and progress line: bearer tokens, JWTs, SAS
 * signatures (`sig=`), form-encoded client secrets and assertions, and any secret value
 * registered at run time (the configured client secret).
 */
const registered = new Set<string>();

/** Registers a secret value that must never be printed (ignores values too short to be secret). */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 6) registered.add(value);
}

const PATTERNS: Array<[RegExp, string]> = [
  [/(Bearer\s+)[A-Za-z0-9\-._~+/]+=*/gi, "$1[redacted]"],
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, "[redacted-jwt]"],
  [/([?&;](?:amp;)?sig=)[^&\s"'<>;]+/gi, "$1[redacted]"],
  [/((?:client_secret|client_assertion|access_token|refresh_token|password)=)[^&\s"']+/gi, "$1[redacted]"],
  [
    /("(?:client_secret|client_assertion|access_token|clientSecret|accessToken|password)"\s*:\s*")[^"]*"/gi,
    '$1[redacted]"',
  ],
];

/** Returns `text` with every secret removed. Idempotent. */
export function redact(text: string): string {
  let out = String(text);
  for (const secret of registered) if (out.includes(secret)) out = out.split(secret).join("[redacted]");
  for (const [re, by] of PATTERNS) out = out.replace(re, by);
  return out;
}
