// SPDX-License-Identifier: Apache-2.0
import type * as pulumi from "@pulumi/pulumi";
import type { ResourceKind } from "../dynamic/make.js";

export type { ResourceKind } from "../dynamic/make.js";

/**
 * The provider object of one resource kind: the export of its module in provider/dynamic, taken
 * with require() because the SDK stores a require() of the module only for the very object the
 * module exports (an `import * as` would hand over a copy, stored as 5 KB of source text).
 * Each module is loaded once, so the SDK also serialises each kind once per program.
 */
export function providerFor(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  switch (kind) {
    case "offer":
      return require("../dynamic/offer.js");
    case "offerPublish":
      return require("../dynamic/offer-publish.js");
    case "vmPricing":
      return require("../dynamic/vm-pricing.js");
    case "vmImageVersion":
      return require("../dynamic/vm-image-version.js");
  }
}
