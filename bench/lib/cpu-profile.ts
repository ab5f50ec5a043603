// SPDX-License-Identifier: Apache-2.0
/** Where a process's CPU went, from a V8 CPU profile (the .cpuprofile format). Pure. */

/** The parts of a V8 CPU profile this reads. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[];
  samples: number[];
  /** Microseconds since the previous sample. */
  timeDeltas: number[];
}

/** Native functions of Node's module loader (reading, statting and compiling a module). */
const MODULE_LOADING = ["internalModuleStat", "readFileUtf8", "compileFunction", "compileFunctionForCJSLoader"];

/**
 * The part of the process a function belongs to: `(idle)`, `(garbage collector)`, `(program)`
 * (V8's native work it cannot attribute), `module loading` (Node's loader, reading and compiling
 * modules), the npm package its file is in (`got`, `@pulumi/pulumi`, `pulumi-cloudpartner`, …),
 * or Node's own module (`node http2` is gRPC's, `node _http_client` the HTTP client's, `node
 * undici` fetch's, …; `node (native)` for its other native functions).
 */
export function partOf(frame: { functionName: string; url: string }): string {
  const { functionName, url } = frame;
  if (/^\((idle|garbage collector|program|root)\)$/.test(functionName)) return functionName;
  if (/^node:internal\/modules\//.test(url) || MODULE_LOADING.includes(functionName)) return "module loading";
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(url);
  if (m) return m[1];
  // A library Node bundles (node:internal/deps/undici/undici) is named after itself.
  if (url.startsWith("node:internal/deps/")) return `node ${url.split("/")[2]}`;
  if (url.startsWith("node:"))
    return `node ${
      url
        .slice("node:".length)
        .replace(/^internal\//, "")
        .split("/")[0]
    }`;
  if (url === "") return "node (native)";
  return "other";
}

/** Self time per part, in milliseconds, largest first. */
export function selfTimeByPart(profile: CpuProfile): Map<string, number> {
  const part = new Map(profile.nodes.map((n) => [n.id, partOf(n.callFrame)]));
  const out = new Map<string, number>();
  // As DevTools counts it: a sample stands for the time until the next one (timeDeltas[i] is the
  // gap before sample i), and the last one for none.
  profile.samples.forEach((id, i) => {
    const p = part.get(id) ?? "other";
    out.set(p, (out.get(p) ?? 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000);
  });
  return new Map([...out].sort((a, b) => b[1] - a[1]));
}

/** Adds the parts of several profiles (one operation may start more than one host). */
export function addParts(parts: Map<string, number>[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of parts) for (const [k, v] of m) out.set(k, (out.get(k) ?? 0) + v);
  return new Map([...out].sort((a, b) => b[1] - a[1]));
}

/** The rows comparing two processes' parts: each part's ms in both and the difference, largest difference first. */
export function compareParts(
  a: Map<string, number>,
  b: Map<string, number>,
): { part: string; a: number; b: number; difference: number }[] {
  const parts = new Set([...a.keys(), ...b.keys()]);
  return [...parts]
    .map((part) => ({
      part,
      a: a.get(part) ?? 0,
      b: b.get(part) ?? 0,
      difference: (a.get(part) ?? 0) - (b.get(part) ?? 0),
    }))
    .sort((x, y) => y.difference - x.difference);
}
