// SPDX-License-Identifier: Apache-2.0
/** Scratch folders for tests: see scripts/lib/scratch.ts (shared with the benchmarks). */
export { scratchDir, scratchRoot } from "../../scripts/lib/scratch.js";
