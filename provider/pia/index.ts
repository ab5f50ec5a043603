// SPDX-License-Identifier: Apache-2.0
/**
 * The typed Product Ingestion API client (`pulumi-cloudpartner/pia`): no Pulumi import, usable
 * on its own in scripts and other tools. It shares the CPP client's HTTP stack, credentials and
 * errors (`pulumi-cloudpartner/client`); what both use is exported here as well.
 */
export { PiaClient, PIA_VERSION, type ListOptions, type PiaClientOptions, type WaitForJobOptions } from "./client.js";
export {
  DRAFT_SUBMISSION_NUMBER,
  DURABLE_ID_PATTERN,
  formatDurableId,
  isDurableId,
  parseDurableId,
  parseSubmissionId,
  planDurableId,
  productDurableId,
  productGuidOf,
  requireDurableId,
  submissionDurableId,
  type DurableId,
} from "./ids.js";
export {
  DEFAULT_JOB_POLL,
  TERMINAL_JOB_STATES,
  isTerminalJobState,
  jobIdOf,
  jobKindOf,
  nextJobPollDelay,
  normalizeJobState,
  type JobPollIntervals,
  type PiaJobKind,
  type PiaJobState,
} from "./jobs.js";
export {
  describeJobError,
  fixForJobErrors,
  isCertificationFailure,
  jobAbortedError,
  jobDeadlineError,
  jobEndError,
  jobErrorEntries,
  type JobRef,
} from "./job-errors.js";
export { isWithinEndpoint, nextPageUrl, resolveNextLink } from "./paging.js";
export {
  currentSchemaUrl,
  parseSchemaUrl,
  RETIRED_SCHEMA_HOST,
  SCHEMA_HOST,
  SCHEMA_VERSIONS,
  schemaUrl,
} from "./schema.js";
export { GRAPH_SCOPE, graphScopeFor, normalizeEndpoint, PIA_ENDPOINT, SOVEREIGN_GRAPH_HOSTS } from "./scope.js";
export { encodeQueryValue, hasQueryParam, piaUrl, VERSION_PARAM, withQueryParam } from "./urls.js";
export { pollJob, type JobPollAnswer, type JobProgress, type PollJobOptions } from "./wait.js";
export type * from "./models.js";
// Shared with the CPP client: credentials, errors, retry settings.
export { createPiaTokenProvider } from "./tokens.js";
export {
  DEFAULT_AUTHORITY,
  type ClientCertificateCredentialOptions,
  type ClientSecretCredentialOptions,
  type CredentialOptions,
  type FederatedCredentialOptions,
  type TokenProvider,
} from "../client/auth.js";
export type { RequestOptions } from "../client/client.js";
export {
  CloudPartnerError,
  ERROR_CODES,
  isCloudPartnerError,
  isErrorCode,
  type CloudPartnerErrorCode,
  type CloudPartnerErrorDetails,
  type ServiceErrorEntry,
  type ServiceInnerError,
} from "../client/errors.js";
export { DEFAULT_RETRY, type RetryOptions } from "../client/retry.js";
