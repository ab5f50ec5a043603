// SPDX-License-Identifier: Apache-2.0
import type { Fault } from "./state.js";

/** Finds (and consumes one use of) the first pending fault matching a request. */
export function takeFault(faults: Fault[], method: string, path: string): Fault | undefined {
  const i = faults.findIndex((f) => (!f.method || f.method.toUpperCase() === method) && matches(f.path, path));
  if (i < 0) return undefined;
  const fault = faults[i];
  fault.count -= 1;
  if (fault.count <= 0) faults.splice(i, 1);
  return fault;
}

/** A fault path matches as a substring, or as a regex when written `/…/`. */
function matches(pattern: string, path: string): boolean {
  if (pattern.length > 2 && pattern.startsWith("/") && pattern.endsWith("/")) {
    try {
      return new RegExp(pattern.slice(1, -1)).test(path);
    } catch {
      return false;
    }
  }
  return path.includes(pattern);
}
