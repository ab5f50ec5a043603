// SPDX-License-Identifier: Apache-2.0
/**
 * The offline-run hook of an example, `examples/NAME/emulator.json` (format: examples/README.md),
 * as pure functions: reading it, replacing `${…}` placeholders, and judging what the emulator
 * holds after `up` against its `expect` section.
 */

/** One control-API call made after the seed; `as` names its answer for placeholders. */
export interface ControlCall {
  method: string;
  path: string;
  body?: unknown;
  as?: string;
}

/** What the service must hold for one offer after `up`. */
export interface ExpectedOffer {
  publisherId: string;
  offerId: string;
  /** A subset the Draft document must contain. */
  draft?: unknown;
  /** Whether the Preview slot must be published (true) or must not be (false). */
  preview?: boolean;
  /** Whether the Production slot must be published (true) or must not be (false). */
  live?: boolean;
}

/** `examples/NAME/emulator.json`. */
export interface ExampleSpec {
  emulator?: Record<string, unknown>;
  seed?: Record<string, unknown>;
  control?: ControlCall[];
  config?: Record<string, string>;
  secretConfig?: Record<string, string>;
  expect?: { offers?: ExpectedOffer[] };
}

/** The emulator's view of an offer (GET /_emulator/offers/:pub/:offer), the parts judged here. */
export interface HeldOffer {
  draft: unknown;
  preview: unknown;
  production: unknown;
}

/** Parses emulator.json text, failing with the file name and the field that is wrong. */
export function parseExampleSpec(text: string, file: string): ExampleSpec {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file} is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  if (!isObject(raw)) throw new Error(`${file} must hold a JSON object`);
  const known = ["emulator", "seed", "control", "config", "secretConfig", "expect"];
  for (const key of Object.keys(raw)) {
    if (!known.includes(key)) throw new Error(`${file}: unknown field "${key}" (known: ${known.join(", ")})`);
  }
  for (const key of ["config", "secretConfig"] as const) {
    const section = raw[key];
    if (section === undefined) continue;
    if (!isObject(section) || Object.values(section).some((v) => typeof v !== "string")) {
      throw new Error(`${file}: "${key}" must map config keys to strings (JSON-encode structured values)`);
    }
  }
  if (
    raw.control !== undefined &&
    (!Array.isArray(raw.control) ||
      raw.control.some((c) => !isObject(c) || typeof c.method !== "string" || typeof c.path !== "string"))
  ) {
    throw new Error(`${file}: "control" must be a list of { method, path, body?, as? }`);
  }
  const offers = isObject(raw.expect) ? raw.expect.offers : undefined;
  if (
    offers !== undefined &&
    (!Array.isArray(offers) ||
      offers.some((o) => !isObject(o) || typeof o.publisherId !== "string" || typeof o.offerId !== "string"))
  ) {
    throw new Error(`${file}: "expect.offers" must be a list of { publisherId, offerId, draft?, preview?, live? }`);
  }
  return raw as ExampleSpec;
}

/**
 * Replaces `${name}` and `${name.path}` in every string of `value` with values from `vars`;
 * an unknown name fails (a typo must not become an empty config value).
 */
export function substitute<T>(value: T, vars: Record<string, unknown>): T {
  const replace = (s: string) =>
    s.replace(/\$\{([A-Za-z_][\w.-]*)\}/g, (_, path: string) => {
      let cur: unknown = vars;
      for (const part of path.split(".")) {
        if (!isObject(cur) || !(part in cur)) {
          throw new Error(`placeholder \${${path}} names nothing (known: ${Object.keys(vars).join(", ")})`);
        }
        cur = cur[part];
      }
      return typeof cur === "string" ? cur : JSON.stringify(cur);
    });
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return replace(v);
    if (Array.isArray(v)) return v.map(walk);
    if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/**
 * Where `actual` differs from the subset `expected`: objects need every expected key, arrays the
 * same length with each element matching, other values strict equality. Empty when it matches.
 */
export function subsetMismatches(expected: unknown, actual: unknown, path = ""): string[] {
  if (isObject(expected)) {
    if (!isObject(actual)) return [`${path || "(root)"}: expected an object, found ${JSON.stringify(actual)}`];
    return Object.entries(expected).flatMap(([k, v]) => subsetMismatches(v, actual[k], path ? `${path}.${k}` : k));
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      return [`${path}: expected ${expected.length} elements, found ${JSON.stringify(actual)}`];
    }
    return expected.flatMap((v, i) => subsetMismatches(v, actual[i], `${path}[${i}]`));
  }
  return expected === actual ? [] : [`${path}: expected ${JSON.stringify(expected)}, found ${JSON.stringify(actual)}`];
}

/** Judges one offer as the emulator holds it (undefined: the offer does not exist). */
export function judgeOffer(expected: ExpectedOffer, held: HeldOffer | undefined): string[] {
  const name = `${expected.publisherId}/${expected.offerId}`;
  if (!held) return [`${name}: the emulator holds no such offer`];
  const out: string[] = [];
  const slot = (want: boolean | undefined, value: unknown, label: string) => {
    const has = value !== null && value !== undefined;
    if (want !== undefined && want !== has) out.push(`${name}: ${label} slot ${has ? "is" : "is not"} published`);
  };
  slot(expected.preview, held.preview, "Preview");
  slot(expected.live, held.production, "Production");
  if (expected.draft !== undefined)
    out.push(...subsetMismatches(expected.draft, held.draft, "draft").map((m) => `${name}: ${m}`));
  return out;
}

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
