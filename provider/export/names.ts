// SPDX-License-Identifier: Apache-2.0
/** Names in generated code, derived from offer and plan ids. Pure. */

const RESERVED = new Set([
  "break",
  "case",
  "catch",
  "class",
  "const",
  "continue",
  "debugger",
  "default",
  "delete",
  "do",
  "else",
  "enum",
  "export",
  "extends",
  "false",
  "finally",
  "for",
  "function",
  "if",
  "import",
  "in",
  "instanceof",
  "new",
  "null",
  "return",
  "super",
  "switch",
  "this",
  "throw",
  "true",
  "try",
  "typeof",
  "var",
  "void",
  "while",
  "with",
  "let",
  "static",
  "yield",
  "await",
  "implements",
  "interface",
  "package",
  "private",
  "protected",
  "public",
  // Names the generated program itself declares.
  "pulumi",
  "config",
  "publisherId",
  "Offer",
  "OfferPublish",
  "VmPricing",
  "mp",
  "vm",
  "cvm",
  "td",
]);

/** Words of an id: `contoso-vm_2` → ["contoso", "vm", "2"]. */
function words(id: string): string[] {
  return id.split(/[^A-Za-z0-9]+/).filter(Boolean);
}

/** `contoso-vm-offer` → `contosoVmOffer`; a leading digit gets the prefix `offer`. */
export function camelCase(id: string, fallback = "offer"): string {
  const parts = words(id);
  if (parts.length === 0) return fallback;
  const cap = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);
  const joined = parts.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : cap(w))).join("");
  return /^[0-9]/.test(joined) ? `${fallback}${joined.charAt(0).toUpperCase()}${joined.slice(1)}` : joined;
}

/** `payg-2` → `Payg2`. */
export function pascalCase(id: string): string {
  const c = camelCase(id, "x");
  return c.charAt(0).toUpperCase() + c.slice(1);
}

/** Hands out identifiers, never the same one twice and never a reserved word. */
export class NameScope {
  private readonly used = new Set<string>();

  /** `base`, or `base2`, `base3`… when taken. */
  take(base: string): string {
    let name = RESERVED.has(base) ? `${base}Offer` : base;
    for (let n = 2; this.used.has(name); n++) name = `${base}${n}`;
    this.used.add(name);
    return name;
  }
}

/**
 * The stack config key of a secret field: the offer id and the path's meaningful words, e.g.
 * `offer/microsoft-azure-marketplace.tableLeadConfiguration/storageAccountConnectionString` of
 * offer `contoso-vm` → `contosoVmTableLeadStorageAccountConnectionString`.
 */
export function secretConfigKey(offerId: string, path: string): string {
  const segments = path
    .split("/")
    .slice(1)
    .map((s) => s.slice(s.lastIndexOf(".") + 1).replace(/LeadConfiguration$/, "Lead"));
  return camelCase([offerId, ...segments.map((s) => s.replace(/([a-z0-9])([A-Z])/g, "$1-$2"))].join("-"));
}
