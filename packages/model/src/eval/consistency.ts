import type { Metrics } from './metrics';
import type { Contender, EvaluationReport } from './walk-forward';

const CONTENDERS: Contender[] = ['model', 'majority', 'previousDirection'];
// Means over rows: the pooled figure is the row-weighted mean of the folds' figures.
const ROW_MEANS = ['positiveRate', 'accuracy', 'logLoss', 'brier'] as const;
const RATES = ['positiveRate', 'accuracy', 'balancedAccuracy', 'brier'] as const;

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * What in a walk-forward evaluation (as read back from a report.json) does not add up: the
 * bootstrap's balanced-accuracy gains (which the promotion rule reads) must be the pooled
 * differences, their bounds ordered (a percentile interval need not contain its estimate, so an
 * edited lower bound is not caught); the pooled
 * held-out rows must be the folds' test rows, each pooled figure that is a mean over rows
 * (accuracy, log loss, Brier score, positive rate) the row-weighted mean of the folds' figures,
 * and the pooled balanced accuracy the one the folds' class counts give. An empty list means
 * consistent, not true: numbers edited together, consistently, pass.
 *
 * @example
 *   const problems = evaluationInconsistencies(report.evaluation); // [] for an untouched report
 */
export function evaluationInconsistencies(ev: EvaluationReport): string[] {
  const problems: string[] = [];
  if (!Array.isArray(ev.folds) || ev.folds.length === 0) return ['the evaluation has no folds'];
  const testRows = ev.folds.reduce((sum, f) => sum + f.testRows, 0);
  for (const c of CONTENDERS) {
    const pooled = ev.pooled?.[c] as Partial<Metrics> | undefined;
    const folds = ev.folds.map((f) => f.scores?.[c] as Partial<Metrics> | undefined);
    if (!pooled || folds.some((m) => !m)) {
      problems.push(`${c}: pooled or per-fold scores are missing`);
      continue;
    }
    const figures = [...ROW_MEANS, 'balancedAccuracy', 'n'] as const;
    const bad = figures.filter((k) => !finite(pooled[k]) || folds.some((m) => !finite(m?.[k])));
    if (bad.length > 0) {
      problems.push(`${c}: ${bad.join(', ')} not a finite number everywhere`);
      continue;
    }
    for (const k of RATES)
      if ((pooled[k] as number) < 0 || (pooled[k] as number) > 1)
        problems.push(`${c}: pooled ${k} outside [0, 1]`);
    const n = pooled.n as number;
    const foldRows = folds.reduce((sum, m) => sum + (m!.n as number), 0);
    if (n !== testRows || foldRows !== testRows)
      problems.push(`${c}: pooled n ${n} and the folds' ${foldRows} rows are not the ${testRows} test rows`);
    for (const k of ROW_MEANS) {
      const mean = folds.reduce((sum, m) => sum + (m![k] as number) * (m!.n as number), 0) / foldRows;
      if (!close(pooled[k] as number, mean))
        problems.push(`${c}: pooled ${k} ${pooled[k]} is not the folds' row-weighted mean ${mean}`);
    }
    const balanced = pooledBalancedAccuracy(folds as Metrics[]);
    if (balanced === 'not whole')
      problems.push(`${c}: the folds' accuracy, balanced accuracy and positive rate imply fractional counts`);
    else if (balanced !== undefined && !close(pooled.balancedAccuracy as number, balanced))
      problems.push(
        `${c}: pooled balancedAccuracy ${pooled.balancedAccuracy} is not the ${balanced} the folds' counts give`,
      );
  }
  const gain = ev.uncertainty?.bootstrap?.balancedAccuracyGain;
  if (gain)
    for (const base of ['majority', 'previousDirection'] as const) {
      const g = gain[base];
      const diff = (ev.pooled?.model?.balancedAccuracy ?? NaN) - (ev.pooled?.[base]?.balancedAccuracy ?? NaN);
      if (
        !g ||
        ![g.estimate, g.lower, g.upper].every(finite) ||
        !close(g.estimate, diff) ||
        !(g.lower <= g.upper)
      )
        problems.push(
          `bootstrap: the balanced-accuracy gain over ${base} is not the pooled difference with an ordered interval`,
        );
    }
  return problems;
}

const whole = (v: number) => Math.abs(v - Math.round(v)) < 1e-6;

/**
 * Balanced accuracy is not a mean over rows, but each fold's n, positive rate, accuracy and
 * balanced accuracy fix its true-positive and true-negative counts (two equations, two unknowns),
 * and the pooled figure follows from their sums. Undefined when a fold with as many ups as downs
 * leaves the split open (balanced accuracy equals accuracy there); 'not whole' when the counts
 * the figures imply are not whole numbers, which numbers computed from rows always give.
 */
function pooledBalancedAccuracy(folds: Metrics[]): number | 'not whole' | undefined {
  let [P, N, TP, TN] = [0, 0, 0, 0];
  for (const m of folds) {
    const p = m.positiveRate * m.n;
    const correct = m.accuracy * m.n;
    if (!whole(p) || !whole(correct)) return 'not whole';
    const pos = Math.round(p);
    const neg = m.n - pos;
    let tp: number;
    if (pos === 0) tp = 0;
    else if (neg === 0) tp = Math.round(correct);
    else if (pos === neg) return undefined;
    // tp/pos + (correct - tp)/neg = 2 * balanced, solved for tp.
    else tp = (2 * m.balancedAccuracy * pos * neg - Math.round(correct) * pos) / (neg - pos);
    if (!whole(tp)) return 'not whole';
    P += pos;
    N += neg;
    TP += Math.round(tp);
    TN += Math.round(correct) - Math.round(tp);
  }
  const recalls = [P ? TP / P : null, N ? TN / N : null].filter((r) => r !== null);
  return recalls.reduce((a, b) => a + b, 0) / recalls.length;
}
