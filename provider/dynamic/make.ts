// SPDX-License-Identifier: Apache-2.0
import type * as pulumi from "@pulumi/pulumi";

/** The resource kinds served by `pulumi-cloudpartner/handlers`. */
export type ResourceKind = "offer" | "offerPublish" | "vmPricing" | "vmImageVersion";

/**
 * Builds the dynamic provider object of one resource kind, the whole export of one module of
 * this folder. The SDK stores a provider in state as `__provider`, the source text of a closure
 * over it; a provider object that is the export of an installed package's module is stored as a
 * `require()` of that module (about 300 bytes instead of 2.8 KB, in both the inputs and the
 * outputs of every resource, and rewritten with every checkpoint). When the package is not under
 * `node_modules` (a project that links this repository), the SDK stores the object's source
 * instead, which works the same way: it holds nothing but the kind (no client, credential or
 * environment value) and each method loads the handlers by package name when it runs, so the
 * stored text always runs the installed package (docs/internals/engine.md). Credentials arrive through
 * `configure()` from stack config at deployment time.
 */
export function makeProvider(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  return {
    async configure(req) {
      require("pulumi-cloudpartner/handlers").configure(req);
    },
    async check(olds, news) {
      return require("pulumi-cloudpartner/handlers").handlers[kind].check(olds, news);
    },
    async diff(id, olds, news) {
      return require("pulumi-cloudpartner/handlers").handlers[kind].diff(id, olds, news);
    },
    async create(inputs) {
      return require("pulumi-cloudpartner/handlers").handlers[kind].create(inputs);
    },
    async read(id, props) {
      return require("pulumi-cloudpartner/handlers").handlers[kind].read(id, props);
    },
    async update(id, olds, news) {
      return require("pulumi-cloudpartner/handlers").handlers[kind].update(id, olds, news);
    },
    async delete(id, props) {
      return require("pulumi-cloudpartner/handlers").handlers[kind].remove(id, props);
    },
  };
}
