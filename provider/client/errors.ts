// SPDX-License-Identifier: Apache-2.0
import { redact } from "./redact.js";

/**
 * Every error code this package raises, client and resources alike (docs/errors.md explains
 * each). Match on these, never on classes or messages.
 */
export const ERROR_CODES = [
  // Raised by the client (HTTP, transport, authentication, operations).
  "CPP_BAD_REQUEST",
  "CPP_UNAUTHORIZED",
  "CPP_FORBIDDEN",
  "CPP_NOT_FOUND",
  "CPP_CONFLICT",
  "CPP_PRECONDITION_FAILED",
  "CPP_VALIDATION_FAILED",
  "CPP_THROTTLED",
  "CPP_SERVICE_ERROR",
  "CPP_HTTP_ERROR",
  "CPP_NETWORK_ERROR",
  "CPP_TIMEOUT",
  "CPP_INVALID_RESPONSE",
  "CPP_AUTH_FAILED",
  "CPP_CONFIGURATION",
  "CPP_OPERATION_FAILED",
  "CPP_OPERATION_REJECTED",
  "CPP_OPERATION_BLOCKED",
  "CPP_OPERATION_CANCELED",
  "CPP_DEADLINE_EXCEEDED",
  "CPP_ABORTED",
  // Raised by the resources (provider/handlers).
  "CPP_CHANGED_OUTSIDE",
  "CPP_LOST_UPDATE",
  "CPP_API_UNSUPPORTED",
  "CPP_OFFER_EXISTS",
  "CPP_OFFER_NOT_FOUND",
  "CPP_OFFER_TYPE_MISMATCH",
  "CPP_PLAN_NOT_FOUND",
  "CPP_PRICING_RULE",
  "CPP_IMPORT_UNSUPPORTED",
  "CPP_INVALID_ID",
  "CPP_IMAGE_OFFER_TYPE",
  "CPP_IMAGE_FIELD_UNSUPPORTED",
  "CPP_IMAGE_VERSION_LIMIT",
  "CPP_IMAGE_DATA_DISKS",
  "CPP_IMAGE_VERSION_LOWER",
  "CPP_IMAGE_HIDE_UNSUPPORTED",
  "CPP_APPROVAL_MISMATCH",
  // Raised by the cloudpartner-export command.
  "CPP_EXPORT_USAGE",
  "CPP_EXPORT_TARGET",
  "CPP_EXPORT_NOTHING",
  "CPP_PARTIAL_FAILURE",
  // Anything that is not one of the above (a bug): never expected by a test.
  "CPP_UNEXPECTED",
] as const;

/** Stable codes of every error the client and the resources raise (see {@link ERROR_CODES}). */
export type CloudPartnerErrorCode = (typeof ERROR_CODES)[number];

const KNOWN_CODES: ReadonlySet<string> = new Set(ERROR_CODES);

/** True when `code` is one of {@link ERROR_CODES}. */
export function isErrorCode(code: unknown): code is CloudPartnerErrorCode {
  return typeof code === "string" && KNOWN_CODES.has(code);
}

/** Codes worth retrying (or, while polling, worth polling through). */
const RETRYABLE: ReadonlySet<CloudPartnerErrorCode> = new Set([
  "CPP_THROTTLED",
  "CPP_SERVICE_ERROR",
  "CPP_NETWORK_ERROR",
  "CPP_TIMEOUT",
]);

/** What an error carries besides its message. */
export interface CloudPartnerErrorDetails {
  statusCode?: number;
  serviceCode?: string;
  requestId?: string;
  correlationId?: string;
  /** The `x-ms-client-request-id` this client sent. */
  clientRequestId?: string;
  method?: string;
  url?: string;
  fix?: string;
  operationUrl?: string;
  stepMessages?: string[];
  /**
   * CPP_DEADLINE_EXCEEDED: the operation's last status seen (a normalised status), or `error`
   * when no poll answered.
   */
  lastStatus?: string;
  /**
   * The errors the service reported with their inner errors, structured: the `error` of an error
   * body (with its `details`), or the `errors` of a failed Product Ingestion API job.
   */
  serviceErrors?: ServiceErrorEntry[];
  /** Product Ingestion API: the configure job the error is about. */
  jobId?: string;
  /**
   * Overrides whether the error is worth retrying (default: by code). A write whose answer may
   * have been processed is not, whatever its status.
   */
  retryable?: boolean;
  cause?: unknown;
}

/** An inner error: an item of the `details` of an error body or of a job's error. */
export interface ServiceInnerError {
  code?: string;
  message?: string;
  /** The property or resource the inner error is about, when the service names one. */
  target?: string;
}

/**
 * One error the service reported: the `error` of an error body, or an item of the `errors` of a
 * Product Ingestion API job (`resourceId` names the resource it is about).
 */
export interface ServiceErrorEntry {
  resourceId?: string;
  code?: string;
  message?: string;
  details: ServiceInnerError[];
}

/**
 * The one error type of the client: a stable `code`, the HTTP and service details, the ids to
 * quote to Microsoft support, and `fix`, what to do. The message is always redacted.
 */
export class CloudPartnerError extends Error {
  readonly code: CloudPartnerErrorCode;
  readonly statusCode?: number;
  readonly serviceCode?: string;
  readonly requestId?: string;
  readonly correlationId?: string;
  /** The `x-ms-client-request-id` of the failed call: quote it to Microsoft support. */
  readonly clientRequestId?: string;
  readonly method?: string;
  readonly url?: string;
  readonly fix?: string;
  readonly operationUrl?: string;
  readonly stepMessages?: string[];
  /** CPP_DEADLINE_EXCEEDED: the last status seen (`running`, `unknown`, …, or `error` when no poll answered). */
  readonly lastStatus?: string;
  /** The service's errors with their inner errors (see {@link CloudPartnerErrorDetails.serviceErrors}). */
  readonly serviceErrors?: ServiceErrorEntry[];
  /** The inner codes of {@link CloudPartnerError.serviceErrors}, each once, in order (e.g. `schemaValidationError`). */
  readonly innerCodes?: string[];
  /** Product Ingestion API: the configure job the error is about. */
  readonly jobId?: string;
  readonly retryable: boolean;

  constructor(code: CloudPartnerErrorCode, message: string, details: CloudPartnerErrorDetails = {}) {
    super(redact(message), details.cause !== undefined ? { cause: details.cause } : undefined);
    this.name = "CloudPartnerError";
    this.code = code;
    this.statusCode = details.statusCode;
    this.serviceCode = details.serviceCode;
    this.requestId = details.requestId;
    this.correlationId = details.correlationId;
    this.clientRequestId = details.clientRequestId;
    this.method = details.method;
    this.url = details.url === undefined ? undefined : redact(details.url);
    this.fix = details.fix;
    this.operationUrl = details.operationUrl === undefined ? undefined : redact(details.operationUrl);
    this.stepMessages = details.stepMessages?.map(redact);
    this.lastStatus = details.lastStatus;
    if (details.serviceErrors !== undefined) {
      this.serviceErrors = details.serviceErrors.map(redactEntry);
      this.innerCodes = [
        ...new Set(this.serviceErrors.flatMap((e) => e.details.map((d) => d.code).filter((c) => c !== undefined))),
      ];
    }
    this.jobId = details.jobId;
    this.retryable = details.retryable ?? RETRYABLE.has(code);
  }
}

function redactEntry(e: ServiceErrorEntry): ServiceErrorEntry {
  const text = (v: string | undefined) => (v === undefined ? undefined : redact(v));
  return {
    ...(e.resourceId !== undefined ? { resourceId: text(e.resourceId) } : {}),
    ...(e.code !== undefined ? { code: e.code } : {}),
    ...(e.message !== undefined ? { message: text(e.message) } : {}),
    details: e.details.map((d) => ({
      ...(d.code !== undefined ? { code: d.code } : {}),
      ...(d.message !== undefined ? { message: text(d.message) } : {}),
      ...(d.target !== undefined ? { target: text(d.target) } : {}),
    })),
  };
}

/**
 * True when `e` is a CloudPartnerError (optionally with `code`). Checks the name and code, not
 * `instanceof`, so it works across two copies of this package in one process.
 */
export function isCloudPartnerError(e: unknown, code?: CloudPartnerErrorCode): e is CloudPartnerError {
  if (typeof e !== "object" || e === null) return false;
  const err = e as { name?: unknown; code?: unknown };
  if (err.name !== "CloudPartnerError" || typeof err.code !== "string") return false;
  return code === undefined || err.code === code;
}

/** What an HTTP error response tells us, parsed from either body shape (docs/internals/api-notes.md §2.3, §3). */
export interface ServiceErrorBody {
  code?: string;
  message?: string;
  /** The `details` as text (`target: message`). */
  details?: string[];
  /** The `details` that are objects, structured (`{code, message, target}`), when there are any. */
  innerErrors?: ServiceInnerError[];
  html?: boolean;
}

/** Parses `{error:{code,message,details}}`, `{Message}` or an HTML gateway page. Pure. */
export function parseErrorBody(text: string): ServiceErrorBody {
  const trimmed = text.trim();
  if (trimmed === "") return {};
  if (trimmed.startsWith("<")) {
    const title = /<title>([^<]*)<\/title>/i.exec(trimmed)?.[1]?.trim();
    return { html: true, message: title ? `an HTML page ("${title}")` : "an HTML page" };
  }
  try {
    const body = JSON.parse(trimmed) as Record<string, any>;
    const err = body?.error;
    if (err && typeof err === "object") {
      const details = Array.isArray(err.details)
        ? err.details.map((d: any) =>
            d && typeof d === "object" ? [d.target, d.message].filter(Boolean).join(": ") : String(d),
          )
        : undefined;
      const innerErrors: ServiceInnerError[] = Array.isArray(err.details)
        ? err.details
            .filter((d: any) => d && typeof d === "object")
            .map((d: any) => {
              const [code, message, target] = [str(d.code), str(d.message), str(d.target)];
              return {
                ...(code !== undefined ? { code } : {}),
                ...(message !== undefined ? { message } : {}),
                ...(target !== undefined ? { target } : {}),
              };
            })
        : [];
      return {
        code: str(err.code),
        message: str(err.message),
        ...(details?.length ? { details } : {}),
        ...(innerErrors.length ? { innerErrors } : {}),
      };
    }
    if (typeof body?.Message === "string") return { message: body.Message };
    if (typeof body?.message === "string") return { code: str(body.code), message: body.message };
    return {};
  } catch {
    return { message: trimmed.slice(0, 200) };
  }
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** Maps an HTTP status to the error code. Pure. */
export function codeForStatus(status: number): CloudPartnerErrorCode {
  switch (status) {
    case 400:
      return "CPP_BAD_REQUEST";
    case 401:
      return "CPP_UNAUTHORIZED";
    case 403:
      return "CPP_FORBIDDEN";
    case 404:
      return "CPP_NOT_FOUND";
    case 408:
      return "CPP_TIMEOUT";
    case 409:
      return "CPP_CONFLICT";
    case 412:
      return "CPP_PRECONDITION_FAILED";
    case 422:
      return "CPP_VALIDATION_FAILED";
    case 429:
      return "CPP_THROTTLED";
    default:
      return status >= 500 ? "CPP_SERVICE_ERROR" : "CPP_HTTP_ERROR";
  }
}

/** The API a request went to: the Cloud Partner Portal API (default) or the Product Ingestion API. */
export type ServiceApi = "cpp" | "pia";

/**
 * How to fix each kind of failure, in the words a publisher needs, for the API the request went
 * to (`api`, default the CPP API).
 */
export function fixFor(
  code: CloudPartnerErrorCode,
  context: { publisherId?: string; method?: string; api?: ServiceApi },
): string | undefined {
  if (context.api === "pia") {
    const pia = piaFixFor(code);
    if (pia !== undefined) return pia;
  }
  switch (code) {
    case "CPP_UNAUTHORIZED":
      return "check the tenant id, client id and client secret (or certificate), and that the token is for https://cloudpartner.azure.com";
    case "CPP_FORBIDDEN":
      return `add the application to the Partner Center account that owns publisher "${context.publisherId ?? "?"}" (Partner Center → Account settings → User management → Microsoft Entra applications, role Manager), or fix the publisher id`;
    case "CPP_NOT_FOUND":
      return "check the publisher id, offer id, slot and version";
    case "CPP_CONFLICT":
      return "the offer already exists: adopt it, or send If-Match to update it";
    case "CPP_PRECONDITION_FAILED":
      return "the offer changed since it was read (its ETag no longer matches): read it again (pulumi refresh) before writing";
    case "CPP_VALIDATION_FAILED":
      return "fix the offer properties listed above, then publish again";
    case "CPP_THROTTLED":
      return "the service is throttling requests: retry later";
    case "CPP_SERVICE_ERROR":
      return "the service failed: retry later; if it persists, quote the request id to Microsoft support";
    case "CPP_BAD_REQUEST":
      return "the request was rejected as malformed: check the values named above";
    default:
      return undefined;
  }
}

/**
 * The Product Ingestion API's own advice where the CPP text does not fit (api-notes §P2, §P5.3):
 * its token is for Microsoft Graph, the account is implied by the token, resources are addressed
 * by durable ids and job ids.
 */
function piaFixFor(code: CloudPartnerErrorCode): string | undefined {
  switch (code) {
    case "CPP_UNAUTHORIZED":
      return "check the tenant id, client id and client secret (or certificate, or federated token), and that the token is for https://graph.microsoft.com (scope https://graph.microsoft.com/.default; in a national cloud, its own Graph host)";
    case "CPP_FORBIDDEN":
      return "add the application to the Partner Center account (Partner Center → Account settings → User management → Microsoft Entra applications, role Manager); the account is the one the token's application is registered in";
    case "CPP_NOT_FOUND":
      return "check the durable id, external id or job id: the product, plan, submission or job does not exist in the Partner Center account of this application; if every call answers 404, check that the endpoint ends in /rp/product-ingestion";
    case "CPP_CONFLICT":
      return "another change of this product is in progress: wait until it ends (the product's submissions, GET submission/<product>), then read the product again and send the change";
    case "CPP_PRECONDITION_FAILED":
      return "the resource changed since it was read: read it again before writing";
    case "CPP_BAD_REQUEST":
      return "the request was rejected: check the values named above, each resource's $schema and the $version";
    case "CPP_VALIDATION_FAILED":
      return "fix the resources named above, then send the change again";
    default:
      return undefined;
  }
}
