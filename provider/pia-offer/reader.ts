// SPDX-License-Identifier: Apache-2.0
/**
 * Reading a definition key by key so that nothing is dropped silently: every key is taken by
 * the translation or, at the end, reported. Paths follow {@link TranslationProblem.path}. Pure.
 */
import { isRecord, type JsonRecord } from "../util/json.js";
import type { TranslationProblem } from "./types.js";

/** `base.key`: namespaced keys keep their dots (`definition.offer.microsoft-azure-marketplace.title`). */
export function keyPath(base: string, key: string): string {
  return `${base}.${key}`;
}

/** `base[item]`: array indices, plan ids and image versions. */
export function itemPath(base: string, item: string | number): string {
  return `${base}[${item}]`;
}

/** Collects problems and ignored paths. */
export class Findings {
  readonly problems: TranslationProblem[] = [];
  readonly ignored: string[] = [];

  problem(path: string, reason: string, fix: string): void {
    this.problems.push({ path, reason, fix });
  }

  ignore(path: string): void {
    this.ignored.push(path);
  }

  /** A value of the wrong JSON type. */
  wrongType(path: string, expected: string, value: unknown): void {
    const got = value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
    this.problem(path, `must be ${expected} to be translated, and is ${got}`, `give ${expected}, or remove the key`);
  }
}

/** One object's keys, taken one by one; {@link KeyReader.rest} lists those nobody took. */
export class KeyReader {
  private readonly taken = new Set<string>();

  constructor(
    readonly value: JsonRecord,
    readonly path: string,
    readonly findings: Findings,
  ) {}

  /** The path of `key` in this object. */
  pathOf(key: string): string {
    return keyPath(this.path, key);
  }

  has(key: string): boolean {
    return this.value[key] !== undefined;
  }

  /** Takes `key`: its value (undefined when absent). */
  take(key: string): unknown {
    this.taken.add(key);
    return this.value[key];
  }

  /** Takes a string (a problem if it is not one). */
  string(key: string): string | undefined {
    const v = this.take(key);
    if (v === undefined) return undefined;
    if (typeof v === "string") return v;
    this.findings.wrongType(this.pathOf(key), "a string", v);
    return undefined;
  }

  /** Takes a boolean (a problem if it is not one). */
  boolean(key: string): boolean | undefined {
    const v = this.take(key);
    if (v === undefined) return undefined;
    if (typeof v === "boolean") return v;
    this.findings.wrongType(this.pathOf(key), "true or false", v);
    return undefined;
  }

  /** Takes an object (a problem if it is not one). */
  record(key: string): JsonRecord | undefined {
    const v = this.take(key);
    if (v === undefined) return undefined;
    if (isRecord(v)) return v;
    this.findings.wrongType(this.pathOf(key), "an object", v);
    return undefined;
  }

  /** Takes an array (a problem if it is not one). */
  array(key: string): unknown[] | undefined {
    const v = this.take(key);
    if (v === undefined) return undefined;
    if (Array.isArray(v)) return v;
    this.findings.wrongType(this.pathOf(key), "an array", v);
    return undefined;
  }

  /** Takes an array of strings; items of another type are problems and left out. */
  strings(key: string): string[] | undefined {
    const list = this.array(key);
    if (!list) return undefined;
    const out: string[] = [];
    list.forEach((item, i) => {
      if (typeof item === "string") out.push(item);
      else this.findings.wrongType(itemPath(this.pathOf(key), i), "a string", item);
    });
    return out;
  }

  /** Keys present (not undefined) that nobody took, in the object's order. */
  rest(): string[] {
    return Object.keys(this.value).filter((k) => !this.taken.has(k) && this.value[k] !== undefined);
  }
}

/** The path of the plans array: its items are named by plan id. */
const PLANS_PATH = "definition.plans";

/**
 * The path of a plan by position, `definition.plans[#2]`: for a plan without a usable plan id
 * (missing, or repeated). The `#` keeps it apart from a plan whose id is digits, `definition.plans[2]`.
 */
export function planIndexPath(index: number): string {
  return itemPath(PLANS_PATH, `#${index}`);
}

/** Objects whose members are named in brackets: image maps (by version) and per-core-size prices. */
function bracketsMembers(key: string | undefined): boolean {
  return (
    key !== undefined && (key.endsWith(".vmImages") || key.endsWith(".vmImagesPublicAzure") || key === "individually")
  );
}

/** A node of a definition: its path and, for a plan, the index path that also names it. */
interface Child {
  key: string | number;
  paths: string[];
  path: string;
  value: unknown;
}

function childrenOf(value: unknown, path: string, key: string | undefined): Child[] {
  if (Array.isArray(value)) {
    return value.map((item, i) => {
      const index = path === PLANS_PATH ? planIndexPath(i) : itemPath(path, i);
      const planId = path === PLANS_PATH && isRecord(item) && typeof item.planId === "string" ? item.planId : undefined;
      const named = planId !== undefined ? itemPath(path, planId) : index;
      return { key: i, paths: planId !== undefined ? [index, named] : [index], path: named, value: item };
    });
  }
  if (isRecord(value)) {
    return Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .map((k) => {
        const p = bracketsMembers(key) ? itemPath(path, k) : keyPath(path, k);
        return { key: k, paths: [p], path: p, value: value[k] };
      });
  }
  return [];
}

/**
 * A copy of `definition` without the nodes whose path is in `paths` (paths as problems name
 * them: a plan by its id or its index, array items and image versions in brackets).
 */
export function prunePaths(definition: unknown, paths: ReadonlySet<string>, root = "definition"): unknown {
  const walk = (value: unknown, path: string, key: string | undefined): unknown => {
    const kids = childrenOf(value, path, key).filter((c) => !c.paths.some((p) => paths.has(p)));
    if (Array.isArray(value)) return kids.map((c) => walk(c.value, c.path, undefined));
    if (isRecord(value)) return Object.fromEntries(kids.map((c) => [c.key, walk(c.value, c.path, String(c.key))]));
    return value;
  };
  return walk(definition, root, undefined);
}

/** A leaf of a definition: a scalar, or an empty array or object. */
export interface Leaf {
  path: string;
  /** Every path naming the leaf or one of its ancestors (a plan has two), innermost last. */
  ancestry: string[];
  value: unknown;
}

/** Every leaf of `definition`, with the paths problems would name it and its ancestors by. */
export function leavesOf(definition: unknown, root = "definition"): Leaf[] {
  const out: Leaf[] = [];
  const walk = (value: unknown, path: string, key: string | undefined, ancestry: string[]): void => {
    const kids = childrenOf(value, path, key);
    if (kids.length === 0) {
      out.push({ path, ancestry, value });
      return;
    }
    for (const c of kids)
      walk(c.value, c.path, typeof c.key === "string" ? c.key : undefined, [...ancestry, ...c.paths]);
  };
  walk(definition, root, undefined, [root]);
  return out;
}

/** The value at a path of {@link leavesOf} (by walking the same children), or undefined. */
export function valueAt(definition: unknown, path: string, root = "definition"): unknown {
  let found: unknown;
  const walk = (value: unknown, p: string, key: string | undefined): void => {
    if (p === path) {
      found = value;
      return;
    }
    for (const c of childrenOf(value, p, key)) {
      if (path === c.path || path.startsWith(c.path + ".") || path.startsWith(c.path + "[")) {
        walk(c.value, c.path, typeof c.key === "string" ? c.key : undefined);
      }
    }
  };
  walk(definition, root, undefined);
  return found;
}
