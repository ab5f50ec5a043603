// SPDX-License-Identifier: Apache-2.0
import type * as pulumi from "@pulumi/pulumi";

/** The resource kinds served by `pulumi-cloudpartner/handlers`. */
export type ResourceKind = "offer" | "offerPublish" | "vmPricing" | "vmImageVersion";

/**
 * Builds the dynamic provider object of one resource kind. It is serialised into state as
 * `__provider`, so it holds nothing but the kind: no client, no credential, no environment
 * value. Each method loads the handlers by package name inside the call, so the stored text
 * stays a few lines long and always runs the installed package (pulumi-dynamic-providers.md
 * §2.4). Credentials arrive through `configure()` from stack config at deployment time.
 */
function makeProvider(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
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

const providers: Partial<Record<ResourceKind, pulumi.dynamic.ResourceProvider>> = {};

/**
 * The one provider object per kind in this process: the SDK caches a provider's serialised
 * text per object, so sharing it serialises once however many resources a program declares.
 */
export function providerFor(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  return (providers[kind] ??= makeProvider(kind));
}
