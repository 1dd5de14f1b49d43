import type { Metrics } from './metrics';
import type { Contender, EvaluationReport } from './walk-forward';

const CONTENDERS: Contender[] = ['model', 'majority', 'previousDirection'];
// Means over rows: the pooled figure is the row-weighted mean of the folds' figures.
const ROW_MEANS = ['positiveRate', 'accuracy', 'logLoss', 'brier'] as const;
const RATES = ['positiveRate', 'accuracy', 'balancedAccuracy', 'brier'] as const;

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * What in a walk-forward evaluation (as read back from a report.json) does not add up: the pooled
 * held-out rows must be the folds' test rows, and each pooled figure that is a mean over rows
 * (accuracy, log loss, Brier score, positive rate) the row-weighted mean of the folds' figures.
 * An empty list means consistent, not true: numbers edited together, consistently, pass.
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
  }
  return problems;
}
