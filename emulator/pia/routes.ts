// SPDX-License-Identifier: Apache-2.0
/**
 * The Product Ingestion API routes (docs/internals/api-notes.md §P5), under
 * `/rp/product-ingestion` on the emulator's one server: `$version`, authentication with a
 * Microsoft Graph token (401), the Partner Center account the token implies (403), then the
 * PiaService.
 */
import type { Aad } from "../aad.js";
import { GRAPH_RESOURCE } from "../aad.js";
import type { ApiRequest } from "../api.js";
import type { Reply } from "../service.js";
import type { Doc, EmulatorState } from "../state.js";
import { decodePath } from "../validation.js";
import { RETIRED_SCHEMA_HOST, schemaUrl } from "./ids.js";
import { maskSecrets } from "./mapping.js";
import type { PiaService, Target } from "./service.js";
import { schemaType, validateConfigure } from "./schemas.js";

/** Where the API is mounted, as on graph.microsoft.com. */
export const PIA_PREFIX = "/rp/product-ingestion";

const VERSION = /^\d{4}-\d{2}-\d{2}(-preview\d+)?$/;
const TARGETS: readonly Target[] = ["draft", "preview", "live"];

/** The error envelope of §P5.3 (synchronous shape). */
export function piaError(status: number, code: string, message: string, details: Doc[] = []): Reply {
  return { status, body: { error: { code, message, details } } };
}

/** True for a path of the Product Ingestion API. */
export function isPiaPath(path: string): boolean {
  return path === PIA_PREFIX || path.startsWith(`${PIA_PREFIX}/`);
}

/** Handles one Product Ingestion API request. `base` is the URL the request was addressed to. */
export function handlePia(
  req: ApiRequest,
  state: EmulatorState,
  pia: PiaService,
  aad: Aad,
  base: string,
): { reply: Reply; clientId?: string } {
  // One public client sends a doubled slash after the prefix (`//configure`, §P12 "Routing").
  const seg = decodePath(req.path.slice(PIA_PREFIX.length));
  if (!seg) return { reply: piaError(400, "badRequest", "The request URL is not valid: malformed percent-encoding.") };
  const query = (name: string) => {
    for (const [k, v] of req.query) if (k.toLowerCase() === name.toLowerCase()) return v;
    return undefined;
  };
  const version = query("$version");
  if (version !== undefined && !VERSION.test(version))
    return {
      reply: piaError(
        400,
        "badRequest",
        `"${version}" is not a valid $version: use a schema version such as 2022-07-01.`,
      ),
    };
  if (version !== undefined && state.modes.piaDeprecatedVersions.includes(version))
    return { reply: piaError(400, "badRequest", `"${version} is a deprecated schema"`) };
  const auth = aad.validate(header(req, "authorization"), GRAPH_RESOURCE);
  if ("error" in auth) {
    const message =
      auth.error === "wrong audience"
        ? "Access token validation failure. Invalid audience."
        : auth.error === "expired"
          ? "Lifetime validation failed, the token is expired."
          : "Access token validation failure.";
    return {
      reply: {
        status: 401,
        body: { error: { code: "InvalidAuthenticationToken", message } },
        headers: {
          "WWW-Authenticate":
            'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize"',
        },
      },
    };
  }
  const clientId = auth.clientId;
  const principal = state.principals.find((p) => p.clientId === clientId && p.tenantId === auth.tenantId);
  const publishers = principal?.publishers ?? [];
  const done = (reply: Reply) => ({ reply, clientId });
  if (publishers.length === 0)
    return done(
      piaError(
        403,
        "forbidden",
        `The application '${clientId}' is not registered with a Partner Center account: add it in Partner Center (Account settings → User management → Microsoft Entra applications) with the Manager role.`,
      ),
    );
  const m = req.method;
  pia.settle();

  if (m === "POST" && seg.length === 1 && seg[0] === "configure")
    return done(configure(req, state, pia, publishers, base));
  if (seg[0] === "configure" && seg.length >= 2) {
    const job = pia.job(publishers, seg[1]);
    if (!job) return done(piaError(404, "notFound", `Job ${seg[1]} was not found.`));
    if (m === "GET" && seg.length === 3 && seg[2] === "status")
      return done({ status: 200, body: pia.status(job, base) });
    if (m === "GET" && seg.length === 2) {
      const view = pia.view(job);
      if (view.jobStatus !== "completed")
        return done(piaError(400, "badRequest", `Job ${job.id} has not completed yet: read its status until it has.`));
      return done({
        status: 200,
        body: {
          $schema: schemaUrl("configure-detail"),
          jobId: job.id,
          // As stored, with secrets masked as every read masks them.
          resources: (job.applied?.resources ?? []).map(maskSecrets),
        },
      });
    }
    if (m === "POST" && seg.length === 3 && seg[2] === "cancel") {
      if (pia.cancel(job) === "completed")
        return done(piaError(400, "badRequest", "Cannot cancel job, job has already completed."));
      return done({ status: 200, body: pia.status(job, base) });
    }
  }
  if (m !== "GET") return done(piaError(405, "methodNotAllowed", `${m} is not allowed on ${req.path}.`));

  if (seg.length === 1 && seg[0] === "product") {
    const externalId = query("externalId");
    const type = query("type");
    const items = pia
      .products(publishers)
      .filter((r) => externalId === undefined || r.draft.id === externalId)
      .map((r) => pia.tree(r, "draft")!.find((x) => String(x.id).startsWith("product/"))!)
      .filter((p) => type === undefined || p.type === type);
    return done(page(items, req, query, base, state.modes.piaPageSize));
  }
  if (seg.length === 1 && seg[0] === "plan") {
    const product = query("product");
    const guid = product?.startsWith("product/") ? product.slice("product/".length) : undefined;
    const record = guid ? pia.productByGuid(publishers, guid) : undefined;
    if (!product)
      return done(piaError(400, "badRequest", "The product query parameter is required (product=product/<id>)."));
    if (!record) return done(piaError(404, "notFound", `Product ${product} was not found.`));
    const externalId = query("externalId");
    const plans = pia
      .tree(record, "draft")!
      .filter((x) => String(x.id).startsWith("plan/"))
      .filter((p) => externalId === undefined || p.identity?.externalId === externalId);
    return done(page(plans, req, query, base, state.modes.piaPageSize));
  }
  if (seg[0] === "resource-tree" && seg[1] === "product" && seg.length === 3) {
    const record = pia.productByGuid(publishers, seg[2]);
    if (!record) return done(piaError(404, "notFound", `Product product/${seg[2]} was not found.`));
    const target = (query("targetType") ?? "draft") as Target;
    if (!TARGETS.includes(target))
      return done(piaError(400, "badRequest", `targetType must be draft, preview or live, not "${target}".`));
    const resources = pia.tree(record, target);
    if (!resources) return done(piaError(404, "notFound", `Product product/${seg[2]} has no ${target} version.`));
    return done({
      status: 200,
      body: {
        $schema: schemaUrl("resource-tree"),
        root: `product/${seg[2]}`,
        target: { targetType: target },
        resources,
      },
    });
  }
  if (seg[0] === "submission" && (seg.length === 2 || seg.length === 3)) {
    const record = pia.productByGuid(publishers, seg[1]);
    if (!record) return done(piaError(404, "notFound", `Product product/${seg[1]} was not found.`));
    const all = pia.submissions(record);
    const target = query("targetType");
    if (seg.length === 2)
      return done({ status: 200, body: { value: all.filter((s) => !target || s.target?.targetType === target) } });
    const one = all.find((s) => s.id === `submission/${seg[1]}/${seg[2]}`);
    return one
      ? done({ status: 200, body: one })
      : done(piaError(404, "notFound", `Submission ${seg[2]} was not found.`));
  }
  // Any resource by durable id: the draft (§P5 "one resource by durable id, draft only").
  if (seg.length >= 2) {
    const id = seg.join("/");
    const record = pia.productByGuid(publishers, seg[1]);
    const found = record && pia.tree(record, "draft")!.find((x) => x.id === id);
    if (found) return done({ status: 200, body: found });
  }
  return done(piaError(404, "notFound", `No resource at ${req.path}.`));
}

function configure(req: ApiRequest, state: EmulatorState, pia: PiaService, publishers: string[], base: string): Reply {
  if (req.bodyError) return piaError(400, "badRequest", req.bodyError);
  const body = req.body as Doc | undefined;
  const urls = [body?.$schema, ...(Array.isArray(body?.resources) ? body.resources.map((r: Doc) => r?.$schema) : [])];
  for (const url of urls) {
    const parsed = schemaType(url);
    // The retired host no longer resolves (§P1 "Schema hosts"): the service cannot read the schema.
    if (parsed?.host === RETIRED_SCHEMA_HOST)
      return piaError(400, "badRequest", `Schema ${String(url)} could not be accessed`);
    if (parsed && state.modes.piaDeprecatedVersions.includes(parsed.version))
      return piaError(400, "badRequest", `"${parsed.version} is a deprecated schema"`);
  }
  const problems = validateConfigure(body);
  if (problems.length > 0)
    return piaError(
      400,
      "badRequest",
      "Invalid configuration: schema validation failed",
      problems.map((p) => ({ code: "schemaValidationError", message: p.message })),
    );
  const job = pia.configure(publishers, body!.resources as Doc[]);
  return { status: state.modes.piaConfigureStatus, body: pia.status(job, base) };
}

/**
 * A page of a list: `$maxpagesize` items from the continuation token on, and an absolute
 * `@nextLink` while more remain (tokens free of `=` and `&`, §P12 "Lookups").
 */
function page(
  items: Doc[],
  req: ApiRequest,
  query: (name: string) => string | undefined,
  base: string,
  defaultSize: number,
): Reply {
  const size = Math.min(1000, Math.max(1, Number(query("$maxpagesize")) || defaultSize));
  const token = query("continuationToken");
  let offset = 0;
  if (token !== undefined) {
    const decoded = /^[A-Za-z0-9_-]{1,40}$/.test(token) ? Buffer.from(token, "base64url").toString() : "";
    const m = /^offset:(\d{1,9})$/.exec(decoded);
    if (!m) return piaError(400, "badRequest", "The continuationToken is not valid: use the @nextLink as given.");
    offset = Number(m[1]);
  }
  const value = items.slice(offset, offset + size);
  const body: Doc = { value };
  if (offset + size < items.length) {
    const params = new URLSearchParams();
    for (const [k, v] of req.query) if (k.toLowerCase() !== "continuationtoken") params.append(k, v);
    params.set("continuationToken", Buffer.from(`offset:${offset + size}`).toString("base64url"));
    body["@nextLink"] = `${base}${req.path.replace(/\/{2,}/g, "/")}?${params.toString().replace(/%24/g, "$")}`;
  }
  return { status: 200, body };
}

function header(req: ApiRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
