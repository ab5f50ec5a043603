// SPDX-License-Identifier: Apache-2.0
import { createTokenProvider, type CredentialOptions, type TokenProvider } from "../client/auth.js";
import type { RequestOptions } from "../client/client.js";
import { CloudPartnerError, isCloudPartnerError } from "../client/errors.js";
import { abortableSleep, serverRetryAfter, type RetryOptions } from "../client/retry.js";
import { invalidResponse, Transport, type TransportResponse } from "../client/transport.js";
import { parseDurableId, productGuidOf } from "./ids.js";
import type { JobRef } from "./job-errors.js";
import { DEFAULT_JOB_POLL, jobIdOf, jobKindOf, type JobPollIntervals, type PiaJobKind } from "./jobs.js";
import type {
  PiaJobDetail,
  PiaJobStatus,
  PiaPage,
  PiaPlan,
  PiaProduct,
  PiaResource,
  PiaResourceTree,
  PiaResourceType,
  PiaSubmission,
  PiaTarget,
} from "./models.js";
import { nextPageUrl } from "./paging.js";
import { currentSchemaUrl, schemaUrl } from "./schema.js";
import { graphScopeFor, normalizeEndpoint, PIA_ENDPOINT } from "./scope.js";
import { piaUrl } from "./urls.js";
import { pollJob, type PollJobOptions } from "./wait.js";

/** The `$version` this client sends by default (docs/internals/api-notes.md §P1: the version current clients pin). */
export const PIA_VERSION = "2022-07-01";

/** Options of {@link PiaClient}. */
export interface PiaClientOptions {
  /** A service-principal credential (secret, certificate or federated), or any token provider. */
  credential: CredentialOptions | TokenProvider;
  /**
   * API base URL, path included (default `https://graph.microsoft.com/rp/product-ingestion`);
   * plain http only on loopback.
   */
  endpoint?: string;
  /**
   * Token scope. Default: `https://<host>/.default` for the Graph host of a national cloud
   * (`graph.microsoft.us`, `dod-graph.microsoft.us`, `microsoftgraph.chinacloudapi.cn`),
   * otherwise `https://graph.microsoft.com/.default` (also for the emulator and proxies).
   */
  scope?: string;
  /** The `$version` of every call (default `2022-07-01`). */
  version?: string;
  /** Schema versions by resource type, replacing the pinned ones of {@link SCHEMA_VERSIONS}. */
  schemaVersions?: Partial<Record<PiaResourceType, string>> & Record<string, string>;
  retry?: RetryOptions;
  /** Timeout of one attempt (default 60000 ms). */
  timeoutInMs?: number;
  /** Injectable wait (retries and job polls), so tests need not sleep. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Jitter source. */
  random?: () => number;
  /** Clock in epoch milliseconds (default `Date.now`): deadlines of {@link PiaClient.waitForJob}, Retry-After dates. */
  now?: () => number;
  onRetry?: (info: { method: string; url: string; attempt: number; delayInMs: number; reason: string }) => void;
  /** Text put before the User-Agent `pulumi-cloudpartner/<version> (node/<version>; <platform>)`. */
  userAgentPrefix?: string;
  /**
   * Job poll intervals by job kind, replacing the defaults of {@link DEFAULT_JOB_POLL}
   * (submission jobs: at most one poll a minute).
   */
  jobPoll?: Partial<Record<PiaJobKind, Partial<JobPollIntervals>>>;
  /** Pages a list may have before the client calls the answer invalid (default 1000). */
  maxPages?: number;
}

/** Options of {@link PiaClient.waitForJob}. */
export interface WaitForJobOptions extends RequestOptions, Omit<PollJobOptions, "now" | "sleep"> {
  /**
   * What the job does, which sets its poll intervals (default `submission`: at most one poll a
   * minute). {@link PiaClient.configureAndWait} derives it from the resources sent.
   */
  kind?: PiaJobKind;
}

/** Options of the list calls. */
export interface ListOptions extends RequestOptions {
  /** Items per page the service is asked for (`$maxpagesize`). */
  maxPageSize?: number;
}

/**
 * Typed client of Microsoft's Product Ingestion API (docs/internals/api-notes.md §P5): product,
 * plan, resource and resource-tree reads, the one write endpoint `configure` and its jobs,
 * submissions. The CPP client's HTTP stack: retries for GETs only (a `configure` or a cancel is
 * never sent twice), Retry-After honoured, 401 → one token refresh, typed errors with stable
 * codes; the token is never sent off the endpoint.
 */
export class PiaClient {
  /** The API base URL in use (with its path, no trailing slash). */
  readonly endpoint: string;
  /** The `$version` of every call. */
  readonly version: string;
  private readonly transport: Transport;
  private readonly schemaVersions: Readonly<Record<string, string>>;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly now: () => number;
  private readonly jobPoll: Record<PiaJobKind, JobPollIntervals>;
  private readonly maxPages: number;

  constructor(options: PiaClientOptions) {
    if (!("getToken" in options.credential)) checkCredential(options.credential);
    this.endpoint = normalizeEndpoint(options.endpoint ?? PIA_ENDPOINT);
    this.version = options.version ?? PIA_VERSION;
    this.schemaVersions = { ...(options.schemaVersions ?? {}) };
    // Fail now, not on the first write, when an override is not a version.
    for (const type of Object.keys(this.schemaVersions)) schemaUrl(type, this.schemaVersions);
    this.sleep = options.sleep ?? abortableSleep;
    this.now = options.now ?? Date.now;
    this.maxPages = options.maxPages ?? 1000;
    this.jobPoll = {
      draft: { ...DEFAULT_JOB_POLL.draft, ...options.jobPoll?.draft },
      submission: { ...DEFAULT_JOB_POLL.submission, ...options.jobPoll?.submission },
    };
    const tokens =
      "getToken" in options.credential
        ? options.credential
        : createTokenProvider(options.credential, options.scope ?? graphScopeFor(this.endpoint));
    this.transport = new Transport({
      tokens,
      retry: options.retry,
      timeoutInMs: options.timeoutInMs,
      sleep: options.sleep,
      random: options.random,
      now: options.now,
      onRetry: options.onRetry,
      userAgentPrefix: options.userAgentPrefix,
    });
  }

  /** The `$schema` URL this client writes for a resource type (pinned, or as `schemaVersions` says). */
  schemaUrl(type: PiaResourceType | string): string {
    return schemaUrl(type, this.schemaVersions);
  }

  /** The product with this external id (the CPP offer id), or undefined (`GET product?externalId=`). */
  async findProduct(externalId: string, o: RequestOptions = {}): Promise<PiaProduct | undefined> {
    const res = await this.get(this.url(["product"], { externalId }), o);
    return this.page<PiaProduct>(res).value[0];
  }

  /** Every product of the account (`GET product`, all pages), optionally of one `type`. */
  async listProducts(o: ListOptions & { type?: string } = {}): Promise<PiaProduct[]> {
    return this.collect<PiaProduct>(this.url(["product"], { type: o.type, $maxpagesize: pageSize(o) }), o);
  }

  /** One product (`GET product/<P>`); `product` is its durable id or GUID. */
  async getProduct(product: string, o: RequestOptions = {}): Promise<PiaProduct> {
    return this.object<PiaProduct>(await this.get(this.url(["product", productGuidOf(product)]), o), "product");
  }

  /** The plans of a product (`GET plan?product=product/<P>`, all pages), optionally with one external id. */
  async listPlans(product: string, o: ListOptions & { externalId?: string } = {}): Promise<PiaPlan[]> {
    const url = this.url(["plan"], {
      product: `product/${productGuidOf(product)}`,
      externalId: o.externalId,
      $maxpagesize: pageSize(o),
    });
    return this.collect<PiaPlan>(url, o);
  }

  /** The plan of a product with this external id (the CPP plan id), or undefined. */
  async findPlan(product: string, externalId: string, o: RequestOptions = {}): Promise<PiaPlan | undefined> {
    const url = this.url(["plan"], { product: `product/${productGuidOf(product)}`, externalId });
    return this.page<PiaPlan>(await this.get(url, o)).value[0];
  }

  /** Any resource by durable id (`GET <type>/<ids>`): its draft. */
  async getResource<T extends PiaResource = PiaResource>(durableId: string, o: RequestOptions = {}): Promise<T> {
    const parsed = parseDurableId(durableId);
    if (!parsed) {
      throw new CloudPartnerError("CPP_INVALID_ID", `"${durableId}" is not a durable id (<resource-type>/<ids>)`, {
        fix: "pass the id as the service returned it, e.g. virtual-machine-plan-technical-configuration/<product guid>/<plan guid>",
      });
    }
    return this.object<T>(await this.get(this.url([parsed.type, ...parsed.ids]), o), parsed.type);
  }

  /** Every resource of a product for one target (`GET resource-tree/product/<P>?targetType=`, default draft). */
  async getResourceTree(product: string, o: RequestOptions & { target?: PiaTarget } = {}): Promise<PiaResourceTree> {
    const url = this.url(["resource-tree", "product", productGuidOf(product)], { targetType: o.target ?? "draft" });
    const res = await this.get(url, o);
    const tree = this.object<PiaResourceTree>(res, "resource tree");
    if (!Array.isArray(tree.resources)) throw invalidResponse(res, "a resource tree without resources");
    return tree;
  }

  /**
   * Sends resources to `POST configure` and returns the job's status (its `jobId` read from
   * either spelling). Never retried: when its answer is lost, read the resources (or the
   * submissions) to see whether it was applied before sending it again. Each resource needs a
   * `$schema`; one on the retired schema host is moved to the current one.
   */
  async configure(resources: readonly PiaResource[], o: RequestOptions = {}): Promise<PiaJobStatus> {
    const body = { $schema: this.schemaUrl("configure"), resources: resources.map(checkedResource) };
    const kind = jobKindOf(body.resources);
    const fix = unansweredConfigureFix(kind, productOfResources(body.resources));
    try {
      const res = await this.transport.send({
        method: "POST",
        url: this.url(["configure"]),
        body,
        abortSignal: o.abortSignal,
        api: "pia",
        unansweredFix: fix,
      });
      if (res.status >= 300) throw invalidResponse(res, "a redirect, which is not followed");
      const status = this.object<PiaJobStatus>(res, "job status");
      const jobId = jobIdOf(status);
      if (!jobId) throw invalidResponse(res, "a configure answer without a job id");
      return { ...status, jobId };
    } catch (e) {
      // An answer that is not a job status (empty, a gateway's page) may follow a job that started.
      if (!isCloudPartnerError(e, "CPP_INVALID_RESPONSE")) throw e;
      throw new CloudPartnerError(e.code, `${e.message}. Fix: ${fix}`, {
        statusCode: e.statusCode,
        requestId: e.requestId,
        clientRequestId: e.clientRequestId,
        fix,
        retryable: false,
      });
    }
  }

  /** A job's status (`GET configure/<jobId>/status`). */
  async getJobStatus(jobId: string, o: RequestOptions = {}): Promise<PiaJobStatus> {
    return (await this.fetchJobStatus(jobId, o.abortSignal)).status;
  }

  /** A completed job's detail, with the durable ids of what it wrote (`GET configure/<jobId>`). */
  async getJobDetail(jobId: string, o: RequestOptions = {}): Promise<PiaJobDetail> {
    const res = await this.get(this.url(["configure", checkedJobId(jobId)]), o);
    const detail = this.object<PiaJobDetail>(res, "job detail");
    if (!Array.isArray(detail.resources)) throw invalidResponse(res, "a job detail without resources");
    return detail;
  }

  /** Asks the service to cancel a job (`POST configure/<jobId>/cancel`); never retried. */
  async cancelJob(jobId: string, o: RequestOptions = {}): Promise<PiaJobStatus | undefined> {
    const id = checkedJobId(jobId);
    const res = await this.transport.send({
      method: "POST",
      url: this.url(["configure", id, "cancel"]),
      abortSignal: o.abortSignal,
      api: "pia",
      unansweredFix: `the cancel request may or may not have reached the service, and it is not sent again: read the job's status (GET configure/${id}/status) before cancelling again`,
    });
    // An empty 202 or 204 is an accepted cancel; any other answer that is not a job status is not.
    if (res.body === undefined && (res.status === 202 || res.status === 204)) return undefined;
    if (res.status >= 300 || typeof res.body !== "object" || res.body === null || Array.isArray(res.body))
      throw invalidResponse(
        res,
        "an answer to a cancel that is not a job status (read the job's status to see where it is)",
      );
    return { ...(res.body as PiaJobStatus), jobId: jobIdOf(res.body) ?? id };
  }

  /** The submissions of a product (`GET submission/<P>`): the draft reference, preview and live. */
  async listSubmissions(product: string, o: RequestOptions & { target?: PiaTarget } = {}): Promise<PiaSubmission[]> {
    return this.collect<PiaSubmission>(this.url(["submission", productGuidOf(product)], { targetType: o.target }), o);
  }

  /** One submission (`GET submission/<P>/<number>`). */
  async getSubmission(
    product: string,
    submissionNumber: string | number,
    o: RequestOptions = {},
  ): Promise<PiaSubmission> {
    const n = String(submissionNumber);
    if (!/^\d{1,30}$/.test(n))
      throw new CloudPartnerError("CPP_INVALID_ID", `${JSON.stringify(n)} is not a submission number (digits only)`);
    const url = this.url(["submission", productGuidOf(product), n]);
    return this.object<PiaSubmission>(await this.get(url, o), "submission");
  }

  /**
   * Polls a job's status until it ends: succeeded → its status; failed → CPP_OPERATION_FAILED
   * (CPP_OPERATION_REJECTED when certification refused the product); cancelled →
   * CPP_OPERATION_CANCELED; the deadline → CPP_DEADLINE_EXCEEDED with `lastStatus`; abort →
   * CPP_ABORTED. A 5xx, 429 or network error of a poll (after the transport's retries) counts
   * as still pending until the deadline. Polls a submission job at most once a minute unless
   * configured otherwise; a draft edit from every 2 s, backing off.
   */
  async waitForJob(jobId: string, o: WaitForJobOptions = {}): Promise<PiaJobStatus> {
    const id = checkedJobId(jobId);
    const kind = o.kind ?? "submission";
    return pollJob((signal) => this.fetchJobStatus(id, signal), this.jobRef(id), {
      ...o,
      kind,
      minIntervalInMs: o.minIntervalInMs ?? this.jobPoll[kind].minIntervalInMs,
      maxIntervalInMs: o.maxIntervalInMs ?? this.jobPoll[kind].maxIntervalInMs,
      now: this.now,
      sleep: this.sleep,
    });
  }

  /** A job's id and status URL, for errors about it. */
  private jobRef(jobId: string): JobRef {
    return { jobId, statusUrl: this.url(["configure", jobId, "status"]) };
  }

  /**
   * {@link PiaClient.configure}, then {@link PiaClient.waitForJob} on its job, polled as a
   * submission job when the resources hold a submission and as a draft edit otherwise.
   */
  async configureAndWait(
    resources: readonly PiaResource[],
    o: Omit<WaitForJobOptions, "initialStatus"> = {},
  ): Promise<PiaJobStatus> {
    const status = await this.configure(resources, o);
    return this.waitForJob(status.jobId, { kind: jobKindOf(resources), ...o, initialStatus: status });
  }

  private async fetchJobStatus(
    jobId: string,
    abortSignal?: AbortSignal,
  ): Promise<{ status: PiaJobStatus; retryAfterInMs?: number }> {
    const id = checkedJobId(jobId);
    // No retries of its own: a failed poll counts as pending and the wait polls again at its pace
    // (at most once a minute for a submission), where the transport's retries would not.
    const res = await this.transport.send({
      method: "GET",
      url: this.url(["configure", id, "status"]),
      abortSignal,
      api: "pia",
      retry: { maxRetries: 0 },
    });
    const status = this.object<PiaJobStatus>(res, "job status");
    return {
      status: { ...status, jobId: jobIdOf(status) ?? id },
      retryAfterInMs: serverRetryAfter(res.headers, this.now())?.delayInMs,
    };
  }

  /** Follows a list's pages (`@nextLink` on the endpoint, or a continuation token) and returns every item. */
  private async collect<T>(firstUrl: string, o: RequestOptions): Promise<T[]> {
    const items: T[] = [];
    const seen = new Set<string>();
    for (let url: string | undefined = firstUrl; url !== undefined;) {
      const res = await this.get(url, o);
      seen.add(url);
      const page = this.page<T>(res);
      items.push(...page.value);
      url = nextPageUrl(page, url, this.endpoint, this.version);
      if (url !== undefined && (seen.has(url) || seen.size >= this.maxPages)) {
        throw invalidResponse(
          res,
          seen.has(url)
            ? "a list whose next page is a page already read"
            : `a list of more than ${this.maxPages} pages`,
        );
      }
    }
    return items;
  }

  private get(url: string, o: RequestOptions): Promise<TransportResponse> {
    return this.transport.send({ method: "GET", url, abortSignal: o.abortSignal, api: "pia" });
  }

  private url(segments: string[], query?: Record<string, string | undefined>): string {
    return piaUrl(this.endpoint, segments, this.version, query);
  }

  private object<T>(res: TransportResponse, what: string): T {
    if (typeof res.body !== "object" || res.body === null || Array.isArray(res.body))
      throw invalidResponse(res, `a response without the expected ${what} object`);
    return res.body as T;
  }

  private page<T>(res: TransportResponse): PiaPage<T> {
    const page = this.object<PiaPage<T>>(res, "list");
    if (!Array.isArray(page.value)) throw invalidResponse(res, "a list without a value array");
    return page;
  }
}

/**
 * The product GUID a configure request is about, for advice: from the first durable id among the
 * resources' `product` references and ids (the product's GUID is the first segment of every
 * resource id of a product); `<product>` when there is none.
 */
function productOfResources(resources: readonly PiaResource[]): string {
  for (const r of resources) {
    for (const ref of [r.product, r.id]) {
      const parsed = typeof ref === "string" ? parseDurableId(ref) : undefined;
      if (parsed) return parsed.ids[0];
    }
  }
  return "<product>";
}

/**
 * What to do when a configure call got no answer: it is never sent twice by this client, so
 * whether it was applied is found by reading (a job it started needs a little time to show).
 */
function unansweredConfigureFix(kind: PiaJobKind, product: string): string {
  const read =
    kind === "submission"
      ? `read the product's submissions (GET submission/${product}) and its resources (GET resource-tree/product/${product})`
      : `read the resources it writes (GET resource-tree/product/${product}, or each by its durable id)`;
  return `the configure request may or may not have reached the service, and it is not sent again: after a few minutes (a job it started needs them to show), ${read} to see whether it was applied, and send it again only if it was not`;
}

function pageSize(o: ListOptions): string | undefined {
  return o.maxPageSize === undefined ? undefined : String(o.maxPageSize);
}

function checkedJobId(jobId: string): string {
  // Letters, digits and '-' (a GUID): a dot segment would read another path as a job's status.
  if (typeof jobId !== "string" || !/^[A-Za-z0-9-]{1,100}$/.test(jobId)) {
    throw new CloudPartnerError(
      "CPP_INVALID_ID",
      `${JSON.stringify(jobId)} is not a job id: pass the jobId of configure's answer (letters, digits and '-')`,
    );
  }
  return jobId;
}

/** A resource as configure sends it: a `$schema` is required, and never on the retired host. */
function checkedResource(resource: PiaResource, index: number): PiaResource {
  if (typeof resource !== "object" || resource === null || typeof resource.$schema !== "string") {
    throw new CloudPartnerError(
      "CPP_CONFIGURATION",
      `resource ${index} of the configure request has no $schema: give each resource the $schema URL of its type (PiaClient.schemaUrl(type))`,
    );
  }
  const $schema = currentSchemaUrl(resource.$schema);
  return $schema === resource.$schema ? resource : { ...resource, $schema };
}

/**
 * A credential with an empty field fails here, naming it, instead of as an error of the token
 * library on the first call (an unset environment variable read as "").
 */
function checkCredential(c: CredentialOptions): void {
  const fields: Array<[string, unknown]> = [
    ["tenantId", c.tenantId],
    ["clientId", c.clientId],
    ...("clientSecret" in c
      ? [["clientSecret", c.clientSecret] as [string, unknown]]
      : "federatedTokenFile" in c
        ? [["federatedTokenFile", c.federatedTokenFile] as [string, unknown]]
        : [["certificate.privateKeyPem", c.certificate?.privateKeyPem] as [string, unknown]]),
  ];
  const empty = fields.filter(([, v]) => typeof v !== "string" || v.trim() === "").map(([k]) => `credential.${k}`);
  if (empty.length > 0)
    throw new CloudPartnerError(
      "CPP_CONFIGURATION",
      `the PiaClient credential has no ${empty.join(", ")}: give the app registration's tenant id, client id and its secret, certificate or federated token file`,
      { fix: `set ${empty.join(", ")}` },
    );
}
