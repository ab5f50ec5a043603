// SPDX-License-Identifier: Apache-2.0
/**
 * The resource handlers, reached at run time by package name (`pulumi-cloudpartner/handlers`)
 * from the tiny provider objects stored in state. Because the stored code only names this
 * module, `refresh` and `delete` of existing resources run the installed version of the
 * package, not code frozen at the last update.
 *
 * Internal: `pulumi-cloudpartner/handlers` and `pulumi-cloudpartner/dynamic/*` are exported only
 * for that stored code. They are not an API for programs and change in any release.
 */
import * as offer from "./offer.js";
import * as offerPublish from "./offer-publish.js";
import * as vmPricing from "./vm-pricing.js";
import * as vmImageVersion from "./vm-image-version.js";

export { configure } from "./context.js";
export { PROVIDER_VERSION } from "./version.js";

/** The lifecycle methods of one resource kind. */
export interface ResourceHandlers {
  check(olds: any, news: any): Promise<any>;
  diff(id: string, olds: any, news: any): Promise<any>;
  create(inputs: any): Promise<any>;
  read(id: string, props?: any): Promise<any>;
  update(id: string, olds: any, news: any): Promise<any>;
  remove(id: string, props: any): Promise<void>;
}

/** Handlers by resource kind. */
export const handlers: Record<"offer" | "offerPublish" | "vmPricing" | "vmImageVersion", ResourceHandlers> = {
  offer,
  offerPublish,
  vmPricing,
  vmImageVersion,
};
