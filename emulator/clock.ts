// SPDX-License-Identifier: Apache-2.0
/** Serialisable state of the emulated clock. */
export interface ClockState {
  /** Emulated epoch ms at `baseReal`. */
  baseEmulated: number;
  baseReal: number;
  /** Emulated ms per real ms. */
  scale: number;
  /** Milliseconds added by explicit advances (they also age tokens; the scale does not). */
  advanced: number;
}

/**
 * The emulator's clock: real time sped up by a scale that tests and the demo choose, plus
 * explicit jumps. Operations progress as a pure function of it, so nothing runs in the
 * background. Tokens age with real time plus jumps only, so a fast clock does not expire them.
 */
export class EmulatedClock {
  private state: ClockState;

  constructor(
    scale = 1,
    state?: ClockState,
    private readonly realNow: () => number = Date.now,
  ) {
    this.state = state ?? { baseEmulated: realNow(), baseReal: realNow(), scale, advanced: 0 };
  }

  /** Emulated epoch milliseconds. */
  now(): number {
    return this.state.baseEmulated + (this.realNow() - this.state.baseReal) * this.state.scale;
  }

  /**
   * Time for token issue and expiry: real time plus explicit advances, or real time alone when
   * `withJumps` is false (mode clockAgesTokens off, for clients that age tokens by their own clock).
   */
  tokenNow(withJumps = true): number {
    return this.realNow() + (withJumps ? this.state.advanced : 0);
  }

  /** Jumps forward. */
  advance(ms: number): void {
    this.state.baseEmulated += ms;
    this.state.advanced += ms;
  }

  /** Back to real time at `scale`, with no jumps (emulator reset). */
  restart(scale: number): void {
    this.state = { baseEmulated: this.realNow(), baseReal: this.realNow(), scale, advanced: 0 };
  }

  /** Changes the speed from now on. */
  setScale(scale: number): void {
    const now = this.now();
    this.state = { ...this.state, baseEmulated: now, baseReal: this.realNow(), scale };
  }

  get scale(): number {
    return this.state.scale;
  }

  /** State to persist; reloading continues from the emulated time it was saved at. */
  toJSON(): ClockState {
    return { ...this.state, baseEmulated: this.now(), baseReal: this.realNow() };
  }

  /** Restores a persisted clock: emulated time resumes where it stopped. */
  static fromJSON(state: ClockState, realNow: () => number = Date.now): EmulatedClock {
    return new EmulatedClock(state.scale, { ...state, baseReal: realNow() }, realNow);
  }
}

/** ISO-8601 UTC with 7 fractional digits, as the service writes timestamps (docs/internals/api-notes.md §1). */
export function isoTicks(ms: number, extraTicks = 0): string {
  const iso = new Date(Math.floor(ms)).toISOString(); // …sss Z
  const frac = Math.floor((ms - Math.floor(ms)) * 10_000) + extraTicks;
  return `${iso.slice(0, 23)}${String(Math.min(9999, frac)).padStart(4, "0")}Z`;
}

/** .NET ticks of an epoch-ms time (the `version` of operation summaries, docs/internals/api-notes.md §7.5). */
export function dotnetTicks(ms: number): number {
  return Math.floor(ms * 10_000 + 621_355_968_000_000_000);
}
