// SPDX-License-Identifier: Apache-2.0
/**
 * Wire types of the Product Ingestion API (docs/internals/api-notes.md §P3, §P5): resources,
 * the resource tree, configure jobs and submissions. Every resource may carry fields these
 * types do not name (the schemas grow with each version), so each keeps an index signature.
 */

/** The resource types a VM offer is made of, plus the configure envelope (docs/internals/api-notes.md §P3.2). */
export type PiaResourceType =
  | "configure"
  | "product"
  | "property"
  | "listing"
  | "listing-asset"
  | "listing-trailer"
  | "plan"
  | "plan-listing"
  | "price-and-availability-offer"
  | "price-and-availability-plan"
  | "price-and-availability-update-private-audiences"
  | "virtual-machine-plan-technical-configuration"
  | "core-virtual-machine-plan-technical-configuration"
  | "submission"
  | "reseller"
  | "customer-leads"
  | "test-drive";

/** The product versions the API keeps: the draft being edited, the preview and the live one. */
export type PiaTarget = "draft" | "preview" | "live";

/**
 * A reference to another resource: its durable id, its external id (only for properties named
 * `product` and `plan`), or the `resourceName` of a resource in the same configure request.
 */
export type PiaResourceRef = string | { externalId: string } | { resourceName: string };

/** A read-only note the service attaches to a resource. */
export interface PiaValidation {
  level?: "informational" | "warning" | string;
  code?: string;
  message?: string;
  resourceId?: string;
}

/** Any resource: a `$schema` naming its type and version, and (once created) its durable id. */
export interface PiaResource {
  /** `https://schema.mp.microsoft.com/schema/<type>/<version>`. */
  $schema: string;
  /** The durable id (`<type>/<ids>`); omitted to create the resource. */
  id?: string;
  /** A name local to one configure request, for references and error messages; never stored. */
  resourceName?: string;
  product?: PiaResourceRef;
  plan?: PiaResourceRef;
  lifecycleState?: "generallyAvailable" | "deprecated" | "deleted" | string;
  /** Read-only notes of the service. */
  validations?: PiaValidation[];
  [field: string]: unknown;
}

/** The identity of a product or plan: the external id (the CPP offer id or plan id). */
export interface PiaIdentity {
  externalId: string;
  [field: string]: unknown;
}

/** A `product` resource. */
export interface PiaProduct extends PiaResource {
  identity: PiaIdentity;
  /** `azureVirtualMachine`, `coreVirtualMachine`, … */
  type: string;
  alias: string;
}

/** A `plan` resource. */
export interface PiaPlan extends PiaResource {
  identity: PiaIdentity;
  alias: string;
  /** `azureGlobal`, `azureGovernment`, … */
  azureRegions?: string[];
}

/** A `submission` resource: a product version (draft, preview or live) and its publishing state. */
export interface PiaSubmission extends PiaResource {
  target: { targetType: PiaTarget | string; [field: string]: unknown };
  /** Read-only: `notStarted`, `running`, `completed`, … */
  status?: string;
  /** Read-only: `pending`, `succeeded`, `failed`, … */
  result?: string;
  /** Read-only: when the submission was created. */
  created?: string;
}

/** Every resource of a product for one target (`GET resource-tree/product/<P>`). */
export interface PiaResourceTree {
  $schema?: string;
  /** The product's durable id. */
  root: string;
  target: { targetType: PiaTarget | string };
  resources: PiaResource[];
  [field: string]: unknown;
}

/** Where a configure job is (`jobStatus`). */
export type PiaJobStatusWord = "notStarted" | "running" | "completed";

/** How a configure job ended (`jobResult`; `pending` until it completes). */
export type PiaJobResultWord = "pending" | "succeeded" | "failed" | "cancelled";

/** An inner error of a job error. */
export interface PiaInnerError {
  /** `schemaValidationError`, `invalidState`, `productLocked`, … */
  code?: string;
  message?: string;
  [field: string]: unknown;
}

/** One error of a job: the resource it is about, its code and message, and inner errors. */
export interface PiaJobError {
  resourceId?: string;
  /** `badRequest`, `conflict`, `internalServerError`, … */
  code?: string;
  message?: string;
  details?: PiaInnerError[];
  [field: string]: unknown;
}

/** A configure job's status (the answer of `POST configure` and `GET configure/<jobId>/status`). */
export interface PiaJobStatus {
  $schema?: string;
  /** The job id (the client also reads the `jobID` spelling of one documentation sample). */
  jobId: string;
  jobStatus?: PiaJobStatusWord | string;
  jobResult?: PiaJobResultWord | string;
  jobStart?: string;
  /** `0001-01-01T00:00:00` until the job ends. */
  jobEnd?: string;
  errors?: PiaJobError[];
  /** Set when the job succeeded. */
  resourceUri?: string;
  [field: string]: unknown;
}

/** A completed job's detail (`GET configure/<jobId>`): the resources it wrote, with their durable ids. */
export interface PiaJobDetail {
  $schema?: string;
  jobId?: string;
  jobStatus?: string;
  jobResult?: string;
  resources: PiaResource[];
  [field: string]: unknown;
}

/** The body of `POST configure`. */
export interface PiaConfigureRequest {
  /** `https://schema.mp.microsoft.com/schema/configure/<version>`. */
  $schema: string;
  resources: PiaResource[];
}

/** One page of a list (`{"value": [...], "@nextLink": "..."}`). */
export interface PiaPage<T> {
  value: T[];
  "@nextLink"?: string;
  /** A continuation token, when the service gives one instead of a link. */
  continuationToken?: string;
  [field: string]: unknown;
}
