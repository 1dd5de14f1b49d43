import type { Performance } from '../backtest/performance';
import type { BacktestReport, StrategyPerformance } from '../backtest/run';
import type { Metrics } from './metrics';
import type { Baseline, Interval, Spread } from './uncertainty';
import type { Contender, EvaluationReport, Scores } from './walk-forward';

export interface PromotionDecision {
  promote: boolean;
  /** True when promoted by `force` despite failing the rule. */
  forced: boolean;
  reasons: string[];
}

/** What the promotion rule reads: each contender's pooled held-out balanced accuracy and log loss. */
export type RuleInputs = Record<Contender, Pick<Metrics, 'balancedAccuracy' | 'logLoss'>>;

/** The 95 % bootstrap lower bound of the model's balanced-accuracy gain over each baseline. */
export type GainLowerBounds = Record<Baseline, number>;

const BASELINES: Baseline[] = ['majority', 'previousDirection'];

/**
 * The promotion rule, on the pooled held-out rows of all folds: the model must beat EACH baseline
 * on balanced accuracy (it calls both directions better, not just the common one) AND on log
 * loss (its probabilities are worth acting on, which a lucky threshold cannot fake), AND the
 * 95 % block-bootstrap lower bound of its balanced-accuracy gain over each baseline must be
 * above 0 (the gain is not one lucky stretch of time). Beating means strictly better; without a
 * bootstrap the rule fails. AUC, pooled or per fold, is reported but not read. `force` promotes
 * anyway and says so, for an operator who knows better.
 *
 * @example
 *   const { promote, reasons } = promotionDecision(report, { force: false });
 */
export function promotionDecision(
  report: EvaluationReport,
  opts: { force?: boolean } = {},
): PromotionDecision {
  const folds = report.folds.length === 0 ? ['no walk-forward fold had both training and test rows'] : [];
  return decide(report.pooled, gainLowerBounds(report), folds, opts);
}

/** The lower bounds the rule reads from an evaluation; null when it has no bootstrap. */
export function gainLowerBounds(report: Pick<EvaluationReport, 'uncertainty'>): GainLowerBounds | null {
  const gain = report.uncertainty?.bootstrap?.balancedAccuracyGain;
  return gain ? { majority: gain.majority.lower, previousDirection: gain.previousDirection.lower } : null;
}

/**
 * The same rule on the pooled numbers alone (what the model registry keeps), so a verdict is
 * always recomputed from the numbers and never read from a stored `promote` flag.
 *
 * @example
 *   decidePromotion(row.metrics.pooled).promote;
 */
export function decidePromotion(
  pooled: RuleInputs,
  gainLower: GainLowerBounds | null,
  opts: { force?: boolean } = {},
): PromotionDecision {
  return decide(pooled, gainLower, [], opts);
}

function decide(
  pooled: RuleInputs,
  gainLower: GainLowerBounds | null,
  reasons: string[],
  opts: { force?: boolean },
): PromotionDecision {
  const { model } = pooled;
  if (!gainLower)
    reasons.push('no bootstrap interval: how sure the gain is cannot be told (train with --bootstrap > 0)');
  for (const name of BASELINES) {
    const base = pooled[name];
    // Written as !(a > b) so that a missing or NaN figure fails the rule.
    if (!(model.balancedAccuracy > base.balancedAccuracy))
      reasons.push(
        `balanced accuracy ${fmt(model.balancedAccuracy)} does not beat ${name} ${fmt(base.balancedAccuracy)}`,
      );
    if (!(model.logLoss < base.logLoss))
      reasons.push(`log loss ${fmt(model.logLoss)} does not beat ${name} ${fmt(base.logLoss)}`);
    if (gainLower && !(gainLower[name] > 0))
      reasons.push(
        `the 95% lower bound of the balanced-accuracy gain over ${name} is ${fmt(gainLower[name])}, not above 0`,
      );
  }
  const passed = reasons.length === 0;
  const forced = !passed && opts.force === true;
  if (passed)
    reasons.push(
      'beats every baseline on balanced accuracy and log loss, with the 95% lower bound of each balanced-accuracy gain above 0',
    );
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
    ...(report.uncertainty ? ['', formatUncertainty(report)] : []),
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

const spread = (v: Spread | null | undefined, digits = 4): string =>
  v ? `${v.mean.toFixed(digits)} ± ${v.sd.toFixed(digits)}` : '-';
const ci = (v: Interval | null | undefined, digits = 4): string =>
  v ? `${v.estimate.toFixed(digits)} [${v.lower.toFixed(digits)}, ${v.upper.toFixed(digits)}]` : '-';

/** Per-fold mean ± sd, pooled vs per-fold AUC, and the bootstrap intervals. */
export function formatUncertainty(report: EvaluationReport): string {
  const u = report.uncertainty;
  const contenders = Object.keys(u.perFold) as Contender[];
  const folds = table(
    ['predictor', '', 'acc', 'bal_acc', 'auc', 'logloss'],
    contenders.map((c) => [
      c,
      '',
      spread(u.perFold[c].accuracy),
      spread(u.perFold[c].balancedAccuracy),
      spread(u.perFold[c].auc),
      spread(u.perFold[c].logLoss),
    ]),
  );
  const auc = table(
    ['predictor', '', 'pooled_auc', 'mean_of_folds'],
    contenders.map((c) => [c, '', fmt(u.auc[c].pooled), fmt(u.auc[c].meanOfFolds)]),
  );
  const b = u.bootstrap;
  const lines = [
    `per fold: mean ± sd over ${report.folds.length} folds`,
    folds,
    '',
    "AUC: pooled mixes the folds' base rates; the mean of per-fold AUCs does not. The promotion rule reads neither.",
    auc,
  ];
  if (!b) return [...lines, '', 'bootstrap: not run'].join('\n');
  lines.push(
    '',
    `block bootstrap over time: ${b.resamples} resamples of ${b.blockBars}-bar blocks per fold, seed ${b.seed}; 95% intervals`,
    table(
      ['predictor', '', 'accuracy', 'auc (mean of folds)'],
      contenders.map((c) => [c, '', ci(b.accuracy[c]), ci(b.auc[c])]),
    ),
    `balanced-accuracy gain of the model (the rule needs each lower bound > 0): over majority ${ci(b.balancedAccuracyGain.majority)}, over previousDirection ${ci(b.balancedAccuracyGain.previousDirection)}`,
  );
  if (b.sharpe)
    lines.push(
      `backtest Sharpe: ${Object.entries(b.sharpe)
        .map(([s, v]) => `${s} ${ci(v, 2)}`)
        .join(', ')}`,
    );
  return lines.join('\n');
}
