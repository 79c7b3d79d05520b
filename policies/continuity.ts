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

/** A month of the contribution ledger as continuity reads it. */
export interface LedgerMonth {
  month: string;
  /** due, paid or not_received. */
  status: string;
  backPaid?: boolean;
  /** The payment deadline of the month (YYYY-MM-DD); without one, the month's last day. */
  deadline?: string | null;
}

const deadlineOf = (m: LedgerMonth) => m.deadline ?? `${m.month}-31`;

/**
 * An enrolled month counts when it is paid, or still due before its deadline on `at`; a month still
 * unpaid after its deadline, or not received, is a gap, not a contribution.
 */
export const isCountedMonth = (m: LedgerMonth, at: string): boolean =>
  m.status === "paid" || (m.status === "due" && at <= deadlineOf(m));

export interface LedgerContinuity extends ContinuityResult {
  /** Enrolled months unpaid after their deadline (or not received), up to asOf. */
  unpaidMonths: string[];
}

/**
 * Continuity over the ledger: only months that count (`isCountedMonth`) make the runs, and every
 * enrolled month unpaid after its deadline is a gap, also before the first paid month.
 */
export function ledgerContinuity(ledger: LedgerMonth[], options: ContinuityOptions & { at: string }): LedgerContinuity {
  const counted = ledger.filter((m) => isCountedMonth(m, options.at));
  const result = analyzeContinuity(counted, options);
  const end = options.asOf ? monthIndex(assertMonth(options.asOf, "asOf")) : Number.POSITIVE_INFINITY;
  const countedSet = new Set(counted.map((m) => monthIndex(m.month)));
  const unpaid = [
    ...new Set(
      ledger
        .filter((m) => !isCountedMonth(m, options.at))
        .map((m) => monthIndex(assertMonth(m.month)))
        .filter((i) => i <= end && !countedSet.has(i)),
    ),
  ].sort((a, b) => a - b);
  const missing = new Set<number>(unpaid);
  for (const g of result.gaps) for (let i = monthIndex(g.from); i <= monthIndex(g.to); i++) missing.add(i);
  const sorted = [...missing].sort((a, b) => a - b);
  const gaps: MonthSpan[] = [];
  for (const i of sorted) {
    const last = gaps[gaps.length - 1];
    if (last && monthIndex(last.to) === i - 1) Object.assign(last, span(monthIndex(last.from), i));
    else gaps.push(span(i, i));
  }
  return { ...result, gaps, unpaidMonths: unpaid.map(monthFromIndex) };
}
