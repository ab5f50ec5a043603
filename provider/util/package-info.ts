// SPDX-License-Identifier: Apache-2.0
import { readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * This package's version, read once from its package.json. It lives here, below both the client
 * and the handlers, so the client (which must not import the handlers) can name it in its
 * User-Agent and the handlers can store it as `providerVersion`.
 */
export const PACKAGE_VERSION: string = (() => {
  // dist/provider/util → package root, in the repository and in an installed package.
  const pkg = JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "package.json"), "utf8")) as {
    version: string;
  };
  return pkg.version;
})();

/**
 * The User-Agent of every request, in the shape Azure SDKs use so the service's logs can tell
 * clients apart: `pulumi-cloudpartner/<version> (node/<version>; <platform>-<arch>)`.
 */
export const USER_AGENT = `pulumi-cloudpartner/${PACKAGE_VERSION} (node/${process.versions.node}; ${process.platform}-${process.arch})`;
