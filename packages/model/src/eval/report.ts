import type { Performance } from '../backtest/performance';
import type { BacktestReport, StrategyPerformance } from '../backtest/run';
import type { Metrics } from './metrics';
import type { Contender, EvaluationReport, Scores } from './walk-forward';

export interface PromotionDecision {
  promote: boolean;
  /** True when promoted by `force` despite failing the rule. */
  forced: boolean;
  reasons: string[];
}

/** What the promotion rule reads: each contender's pooled held-out balanced accuracy and log loss. */
export type RuleInputs = Record<Contender, Pick<Metrics, 'balancedAccuracy' | 'logLoss'>>;

const BASELINES: Contender[] = ['majority', 'previousDirection'];

/**
 * The promotion rule, on the pooled held-out rows of all folds: the model must beat EACH baseline
 * on balanced accuracy (it calls both directions better, not just the common one) AND on log
 * loss (its probabilities are worth acting on, which a lucky threshold cannot fake). Beating
 * means strictly better. `force` promotes anyway and says so, for an operator who knows better.
 *
 * @example
 *   const { promote, reasons } = promotionDecision(report, { force: false });
 */
export function promotionDecision(
  report: EvaluationReport,
  opts: { force?: boolean } = {},
): PromotionDecision {
  const folds = report.folds.length === 0 ? ['no walk-forward fold had both training and test rows'] : [];
  return decide(report.pooled, folds, opts);
}

/**
 * The same rule on the pooled numbers alone (what the model registry keeps), so a verdict is
 * always recomputed from the numbers and never read from a stored `promote` flag.
 *
 * @example
 *   decidePromotion(row.metrics.pooled).promote;
 */
export function decidePromotion(pooled: RuleInputs, opts: { force?: boolean } = {}): PromotionDecision {
  return decide(pooled, [], opts);
}

function decide(pooled: RuleInputs, reasons: string[], opts: { force?: boolean }): PromotionDecision {
  const { model } = pooled;
  for (const name of BASELINES) {
    const base = pooled[name];
    // Written as !(a > b) so that a missing or NaN figure fails the rule.
    if (!(model.balancedAccuracy > base.balancedAccuracy))
      reasons.push(
        `balanced accuracy ${fmt(model.balancedAccuracy)} does not beat ${name} ${fmt(base.balancedAccuracy)}`,
      );
    if (!(model.logLoss < base.logLoss))
      reasons.push(`log loss ${fmt(model.logLoss)} does not beat ${name} ${fmt(base.logLoss)}`);
  }
  const passed = reasons.length === 0;
  const forced = !passed && opts.force === true;
  if (passed) reasons.push('beats every baseline on balanced accuracy and log loss');
  return { promote: passed || forced, forced, reasons };
}

function fmt(v: number | null | undefined): string {
  return typeof v === 'number' ? v.toFixed(4) : '-';
}

function rows(label: string, scores: Scores): string[][] {
  return (Object.keys(scores) as Contender[]).map((c) => {
    const m = scores[c];
    return [
      label,
      c,
      String(m.n),
      fmt(m.accuracy),
      fmt(m.balancedAccuracy),
      fmt(m.auc),
      fmt(m.logLoss),
      fmt(m.brier),
    ];
  });
}

function table(header: string[], body: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string =>
    r.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** The report as fixed-width text: per fold, pooled, per symbol, then the pooled model's calibration. */
export function formatReport(report: EvaluationReport): string {
  const header = ['scope', 'predictor', 'n', 'acc', 'bal_acc', 'auc', 'logloss', 'brier'];
  const body = [
    ...report.folds.flatMap((f) => rows(`fold ${f.fold}`, f.scores)),
    ...rows('pooled', report.pooled),
    ...Object.entries(report.perSymbol).flatMap(([s, scores]) => rows(s, scores)),
  ];
  const calibration = report.pooled.model.calibration.map((b) => [
    `${b.lower.toFixed(1)}-${b.upper.toFixed(1)}`,
    '',
    String(b.count),
    fmt(b.meanPredicted),
    fmt(b.observedRate),
  ]);
  return [
    `walk-forward: horizon=${report.horizon} bars, neutral band=${report.neutralBand}, embargo=${report.embargo} bars, folds=${report.folds.length}`,
    table(header, body),
    '',
    'calibration (pooled model)',
    table(['bin', '', 'count', 'mean_p', 'observed'], calibration),
    ...(report.backtest ? ['', formatBacktest(report.backtest)] : []),
    '',
    report.lookAhead
      ? `look-ahead check: ${report.lookAhead.rowsCompared} rows rebuilt from the bars up to ${report.lookAhead.cuts.length} cuts, all identical`
      : 'look-ahead check: not run',
  ].join('\n');
}

const pct = (v: number | null): string => (v === null ? '-' : `${(v * 100).toFixed(2)}%`);

function performanceRows(label: string, perf: StrategyPerformance): string[][] {
  return (Object.entries(perf) as [string, Performance][]).map(([s, p]) => [
    label,
    s,
    String(p.bars),
    pct(p.totalReturn),
    pct(p.annualReturn),
    p.sharpe === null ? '-' : p.sharpe.toFixed(2),
    pct(p.maxDrawdown),
    p.turnover.toFixed(1),
    pct(p.exposure),
    pct(p.hitRate),
  ]);
}

/** The backtest as fixed-width text: the rule and costs, then per fold, pooled and per symbol. */
export function formatBacktest(bt: BacktestReport): string {
  const s = bt.settings;
  const rule =
    `backtest: long when P(up) > ${s.upper}, ${s.mode === 'long-short' ? 'short' : 'flat'} when < ${s.lower}, ` +
    `else keep; decided at the close, filled at the next open; costs ${s.costBps} bps per side + ` +
    `${s.commissionPerShare} per share; ${s.barsPerYear.toFixed(0)} bars a year; equal-weight portfolio of the symbols`;
  const header = [
    'scope',
    'strategy',
    'bars',
    'total',
    'annual',
    'sharpe',
    'max_dd',
    'turnover/y',
    'exposure',
    'hit',
  ];
  const body = [
    ...bt.folds.flatMap((f) => performanceRows(`fold ${f.fold}`, f.pooled)),
    ...performanceRows('pooled', bt.pooled),
    ...Object.entries(bt.perSymbol).flatMap(([sym, p]) => performanceRows(sym, p)),
  ];
  return [rule, table(header, body)].join('\n');
}
