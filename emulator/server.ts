// SPDX-License-Identifier: Apache-2.0
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { Aad } from "./aad.js";
import { handleApi } from "./api.js";
import { EmulatedClock } from "./clock.js";
import { handleControl } from "./control.js";
import { takeFault } from "./faults.js";
import { loadState, StateWriter } from "./persistence.js";
import { defaultIdentity, initialState, type SeedIdentity } from "./seed.js";
import { errorReply, Service, type Reply } from "./service.js";
import type { EmulatorState, Fault } from "./state.js";
import { defaultModes, mergeModes, type Modes } from "./modes.js";
import { handlePia, isPiaPath } from "./pia/routes.js";
import { PiaService } from "./pia/service.js";
import { handleOidc, OIDC_PATH } from "./oidc.js";
import { generateTls, type TlsMaterial } from "./tls.js";
import { jsonDepth } from "./validation.js";

/** Options of the emulator server. */
export interface ServerOptions {
  port?: number;
  host?: string;
  stateFile?: string;
  timeScale?: number;
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  modes?: Partial<Modes>;
  /**
   * The URL clients address the emulator by (e.g. `https://cloudpartner.azure.com` behind a
   * proxy): every absolute URL it writes is built from it instead of the request's Host.
   */
  publicUrl?: string;
  /** Serve https with a certificate made at start; its CA file is the `caFile` of the emulator's info line. */
  tls?: boolean;
  /** Further host names the `tls` certificate covers (loopback and the public hosts always are). */
  tlsHosts?: string[];
}

/** Largest request body accepted (docs/emulator.md): 4 MiB, like Azure Resource Manager. Larger → 413. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Deepest JSON nesting accepted in a body (an offer document needs about 8). Deeper → 400. */
export const MAX_JSON_DEPTH = 64;
/** Past this many bytes an oversized body is no longer read to its end: the connection is closed. */
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

const MAX_LOG = 100_000;
/** The log is cut back to MAX_LOG entries once it holds this many more: amortised, not one shift per request. */
const LOG_SLACK = 10_000;

/** Emulators of this process with a state file: a pending write is flushed when the process exits. */
const openWriters = new Set<StateWriter>();
process.once("exit", () => {
  for (const w of openWriters) {
    try {
      w.flush();
    } catch {
      // Exiting: a state folder removed under us must not turn an exit into a crash.
    }
  }
});
/** A Host header we build URLs from: a DNS name or IPv4 address, or a bracketed IPv6, and a port. */
/** The first of a header's comma-separated values (proxies append theirs), trimmed. */
function firstValue(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const first = value?.split(",")[0].trim();
  return first ? first : undefined;
}

const HOST_HEADER = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

/**
 * The emulator's HTTP server: `/api` (CPP), `/rp/product-ingestion` (PIA), Azure AD's own paths,
 * `/_emulator` (control). It owns
 * the state, the clock and persistence; request handling is delegated to api.ts, aad.ts and
 * control.ts.
 */
export class EmulatorServer {
  readonly identity: SeedIdentity;
  private state: EmulatorState;
  private clock: EmulatedClock;
  private service!: Service;
  private pia!: PiaService;
  private aad!: Aad;
  private server?: Server;
  private tls?: TlsMaterial;
  private baseUrl = "";
  private readonly startModes: Partial<Modes>;
  /** Persistence to `stateFile`, coalesced (one write per burst of changes, flushed at close and exit). */
  private readonly writer?: StateWriter;

  constructor(private readonly options: ServerOptions = {}) {
    const persisted = options.stateFile ? loadState(options.stateFile) : undefined;
    if (persisted) {
      // A state file written before a mode existed takes that mode's default.
      this.state = { ...persisted, modes: { ...defaultModes(), ...persisted.modes } };
      const principal = persisted.principals[0];
      this.identity = {
        tenantId: persisted.tenantId,
        clientId: principal.clientId,
        clientSecret: principal.clientSecret ?? "",
        publisherId: principal.publishers[0] ?? "contoso",
      };
      this.clock = persisted.clock
        ? EmulatedClock.fromJSON(persisted.clock)
        : new EmulatedClock(options.timeScale ?? 1);
      if (options.timeScale !== undefined) this.clock.setScale(options.timeScale);
    } else {
      this.identity = defaultIdentity({
        tenantId: options.tenantId,
        clientId: options.clientId,
        clientSecret: options.clientSecret,
      });
      this.state = initialState(this.identity);
      this.clock = new EmulatedClock(options.timeScale ?? 1);
    }
    this.startModes = options.modes ?? {};
    if (options.stateFile) {
      this.writer = new StateWriter(options.stateFile, () => {
        this.state.clock = this.clock.toJSON();
        return this.state;
      });
      openWriters.add(this.writer);
    }
    if (!persisted) this.state.modes = mergeModes(this.state.modes, this.startModes);
    this.wire();
  }

  private wire(): void {
    this.service = new Service(this.state, this.clock, () => this.persist());
    this.service.setBaseUrl(this.baseUrl);
    this.pia = new PiaService(this.state, this.clock, this.service, () => this.persist());
    this.aad = new Aad(this.state, this.clock);
  }

  /** The CA certificate file clients must trust, when serving https (`tls`). */
  get caFile(): string | undefined {
    return this.tls?.caFile;
  }

  /** Starts listening; resolves to the base URL. */
  async listen(): Promise<string> {
    // In flight = received and not yet answered (or dropped), even when the client gave up:
    // a delayed request still acts on the state when its delay ends (GET /_emulator/inflight).
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      const counted = !(req.url ?? "").startsWith("/_emulator");
      if (counted) this.inflight += 1;
      this.dispatch(req, res)
        .catch((e: unknown) => failed(res, e))
        .finally(() => {
          if (counted) this.inflight -= 1;
        });
    };
    if (this.options.tls) {
      const extra = [...(this.options.tlsHosts ?? []), ...(this.options.host ? [this.options.host] : [])];
      if (this.options.publicUrl) extra.push(new URL(this.options.publicUrl).hostname.replace(/^\[|\]$/g, ""));
      this.tls = generateTls(extra);
    }
    const server: Server = this.tls
      ? createHttpsServer({ key: this.tls.key, cert: this.tls.cert }, handler)
      : createServer(handler);
    // A request the HTTP parser refuses (bad header, bad request line) gets a 400 and its
    // connection is closed; the server goes on serving everyone else.
    server.on("clientError", (err: NodeJS.ErrnoException, socket) => {
      if (!socket.writable || err.code === "ECONNRESET") return socket.destroy();
      const status = err.code === "HPE_HEADER_OVERFLOW" ? 431 : 400;
      const message = `The request could not be parsed (${err.code ?? "invalid HTTP"}).`;
      const body = JSON.stringify({ error: { code: "BadRequest", message } });
      const reason = status === 431 ? "Request Header Fields Too Large" : "Bad Request";
      const head = `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n`;
      socket.end(`${head}Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.options.port ?? 0, this.options.host ?? "127.0.0.1", () => resolve());
    });
    const addr = server.address() as AddressInfo;
    const host = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
    this.baseUrl = `${this.tls ? "https" : "http"}://${host}:${addr.port}`;
    this.service.setBaseUrl(this.baseUrl);
    this.writer?.flush(true);
    return this.baseUrl;
  }

  /** Stops the server (persisting first). */
  async close(): Promise<void> {
    this.writer?.flush(true);
    if (this.writer) openWriters.delete(this.writer);
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.tls?.dispose();
  }

  /** A change to persist: written within the writer's delay, coalesced with the changes after it. */
  private persist(): void {
    this.writer?.schedule();
  }

  private reset(): void {
    const fresh = initialState(this.identity, this.state.key);
    fresh.modes = mergeModes(fresh.modes, this.startModes);
    for (const k of Object.keys(this.state) as Array<keyof EmulatorState>)
      delete (this.state as Partial<EmulatorState>)[k];
    Object.assign(this.state, fresh);
    this.clock.restart(this.options.timeScale ?? 1);
    this.persist();
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const method = (req.method ?? "GET").toUpperCase();
    const url = requestUrl(req.url);
    const read = await readBody(req);
    if (read.closed) return;
    if (!url) return send(res, errorReply(400, "BadRequest", "The request URL is not valid."));
    const path = url.pathname;
    const base = this.requestBase(req);
    if (read.tooLarge) {
      const message = `The request body is larger than the limit of ${MAX_BODY_BYTES} bytes.`;
      const reply = errorReply(413, "RequestEntityTooLarge", message);
      if (!path.startsWith("/_emulator"))
        this.log(isAadPath(path) ? "aad" : isPiaPath(path) ? "pia" : "api", method, url, 413, started, req);
      return send(res, { ...reply, headers: { Connection: "close" } });
    }
    const raw = read.text;
    if (path.startsWith(OIDC_PATH)) {
      return send(res, handleOidc(method, path, this.state, base) ?? { status: 404, body: { error: "not_found" } });
    }
    if (path.startsWith("/_emulator")) {
      // What the control API shows includes every PIA job whose time has come (one store).
      this.pia.settle();
      const parsed = parseJson(raw);
      if ("error" in parsed) return send(res, { status: 400, body: { error: parsed.error } });
      const reply = handleControl(method, path.slice("/_emulator".length) || "/", url.searchParams, parsed.value, {
        state: this.state,
        base,
        service: this.service,
        clock: this.clock,
        reset: () => this.reset(),
        changed: () => this.persist(),
        inflight: () => this.inflight,
      });
      return send(res, reply);
    }
    const kind = isAadPath(path) ? "aad" : isPiaPath(path) ? "pia" : "api";
    const fault = takeFault(this.state.faults, method, path) ?? this.randomFault(method, path);
    if (fault?.delayMs) await sleep(fault.delayMs);
    if (fault?.reset) {
      this.log(kind, method, url, 0, started, req);
      req.socket.destroy();
      return;
    }
    let reply: Reply;
    let clientId: string | undefined;
    if (fault?.status) {
      reply = {
        status: fault.status,
        body: fault.body ?? { error: { code: "InjectedFault", message: `Injected HTTP ${fault.status}.` } },
        headers: {
          ...(fault.retryAfter !== undefined ? { "Retry-After": String(fault.retryAfter) } : {}),
          ...(fault.headers ?? {}),
        },
      };
    } else if (kind === "aad") {
      const handled = this.aad.handle(method, path, new URLSearchParams(raw), base);
      reply = handled?.reply ?? { status: 404, body: { error: "not_found" } };
      clientId = handled?.clientId;
    } else if (path.startsWith("/api/") || kind === "pia") {
      if (this.state.modes.latencyMs > 0) await sleep(this.state.modes.latencyMs);
      const parsed = parseJson(raw);
      this.service.setBaseUrl(base);
      const request = {
        method,
        path,
        query: url.searchParams,
        headers: req.headers,
        body: "value" in parsed ? parsed.value : undefined,
        ...("error" in parsed ? { bodyError: parsed.error } : {}),
      };
      // PIA writes take effect on the emulated clock: apply those due before either API answers.
      this.pia.settle();
      const handled =
        kind === "pia"
          ? handlePia(request, this.state, this.pia, this.aad, base)
          : handleApi(request, this.state, this.service, this.aad);
      reply = handled.reply;
      clientId = handled.clientId;
    } else {
      reply = errorReply(404, "NotFound", `No route for ${method} ${path}.`);
    }
    if (kind === "api") {
      const corr = req.headers["x-ms-correlationid"];
      const echo = typeof corr === "string" && /^[\x21-\x7e]{1,200}$/.test(corr) ? corr : randomUUID();
      reply.headers = { "x-ms-requestid": randomUUID(), "x-ms-correlationid": echo, ...reply.headers };
    }
    if (kind === "pia") {
      // Microsoft Graph's ids: its own request-id, and the client's request id echoed.
      const sent = req.headers["client-request-id"] ?? req.headers["x-ms-client-request-id"];
      const echo = typeof sent === "string" && /^[\x21-\x7e]{1,200}$/.test(sent) ? sent : randomUUID();
      reply.headers = { "request-id": randomUUID(), "client-request-id": echo, ...reply.headers };
    }
    this.log(kind, method, url, reply.status, started, req, clientId);
    send(res, reply);
  }

  /**
   * The URL a request was addressed to, from which absolute URLs are built: the public URL when
   * one is set, else the request's Host (so a client that reaches the emulator through a hosts
   * entry or a proxy sees its own host name), else the listening address. Behind a proxy that
   * terminates TLS, `X-Forwarded-Proto` and `X-Forwarded-Host` (their first value, as front ends
   * append theirs) say what the client addressed; values that are not a scheme or a host name are
   * ignored.
   */
  private requestBase(req: IncomingMessage): string {
    if (this.options.publicUrl) return this.options.publicUrl.replace(/\/+$/, "");
    const own = new URL(this.baseUrl);
    const proto = firstValue(req.headers["x-forwarded-proto"])?.toLowerCase();
    const scheme = proto === "http" || proto === "https" ? `${proto}:` : own.protocol;
    const forwarded = firstValue(req.headers["x-forwarded-host"]);
    const host = forwarded !== undefined && HOST_HEADER.test(forwarded) ? forwarded : req.headers.host;
    if (typeof host === "string" && HOST_HEADER.test(host)) return `${scheme}//${host}`;
    return `${scheme}//${own.host}`;
  }

  /**
   * Mode randomFaultRate: a seeded share of GET/PUT requests of either API fails with 429, 500 or
   * 503 (never a POST: those are injected one by one).
   */
  private randomFault(method: string, path: string): Fault | undefined {
    const rate = this.state.modes.randomFaultRate;
    const api = path.startsWith("/api/") || isPiaPath(path);
    if (!(rate > 0) || !api || (method !== "GET" && method !== "PUT")) return undefined;
    this.rng = (this.rng * 1_103_515_245 + 12_345) % 2_147_483_648;
    if (this.rng / 2_147_483_648 >= rate) return undefined;
    const status = [429, 500, 503][this.rng % 3];
    return { id: "random", path, count: 1, status, ...(status !== 500 ? { retryAfter: 0 } : {}) };
  }

  private rng = 42;

  /** API and token requests being processed now (see listen()). */
  private inflight = 0;

  private log(
    kind: "api" | "aad" | "pia",
    method: string,
    url: URL,
    status: number,
    started: number,
    req: IncomingMessage,
    clientId?: string,
  ): void {
    const ifMatch = req.headers["if-match"];
    this.state.seq += 1;
    this.state.log.push({
      seq: this.state.seq,
      at: new Date().toISOString(),
      kind,
      method,
      path: url.pathname,
      query: url.search,
      status,
      durationMs: Date.now() - started,
      ...(typeof ifMatch === "string" ? { ifMatch } : {}),
      ...(clientId ? { clientId } : {}),
    });
    if (this.state.log.length > MAX_LOG + LOG_SLACK) this.state.log.splice(0, this.state.log.length - MAX_LOG);
  }
}

/**
 * Azure AD paths sit at the root like on login.microsoftonline.com (`/{tenant}/oauth2/…`):
 * msal-node rewrites endpoint paths relative to the authority, so a prefix would break it.
 */
function isAadPath(path: string): boolean {
  return /^\/[^/]+\/(v2\.0\/\.well-known|oauth2|discovery)\//.test(path);
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string> = { "Cache-Control": "no-cache", ...reply.headers };
  // A string body is sent as is (an injected gateway page); anything else as JSON.
  const raw = typeof reply.body === "string";
  if (reply.body !== undefined)
    headers["Content-Type"] = raw
      ? /^\s*</.test(reply.body as string)
        ? "text/html"
        : "text/plain"
      : "application/json; charset=utf-8";
  res.writeHead(reply.status, headers);
  res.end(reply.body === undefined ? undefined : raw ? (reply.body as string) : JSON.stringify(reply.body));
}

/**
 * The last resort for a request that threw: a 500 in the service's error shape (the emulator has
 * a bug; the message goes to stderr), and the server keeps serving.
 */
function failed(res: ServerResponse, e: unknown): void {
  process.stderr.write(`cloudpartner-emulator: a request failed: ${(e as Error)?.stack ?? String(e)}\n`);
  try {
    if (res.headersSent || res.destroyed) res.destroy();
    else send(res, errorReply(500, "InternalServerError", "The emulator failed on this request (see its stderr)."));
  } catch {
    res.destroy();
  }
}

/** The request target as a URL: origin-form (`/path?query`) or absolute-form (a proxy's). */
function requestUrl(target: string | undefined): URL | undefined {
  const t = target ?? "/";
  try {
    return t.startsWith("/") ? new URL(`http://emulator${t}`) : new URL(t);
  } catch {
    return undefined;
  }
}

/** A JSON body: its value (undefined when empty), or why it is refused. */
function parseJson(raw: string): { value: unknown } | { error: string } {
  if (!raw) return { value: undefined };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { error: "The request body is not valid JSON." };
  }
  if (jsonDepth(value) > MAX_JSON_DEPTH) {
    return { error: `The request body is nested deeper than ${MAX_JSON_DEPTH} levels.` };
  }
  return { value };
}

/**
 * Reads a body up to MAX_BODY_BYTES. A larger one is read on and discarded (so the client gets
 * its 413 rather than a broken pipe) up to DRAIN_LIMIT_BYTES, past which the connection is closed.
 */
function readBody(req: IncomingMessage): Promise<{ text: string; tooLarge: boolean; closed: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const done = (r: { text: string; tooLarge: boolean; closed: boolean }) => {
      if (!settled) {
        settled = true;
        resolve(r);
      }
    };
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
      else if (size > DRAIN_LIMIT_BYTES) {
        req.socket.destroy();
        done({ text: "", tooLarge: true, closed: true });
      }
    });
    req.on("end", () => {
      const tooLarge = size > MAX_BODY_BYTES;
      done({ text: tooLarge ? "" : Buffer.concat(chunks).toString("utf8"), tooLarge, closed: false });
    });
    req.on("error", () => done({ text: "", tooLarge: false, closed: true }));
    req.on("close", () => done({ text: "", tooLarge: false, closed: true }));
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
