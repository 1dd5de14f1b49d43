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
  ].join('\n');
}
