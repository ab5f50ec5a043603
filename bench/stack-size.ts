// SPDX-License-Identifier: Apache-2.0
/**
 * The figures of docs/guides/many-offers.md, derived from a bench run's `up` against the plain
 * script (a unit test checks that the guide quotes exactly these for the committed results).
 */
import type { PlainPoint } from "./scale.js";

/** One row of the guide's table: offers, `up` and script medians, and their paired ratio. */
export interface StackSizeRow {
  offers: number;
  upS: number;
  scriptS: number;
  ratio: number;
}

/**
 * `up` ≈ fixed + perSquare × offers² (the engine rewrites the whole checkpoint after every step)
 * and the script ≈ perOffer × offers, fitted to the run's sizes by least squares.
 */
export interface StackSizeModel {
  fixedS: number;
  perSquareS: number;
  scriptPerOfferS: number;
}

/** The rows, smallest stack first. */
export function stackSizeRows(plain: PlainPoint[]): StackSizeRow[] {
  return [...plain]
    .sort((a, b) => a.count - b.count)
    .map((p) => ({
      offers: p.count,
      upS: p.upMs.median / 1000,
      scriptS: p.scriptMs.median / 1000,
      ratio: p.ratio.median,
    }));
}

/** Fits {@link StackSizeModel} to the rows (at least two sizes). */
export function stackSizeModel(rows: StackSizeRow[]): StackSizeModel {
  if (rows.length < 2) throw new Error("the stack-size model needs at least two sizes");
  // Least squares for up = c + b·n² (two unknowns) and script = a·n (one).
  const xs = rows.map((r) => r.offers ** 2);
  const mx = mean(xs);
  const my = mean(rows.map((r) => r.upS));
  const sxy = rows.reduce((s, r, i) => s + (xs[i] - mx) * (r.upS - my), 0);
  const sxx = xs.reduce((s, x) => s + (x - mx) ** 2, 0);
  const perSquareS = sxy / sxx;
  const scriptPerOfferS =
    rows.reduce((s, r) => s + r.offers * r.scriptS, 0) / rows.reduce((s, r) => s + r.offers ** 2, 0);
  return { fixedS: my - perSquareS * mx, perSquareS, scriptPerOfferS };
}

/**
 * The largest stack whose modelled `up` stays within `factor` × the modelled script, or
 * undefined when even the smallest does not.
 */
export function offersWithin(m: StackSizeModel, factor: number): number | undefined {
  // perSquare·n² − factor·perOffer·n + fixed ≤ 0 between the roots of that quadratic.
  const b = factor * m.scriptPerOfferS;
  const disc = b * b - 4 * m.perSquareS * m.fixedS;
  if (disc < 0) return undefined;
  return Math.floor((b + Math.sqrt(disc)) / (2 * m.perSquareS));
}

function mean(v: number[]): number {
  return v.reduce((s, x) => s + x, 0) / v.length;
}
