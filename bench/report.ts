/** The bench's output: one line per figure, with the target beside it and whether it is met. */

export interface Target {
  readonly op: '<=' | '>=';
  readonly value: number;
}

export type Say = (line?: string) => void;

export function figure(say: Say, name: string, value: number | undefined, unit: string, target?: Target): boolean {
  const shown = value === undefined ? 'n/a' : `${format(value)} ${unit}`;
  let verdict = '';
  let met = true;
  if (target) {
    met = value !== undefined && (target.op === '<=' ? value <= target.value : value >= target.value);
    verdict = `target ${target.op === '<=' ? '≤' : '≥'} ${format(target.value)} ${unit}  ${value === undefined ? '?' : met ? 'met' : 'MISSED'}`;
  }
  say(`  ${name.padEnd(46)} ${shown.padStart(14)}   ${verdict}`.trimEnd());
  return met;
}

/** Whole numbers as they are, others to 3 significant figures or so. */
function format(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return value < 10 ? value.toFixed(2) : value < 1000 ? value.toFixed(1) : value.toFixed(0);
}

/** The p-th percentile (0..100) of durations, nearest-rank. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function mean(values: readonly number[]): number | undefined {
  return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0) / values.length;
}
