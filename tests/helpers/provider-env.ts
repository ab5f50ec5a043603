// SPDX-License-Identifier: Apache-2.0
/**
 * Provider-tier helpers: a real emulator on loopback, the provider configured against it the
 * way the engine configures it (stack config through configure()), plain-HTTP access to the
 * emulator's control API, and capture of the provider's console lines.
 */
import { startEmulator } from "../../emulator/index.js";
import { configure, dropClients } from "../../provider/handlers/context.js";
import { providerFor, type ResourceKind } from "../../provider/resources/provider.js";
import { sampleDefinition } from "./offers.js";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

/** One request of the emulator's log (docs/emulator.md). */
export interface LoggedRequest {
  seq: number;
  kind: "api" | "aad" | "pia";
  method: string;
  path: string;
  status: number;
  ifMatch?: string;
}

export interface ProviderEnv {
  emulator: Emulator;
  /** Calls the control API; returns the parsed JSON answer. */
  control(method: string, path: string, body?: unknown): Promise<any>;
  /**
   * API requests logged since the last `clearLog()`: the CPP API's (`kinds`, default `["api"]`;
   * `"pia"` for the Product Ingestion API's), token requests only when asked.
   */
  requests(options?: { includeAad?: boolean; kinds?: Array<"api" | "pia"> }): Promise<LoggedRequest[]>;
  clearLog(): Promise<void>;
  /** The serialisable provider object of a kind, exactly as resources use it. */
  provider(kind: ResourceKind): any;
  /** Stops the emulator and starts it again on the same port from its state file. */
  restart(): Promise<void>;
  /**
   * What the engine's next operation gets: a new provider process, holding no client, token or
   * kept read of this one (a refresh after an edit outside Pulumi is such an operation).
   */
  nextOperation(): void;
  /** Changes stack config as `pulumi config set` between operations does (keys to undefined remove them). */
  reconfigure(patch: Record<string, string | undefined>): void;
  close(): Promise<void>;
}

/** Starts an emulator and configures the provider against it. */
export async function startProviderEnv(
  options: { timeScale?: number; config?: Record<string, string>; port?: number; stateFile?: string } = {},
): Promise<ProviderEnv> {
  let emulator = await startEmulator({
    timeScale: options.timeScale ?? 1_000_000,
    port: options.port,
    stateFile: options.stateFile,
  });
  const config: Record<string, string> = {
    "cloudpartner:tenantId": emulator.tenantId,
    "cloudpartner:clientId": emulator.clientId,
    "cloudpartner:clientSecret": emulator.clientSecret,
    "cloudpartner:endpoint": emulator.apiUrl,
    "cloudpartner:productIngestionEndpoint": emulator.productIngestionUrl,
    "cloudpartner:authority": emulator.authorityUrl,
    "cloudpartner:pollMinIntervalSeconds": "0.02",
    "cloudpartner:pollMaxIntervalSeconds": "0.2",
    "cloudpartner:operationTimeoutSeconds": "60",
    ...options.config,
  };
  // Each environment starts as a new provider process would: no client, token or kept read.
  dropClients();
  configure({ config: { get: (k) => config[k] } });
  const control = async (method: string, path: string, body?: unknown) => {
    const send = () =>
      fetch(`${emulator.controlUrl}${path}`, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    // After a restart, fetch may first try a pooled socket the old server closed.
    const res = await send().catch(() => send());
    const text = await res.text();
    if (!res.ok) throw new Error(`control ${method} ${path} → ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  let since = 0;
  const env: ProviderEnv = {
    emulator,
    control,
    async requests({ includeAad = false, kinds = ["api"] } = {}) {
      const all = (await control("GET", `/requests?since=${since}`)) as LoggedRequest[];
      return all.filter((r) => r.seq > since && ((includeAad && r.kind === "aad") || kinds.includes(r.kind as "api")));
    },
    async clearLog() {
      const all = (await control("GET", "/requests")) as LoggedRequest[];
      since = all.reduce((m, r) => Math.max(m, r.seq), since);
    },
    provider: (kind) => providerFor(kind),
    async restart() {
      if (!options.stateFile) throw new Error("restart needs a stateFile");
      const port = Number(new URL(emulator.apiUrl).port);
      await emulator.close();
      emulator = await startEmulator({ timeScale: options.timeScale ?? 1_000_000, port, stateFile: options.stateFile });
      env.emulator = emulator;
    },
    nextOperation: () => dropClients(),
    reconfigure(patch) {
      for (const [k, v] of Object.entries(patch)) {
        if (v === undefined) delete config[k];
        else config[k] = v;
      }
      dropClients();
      configure({ config: { get: (k) => config[k] } });
    },
    close: () => emulator.close(),
  };
  return env;
}

/** Runs `fn` while collecting what the provider prints (stdout and stderr lines). */
export async function captureConsole<T>(
  fn: () => Promise<T>,
): Promise<{ result?: T; error?: unknown; lines: string[] }> {
  const lines: string[] = [];
  const log = console.log;
  const err = console.error;
  console.log = (...a: unknown[]) => {
    lines.push(a.join(" "));
  };
  console.error = (...a: unknown[]) => {
    lines.push(a.join(" "));
  };
  try {
    return { result: await fn(), lines };
  } catch (error) {
    return { error, lines };
  } finally {
    console.log = log;
    console.error = err;
  }
}

/** Asserts a promise rejects and returns the error. */
export async function rejection(p: Promise<unknown>): Promise<Error & Record<string, any>> {
  try {
    await p;
  } catch (e) {
    return e as Error & Record<string, any>;
  }
  throw new Error("expected the call to fail, but it succeeded");
}

/** POST requests of the log (since the last `clearLog()`) whose path ends with `/suffix`. */
export async function postsTo(env: ProviderEnv, suffix: string): Promise<LoggedRequest[]> {
  return (await env.requests()).filter((r) => r.method === "POST" && r.path.endsWith(`/${suffix}`));
}

/** Creates a publishable offer (plans priced in the definition) through the Offer provider. */
export async function createPublishableOffer(env: ProviderEnv, publisherId: string, offerId: string): Promise<string> {
  const offer = env.provider("offer");
  const { inputs } = await offer.check(
    {},
    { publisherId, offerId, definition: sampleDefinition({ pricedPlans: true }) },
  );
  await offer.create(inputs);
  return offerId;
}
