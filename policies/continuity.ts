import { assertMonth, monthFromIndex, monthIndex } from "./dates";

export interface PaidMonth {
  month: string;
  backPaid?: boolean;
}

export interface MonthSpan {
  from: string;
  to: string;
  months: number;
}

export interface ContinuityOptions {
  /** The month the run must reach; default the latest paid month. A run not reaching it is 0. */
  asOf?: string;
  /** Treat back-paid months as missing for the continuous run (e.g. Shenzhen car-plate rule). */
  excludeBackPaid?: boolean;
  /**
   * A gap of at most this many months does not break the run (e.g. Beijing's older 3-month rule);
   * gap months are not counted.
   */
  toleratedGapMonths?: number;
}

export interface ContinuityResult {
  /** Distinct months paid, back-paid ones included. */
  cumulativeMonths: number;
  backPaidMonths: number;
  /** Months counted in the run ending at asOf. */
  continuousMonths: number;
  currentRun: MonthSpan | null;
  /** Unpaid spans between the first paid month and asOf. */
  gaps: MonthSpan[];
}

function span(from: number, to: number): MonthSpan {
  return { from: monthFromIndex(from), to: monthFromIndex(to), months: to - from + 1 };
}

export function analyzeContinuity(paid: PaidMonth[], options: ContinuityOptions = {}): ContinuityResult {
  // A month paid both on time and back-paid (duplicates) counts as on time.
  const byMonth = new Map<number, boolean>();
  for (const p of paid) {
    const i = monthIndex(assertMonth(p.month));
    byMonth.set(i, (byMonth.get(i) ?? true) && !!p.backPaid);
  }
  const sorted = [...byMonth.keys()].sort((a, b) => a - b);
  const backPaidMonths = [...byMonth.values()].filter(Boolean).length;
  const empty = { cumulativeMonths: byMonth.size, backPaidMonths, continuousMonths: 0, currentRun: null, gaps: [] };
  if (sorted.length === 0) return empty;

  const end = options.asOf ? monthIndex(assertMonth(options.asOf, "asOf")) : sorted[sorted.length - 1];
  const gaps: MonthSpan[] = [];
  let prev = sorted[0];
  for (const i of sorted.slice(1)) {
    if (i > end) break;
    if (i > prev + 1) gaps.push(span(prev + 1, i - 1));
    prev = i;
  }
  if (end > prev) gaps.push(span(prev + 1, end));

  const counts = (i: number) => byMonth.has(i) && !(options.excludeBackPaid && byMonth.get(i));
  const tolerated = options.toleratedGapMonths ?? 0;
  let continuousMonths = 0;
  let start = -1;
  let gap = 0;
  for (let i = end; i >= sorted[0]; i--) {
    if (counts(i)) {
      continuousMonths++;
      start = i;
      gap = 0;
    } else if (start < 0 || ++gap > tolerated) break;
  }
  return {
    cumulativeMonths: byMonth.size,
    backPaidMonths,
    continuousMonths,
    currentRun: start < 0 ? null : span(start, end),
    gaps,
  };
}
