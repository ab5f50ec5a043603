// SPDX-License-Identifier: Apache-2.0
import { CloudPartnerError } from "./errors.js";

/** True for loopback hosts (127.0.0.0/8, localhost, ::1): the only place plain http is allowed. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, "");
  return h === "localhost" || h === "::1" || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** Refuses anything but https, except plain http on loopback (the emulator). */
export function assertSecureUrl(value: string, what: "endpoint" | "authority"): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CloudPartnerError(
      "CPP_CONFIGURATION",
      `the ${what} "${value}" is not a URL; set cloudpartner:${what} to an https URL`,
    );
  }
  if (url.protocol === "https:" || (url.protocol === "http:" && isLoopbackHost(url.hostname))) return url;
  throw new CloudPartnerError(
    "CPP_CONFIGURATION",
    `the ${what} "${value}" must use https (plain http is accepted only on loopback, for the emulator); fix cloudpartner:${what}`,
  );
}
