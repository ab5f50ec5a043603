// SPDX-License-Identifier: Apache-2.0
import { redact } from "../client/index.js";

// The dynamic-provider host passes a provider's stdout to the engine as info lines and stderr
// as error-stream lines (docs/internals/engine.md); there is no other channel. Every
// line goes through redact() so no token or SAS signature can reach the console.

/** Prints one progress or information line. */
export function info(message: string): void {
  console.log(redact(`cloudpartner: ${message}`));
}

/** Prints one warning line. */
export function warn(message: string): void {
  console.error(redact(`cloudpartner: warning: ${message}`));
}
