// SPDX-License-Identifier: Apache-2.0
/**
 * The typed Cloud Partner Portal client (`pulumi-cloudpartner/client`): no Pulumi import, usable
 * on its own in scripts and other tools.
 */
export {
  CloudPartnerClient,
  API_VERSION,
  DEFAULT_ENDPOINT,
  type CloudPartnerClientOptions,
  type PutConcurrency,
  type RequestOptions,
  type WithETag,
} from "./client.js";
export {
  createTokenProvider,
  CPP_SCOPE,
  DEFAULT_AUTHORITY,
  readFederatedToken,
  type ClientCertificateCredentialOptions,
  type ClientSecretCredentialOptions,
  type CredentialOptions,
  type FederatedCredentialOptions,
  type TokenProvider,
} from "./auth.js";
export {
  CloudPartnerError,
  ERROR_CODES,
  isCloudPartnerError,
  isErrorCode,
  parseErrorBody,
  type CloudPartnerErrorCode,
  type CloudPartnerErrorDetails,
  type ServiceApi,
  type ServiceErrorBody,
  type ServiceErrorEntry,
  type ServiceInnerError,
} from "./errors.js";
export { quoteETag } from "./etag.js";
export { parseOperationUrl, resolveOperationUrl } from "./location.js";
export { nextPollDelay, pollOperation, type OperationProgress, type PollAnswer, type PollOptions } from "./poller.js";
export { redact, registerSecret } from "./redact.js";
export {
  computeRetryDelay,
  parseRetryAfter,
  serverRetryAfter,
  DEFAULT_RETRY,
  RETRY_AFTER_HEADERS,
  type ResponseHeaders,
  type RetryDecision,
  type RetryOptions,
} from "./retry.js";
export {
  blockedStep,
  currentStep,
  failureMessages,
  isTerminalStatus,
  normalizeOperationStatus,
  rejectedStep,
  stepMessageTexts,
  type NormalizedStatus,
} from "./status.js";
export { assertSecureUrl, isLoopbackHost } from "./url-policy.js";
export type * from "./models.js";
