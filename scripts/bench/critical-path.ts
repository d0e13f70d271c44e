/**
 * The benchmark's latency metric: how many round trips sit on the critical
 * path of a run. With R ms per round trip a run cannot finish faster than
 * R × (this number), however many calls it makes in parallel.
 */

/** A call seen from outside: when it started and when its answer was complete. */
export interface TimedInterval {
  start: number;
  end: number;
}

/** The longest chain found, and the calls on it in order. */
export interface SequentialChain<T extends TimedInterval> {
  length: number;
  calls: T[];
}

/**
 * Longest chain of calls in which each call starts at or after the previous
 * one ended, i.e. calls that did not overlap and so were (or could only have
 * been) made one after another. Calls that overlap ran in parallel and count
 * once. Among equally long chains, each call's predecessor is the one that
 * ended last before it started: most likely the answer it was waiting for,
 * so the chain reads as the real chain of dependencies. Quadratic, which is
 * fine for the few dozen calls of one run.
 */
export function longestSequentialChain<T extends TimedInterval>(calls: readonly T[]): SequentialChain<T> {
  for (const call of calls) {
    if (!(call.end >= call.start)) throw new RangeError(`call ends (${call.end}) before it starts (${call.start})`);
  }
  // In start order a predecessor always comes first: it ended, so it started, before its successor started.
  const sorted = [...calls].sort((a, b) => a.start - b.start || a.end - b.end);
  const length: number[] = [];
  const previous: number[] = [];
  let best = -1;
  sorted.forEach((call, i) => {
    length[i] = 1;
    previous[i] = -1;
    for (let j = 0; j < i; j++) {
      const before = sorted[j]!;
      if (before.end > call.start) continue;
      const longer = length[j]! + 1 > length[i]!;
      const asLongButLater = length[j]! + 1 === length[i]! && before.end > sorted[previous[i]!]!.end;
      if (longer || asLongButLater) {
        length[i] = length[j]! + 1;
        previous[i] = j;
      }
    }
    if (best < 0 || length[i]! > length[best]!) best = i;
  });
  const chain: T[] = [];
  for (let i = best; i >= 0; i = previous[i]!) chain.unshift(sorted[i]!);
  return {length: chain.length, calls: chain};
}
