// SPDX-License-Identifier: Apache-2.0
import { PACKAGE_VERSION } from "../util/package-info.js";

/**
 * This package's version, stored as each resource's `providerVersion` output. A new version
 * makes `diff` report a change, so the next `up` runs update, which stores the new provider
 * code in state (the workaround of pulumi/pulumi#6490); no request is made when nothing else
 * changed.
 */
export const PROVIDER_VERSION: string = PACKAGE_VERSION;
