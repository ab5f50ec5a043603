// SPDX-License-Identifier: Apache-2.0
/**
 * Prints JSON values as TypeScript literals formatted like this project's own code: 2-space
 * indent, double quotes, trailing commas, bare keys where they are identifiers, namespaced
 * property keys as `[mp + "title"]`, and short values on one line. Pure and deterministic.
 */
import { isRecord } from "../util/json.js";

/** A piece of code printed as is (an identifier or a call), not as a string literal. */
export class Code {
  constructor(readonly text: string) {}
}

/** Namespace prefixes of offer and plan keys, and the constant each is printed with. */
export const NAMESPACES: ReadonlyArray<readonly [prefix: string, constant: string]> = [
  ["microsoft-azure-marketplace-testdrive.", "td"],
  ["microsoft-azure-marketplace.", "mp"],
  ["microsoft-azure-virtualmachines.", "vm"],
  ["microsoft-azure-corevm.", "cvm"],
];

/** Where printing happens: the constants of the namespaces used so far are collected here. */
export interface PrintContext {
  usedNamespaces: Set<string>;
  /** Line width above which objects and arrays are broken over lines. */
  width: number;
}

/** A fresh context (width 120, as the project's own code). */
export function printContext(): PrintContext {
  return { usedNamespaces: new Set(), width: 120 };
}

/** Keys printed first when present: a plan's id, a pricing kind. */
const LEADING_KEYS = ["planId", "kind"];

/** Key order of printed objects: `planId` and `kind` first, then by name, so output is stable. */
export function orderedKeys(value: Record<string, unknown>): string[] {
  const rank = (k: string) => (LEADING_KEYS.includes(k) ? LEADING_KEYS.indexOf(k) : LEADING_KEYS.length);
  return Object.keys(value)
    .filter((k) => value[k] !== undefined)
    .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** A string literal in double quotes. */
export function str(value: string): string {
  return JSON.stringify(value);
}

/** An object key: bare identifier, namespaced `[ns + "key"]`, or a quoted string. */
export function printKey(key: string, ctx: PrintContext): string {
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return key;
  for (const [prefix, constant] of NAMESPACES) {
    if (key.startsWith(prefix) && key.length > prefix.length) {
      ctx.usedNamespaces.add(prefix);
      return `[${constant} + ${str(key.slice(prefix.length))}]`;
    }
  }
  return str(key);
}

/**
 * Prints `value` as it would appear after `column` characters on a line indented by `indent`
 * spaces. Objects and arrays go on one line when that line fits in the width.
 */
export function printValue(value: unknown, indent: number, ctx: PrintContext, column = indent): string {
  if (value instanceof Code || (!Array.isArray(value) && !isRecord(value))) return scalar(value);
  const one = flat(value, ctx);
  if (column + one.length + 2 <= ctx.width) return one; // room for a trailing comma or bracket
  const pad = " ".repeat(indent + 2);
  const close = " ".repeat(indent);
  if (Array.isArray(value)) {
    return `[\n${value.map((v) => `${pad}${printValue(v, indent + 2, ctx)},\n`).join("")}${close}]`;
  }
  const lines = orderedKeys(value).map((k) => {
    const key = printKey(k, ctx);
    return `${pad}${key}: ${printValue(value[k], indent + 2, ctx, indent + 2 + key.length + 2)},\n`;
  });
  return `{\n${lines.join("")}${close}}`;
}

/** The one-line form of a value. */
function flat(value: unknown, ctx: PrintContext): string {
  if (value instanceof Code) return value.text;
  if (Array.isArray(value)) return value.length === 0 ? "[]" : `[${value.map((v) => flat(v, ctx)).join(", ")}]`;
  if (isRecord(value)) {
    const keys = orderedKeys(value);
    if (keys.length === 0) return "{}";
    return `{ ${keys.map((k) => `${printKey(k, ctx)}: ${flat(value[k], ctx)}`).join(", ")} }`;
  }
  return scalar(value);
}

function scalar(value: unknown): string {
  if (value instanceof Code) return value.text;
  if (value === null) return "null";
  if (typeof value === "string") return str(value);
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "null";
  if (typeof value === "boolean") return String(value);
  return "undefined";
}
