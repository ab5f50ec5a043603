// SPDX-License-Identifier: Apache-2.0
import { isCloudPartnerError, isErrorCode, redact, type CloudPartnerErrorCode } from "../client/index.js";
import { jsonClone } from "../util/json.js";

/**
 * The error the dynamic-provider host turns into a partial failure (ErrorResourceInitFailed):
 * the engine keeps the resource in state with these properties and init errors, and the next
 * `pulumi up` calls update, which resumes from them (docs/internals/engine.md, "What the engine
 * does with a dynamic provider").
 */
export class PartialFailure extends Error {
  readonly properties: Record<string, unknown>;
  /**
   * `code` says why the resource is unfinished: CPP_PARTIAL_FAILURE (still running at the
   * deadline) or a more precise code such as CPP_OPERATION_BLOCKED.
   */
  constructor(
    message: string,
    readonly id: string,
    properties: object,
    readonly code: CloudPartnerErrorCode = "CPP_PARTIAL_FAILURE",
  ) {
    super(redact(message));
    this.name = "PartialFailure";
    // The host packs these into a protobuf Struct, which throws on `undefined` members (and the
    // host then never answers the engine): keep JSON values only.
    this.properties = jsonClone(properties) as Record<string, unknown>;
  }
  get reasons(): string[] {
    return [this.message];
  }
}

/** Error whose message is shown to the user as is (already says what to do). */
export class ResourceError extends Error {
  constructor(
    message: string,
    readonly code: CloudPartnerErrorCode,
    override readonly cause?: unknown,
  ) {
    super(redact(message));
    this.name = "ResourceError";
  }
}

/**
 * Rethrows anything from the client with a message that names the resource; client errors
 * already say how to fix the problem and are redacted.
 */
export function describeFailure(resource: string, e: unknown): Error {
  if (e instanceof ResourceError || e instanceof PartialFailure) return e;
  if (isCloudPartnerError(e)) return new ResourceError(`${resource}: ${e.message}`, e.code, e);
  const message = e instanceof Error ? e.message : String(e);
  // A foreign error's own code (e.g. Node's ECONNRESET) is not one of ours: keep it in the message.
  const own = typeof e === "object" && e !== null ? (e as { code?: unknown }).code : undefined;
  const code = isErrorCode(own) ? own : "CPP_UNEXPECTED";
  return new ResourceError(`${resource}: ${message}`, code, e);
}
