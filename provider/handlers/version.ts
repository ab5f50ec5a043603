// SPDX-License-Identifier: Apache-2.0
import { readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * This package's version, stored as each resource's `providerVersion` output. A new version
 * makes `diff` report a change, so the next `up` runs update, which stores the new provider
 * code in state (the workaround of pulumi/pulumi#6490); no request is made when nothing else
 * changed.
 */
export const PROVIDER_VERSION: string = (() => {
  // dist/provider/handlers → package root, in the repository and in an installed package.
  const pkg = JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "package.json"), "utf8")) as { version: string };
  return pkg.version;
})();
