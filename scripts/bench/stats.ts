/** Summaries of repeated measurements. */

/** Median of the values (mean of the middle two for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

/** Median, range and the raw runs, rounded to 0.1 for the JSON file. */
export function summarise(values: readonly number[]): Summary {
  const round = (n: number) => Math.round(n * 10) / 10;
  return {median: round(median(values)), min: round(Math.min(...values)), max: round(Math.max(...values)), runs: values.map(round)};
}
