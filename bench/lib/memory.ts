// SPDX-License-Identifier: Apache-2.0
/**
 * Peak resident memory of processes this benchmark started (directly or through the Pulumi CLI),
 * read from /proc: each sample lists this process's descendants whose command line matches,
 * and keeps the largest `VmHWM` (the kernel's own high-water mark of the resident set) seen per
 * process. Only descendants count, so other users' processes on the machine are never measured.
 */
import { readdirSync, readFileSync } from "node:fs";

/** One process seen while sampling. */
export interface SampledProcess {
  pid: number;
  command: string;
  peakKb: number;
}

/** Parent pid of every process now (those that vanish while being read are skipped). */
function parents(): Map<number, number> {
  const out = new Map<number, number>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      // Field 2 (comm) is in parentheses and may hold spaces: parse after its closing one.
      const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      out.set(Number(name), Number(rest[1]));
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

/** Pids descending from `root`. */
export function descendants(root: number, parentOf: Map<number, number> = parents()): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parentOf) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const out: number[] = [];
  const queue = [...(children.get(root) ?? [])];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** `VmHWM` of a process in kB, or undefined once it has gone. */
export function peakRssKb(pid: number): number | undefined {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Samples the peak RSS of matching descendants every `intervalMs` until stopped. */
export class PeakRssSampler {
  private readonly seen = new Map<number, SampledProcess>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly match: RegExp,
    private readonly intervalMs = 200,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  /** Takes one sample now. */
  sample(): void {
    for (const pid of descendants(process.pid)) {
      let entry = this.seen.get(pid);
      if (!entry) {
        let command: string;
        try {
          command = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
        } catch {
          continue;
        }
        if (!this.match.test(command)) continue;
        entry = { pid, command, peakKb: 0 };
        this.seen.set(pid, entry);
      }
      entry.peakKb = Math.max(entry.peakKb, peakRssKb(pid) ?? 0);
    }
  }

  /** Stops and returns every matching process seen, with its peak. */
  stop(): SampledProcess[] {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    return [...this.seen.values()];
  }
}
