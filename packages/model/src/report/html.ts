import type { Performance } from '../backtest/performance';
import type { Strategy, StrategyPerformance } from '../backtest/run';
import type { Interval, Spread } from '../eval/uncertainty';
import { promotionDecision } from '../eval/report';
import type { Contender, EvaluationReport, Scores } from '../eval/walk-forward';
import { barChart, calibrationChart, escapeHtml, lineChart } from './svg';

/** The parts of a training report.json the page shows; the rest is listed as it is. */
export interface ReportDocument {
  version: string;
  featureNames: readonly string[];
  horizon: number;
  evaluation: EvaluationReport;
  params?: unknown;
  source?: unknown;
  data?: unknown;
  parity?: unknown;
  onnx?: unknown;
  training?: unknown;
}

const COLORS: Record<Strategy, string> = {
  model: '#1f77b4',
  buyAndHold: '#7f7f7f',
  previousDirection: '#ff7f0e',
};
const LABEL: Record<Contender | Strategy, string> = {
  model: 'model',
  majority: 'majority',
  previousDirection: 'previous direction',
  buyAndHold: 'buy and hold',
};

const f4 = (v: number | null | undefined) =>
  typeof v === 'number' && Number.isFinite(v) ? v.toFixed(4) : '–';
const pct = (v: number | null | undefined) =>
  typeof v === 'number' && Number.isFinite(v) ? `${(v * 100).toFixed(2)}%` : '–';
const f2 = (v: number | null | undefined) =>
  typeof v === 'number' && Number.isFinite(v) ? v.toFixed(2) : '–';
const day = (ms: number | null) =>
  ms === null ? 'end of data' : new Date(ms).toISOString().replace('.000Z', 'Z');
const spread = (s: Spread | null | undefined) => (s ? `${f4(s.mean)} ± ${f4(s.sd)}` : '–');
const ci = (i: Interval | null | undefined, f = f4) =>
  i ? `${f(i.estimate)} [${f(i.lower)}, ${f(i.upper)}]` : '–';

// Fixed orders, never the objects' key order: Postgres jsonb hands keys back shortest first.
const CONTENDERS: readonly Contender[] = ['model', 'majority', 'previousDirection'];
const STRATEGIES: readonly Strategy[] = ['model', 'buyAndHold', 'previousDirection'];
const bySymbol = <T>(o: Record<string, T>): [string, T][] =>
  Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** Keys in name order: a report read back from Postgres jsonb renders as the one written to disk. */
function sortedKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const th = header.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('');
  return `<table><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

function scoreRows(scope: string, scores: Scores, auc?: EvaluationReport['uncertainty']['auc']): string[][] {
  return CONTENDERS.map((c) => {
    const m = scores[c];
    return [
      scope,
      LABEL[c],
      String(m.n),
      f4(m.accuracy),
      f4(m.balancedAccuracy),
      f4(m.auc),
      ...(auc ? [f4(auc[c]?.meanOfFolds)] : []),
      f4(m.logLoss),
      f4(m.brier),
    ];
  });
}

function performanceRows(scope: string, perf: StrategyPerformance): string[][] {
  return STRATEGIES.map((s): [Strategy, Performance] => [s, perf[s]]).map(([s, p]) => [
    scope,
    LABEL[s],
    String(p.bars),
    pct(p.totalReturn),
    pct(p.annualReturn),
    f2(p.sharpe),
    pct(p.maxDrawdown),
    f2(p.turnover),
    pct(p.exposure),
    pct(p.hitRate),
  ]);
}

const PERF_HEADER = [
  'scope',
  'strategy',
  'bars',
  'total',
  'annualised',
  'Sharpe',
  'max drawdown',
  'turnover / year',
  'exposure',
  'hit rate',
];

function backtestSection(ev: EvaluationReport): string {
  const bt = ev.backtest;
  if (!bt) return '<h2>Backtest</h2><p>No backtest: the data had no opens.</p>';
  const s = bt.settings;
  const curves = bt.folds
    .map((f) => {
      const series = STRATEGIES.map((k) => ({
        name: LABEL[k],
        color: COLORS[k],
        values: f.equity.curves[k],
      }));
      const first = f.equity.time[0];
      const last = f.equity.time.at(-1);
      return `<figure><figcaption>fold ${f.fold}: equity of the equal-weight portfolio</figcaption>${lineChart(
        series,
        {
          reference: 1,
          xLabels: [first === undefined ? '' : day(first), last === undefined ? '' : day(last)],
        },
      )}</figure>`;
    })
    .join('');
  return `<h2>Backtest of the held-out signal</h2>
<p>Long when P(up) &gt; ${s.upper}, ${s.mode === 'long-short' ? 'short' : 'flat'} when P(up) &lt; ${s.lower}, otherwise keep
the position; decided at a bar's close, filled at the next bar's open, closed at the end of each fold's test window. Costs:
${s.costBps} bps per side (spread and slippage) plus ${s.commissionPerShare} per share. ${s.barsPerYear.toFixed(0)} bars a year.
Buy and hold and the previous-direction rule (long after an up move over the last ${ev.horizon} bars) pay the same costs.
Pooled: an equal-weight portfolio of the symbols.</p>
<div class="figs">${curves}</div>
${table(PERF_HEADER, [...performanceRows('pooled', bt.pooled), ...bt.folds.flatMap((f) => performanceRows(`fold ${f.fold}`, f.pooled))])}
<h3>Per symbol (all folds)</h3>
${table(
  PERF_HEADER,
  bySymbol(bt.perSymbol).flatMap(([sym, p]) => performanceRows(sym, p)),
)}`;
}

function uncertaintySection(ev: EvaluationReport): string {
  const u = ev.uncertainty;
  if (!u) return '';
  const contenders = CONTENDERS;
  const b = u.bootstrap;
  const sharpe = u.backtestSharpe
    ? table(
        ['strategy', 'Sharpe per fold (mean ± sd)', 'min', 'max', 'pooled, 95% bootstrap interval'],
        STRATEGIES.map((s) => {
          const v = u.backtestSharpe![s];
          return [
            LABEL[s],
            v ? `${f2(v.mean)} ± ${f2(v.sd)}` : '–',
            f2(v?.min),
            f2(v?.max),
            ci(b?.sharpe?.[s], f2),
          ];
        }),
      )
    : '';
  return `<h2>How sure</h2>
<p>Per fold: mean ± standard deviation over the ${ev.folds.length} folds. Intervals: 95% block bootstrap over time
${b ? `(${b.resamples} resamples of ${b.blockBars}-bar blocks within each fold, seed ${b.seed}; every symbol's rows of a drawn bar move together)` : '(not run)'}.
AUC pooled over folds ranks rows of different folds against each other and so mixes their base rates; the mean of
per-fold AUCs does not. <strong>The promotion rule reads neither AUC</strong>: it reads pooled balanced accuracy and log
loss, and the lower bounds of the balanced-accuracy gains below.</p>
${table(
  [
    'predictor',
    'accuracy per fold',
    'balanced acc. per fold',
    'AUC per fold',
    'log loss per fold',
    'AUC pooled',
    'AUC mean of folds',
    'accuracy, 95%',
    'AUC (mean of folds), 95%',
  ],
  contenders.map((c) => [
    LABEL[c],
    spread(u.perFold[c].accuracy),
    spread(u.perFold[c].balancedAccuracy),
    spread(u.perFold[c].auc),
    spread(u.perFold[c].logLoss),
    f4(u.auc[c].pooled),
    f4(u.auc[c].meanOfFolds),
    ci(b?.accuracy[c]),
    ci(b?.auc[c]),
  ]),
)}
${
  b
    ? table(
        ['balanced-accuracy gain of the model over', 'estimate [95% interval]', 'rule: lower bound > 0'],
        (['majority', 'previousDirection'] as const).map((k) => [
          LABEL[k],
          ci(b.balancedAccuracyGain[k]),
          b.balancedAccuracyGain[k].lower > 0 ? 'yes' : 'no',
        ]),
      )
    : ''
}
${sharpe}`;
}

/**
 * The evaluation and backtest of a trained model as one self-contained HTML page (inline CSS and
 * SVG, no script): verdict, held-out metrics, how sure they are, the backtest with equity curves
 * per fold, calibration, feature importance and the audit trail. The verdict is recomputed
 * from the evaluation with the promotion rule, never read from the document.
 *
 * @example
 *   await writeFile('report.html', renderReportHtml(JSON.parse(await readFile('report.json', 'utf8'))));
 */
export function renderReportHtml(doc: ReportDocument): string {
  const ev = doc.evaluation;
  const verdict = promotionDecision(ev);
  const cal = ev.pooled.model.calibration;
  const importance = ev.importance
    ? `<h2>Feature importance</h2><p>Held-out permutation importance: how much the model's log loss on each fold's
held-out rows grows when one feature is shuffled (row-weighted mean over folds). Near zero or below: the model
does not use the feature out of sample.</p>${barChart(doc.featureNames, ev.importance.logLossIncrease)}`
    : '';
  const audit = {
    lookAhead: ev.lookAhead ?? 'not checked',
    training: doc.training,
    parity: doc.parity,
    onnx: doc.onnx,
    source: doc.source,
    params: doc.params,
    data: doc.data,
  };
  const title = `Model ${doc.version}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.2em;font-size:12px}th,td{border:1px solid #ddd;padding:3px 7px;text-align:right}
th:first-child,td:first-child,th:nth-child(2),td:nth-child(2){text-align:left}thead{background:#f4f4f4}
.verdict{padding:.6em 1em;border-radius:4px}.pass{background:#e6f4e6}.fail{background:#fbeaea}
.figs{display:flex;flex-wrap:wrap;gap:1em}figure{margin:0}figcaption{font-size:12px;color:#555}
pre{background:#f7f7f7;padding:1em;overflow:auto;font-size:11px}
</style></head><body>
<h1>${escapeHtml(title)}</h1>
<p>Predicts whether the close ${ev.horizon} bars ahead is above the current close (neutral band ${ev.neutralBand}),
evaluated walk-forward on ${ev.folds.length} folds with an embargo of ${ev.embargo} bars: every number here is on
rows the scoring model never trained on.</p>
<div class="verdict ${verdict.promote ? 'pass' : 'fail'}"><strong>Promotion rule: ${verdict.promote ? 'PASS' : 'FAIL'}</strong>
<ul>${verdict.reasons.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul></div>
<h2>Held-out classification</h2>
${table(
  [
    'scope',
    'predictor',
    'rows',
    'accuracy',
    'balanced acc.',
    'AUC (pooled)',
    'AUC mean of folds',
    'log loss',
    'Brier',
  ],
  scoreRows('pooled', ev.pooled, ev.uncertainty?.auc),
)}
${table(
  ['scope', 'predictor', 'rows', 'accuracy', 'balanced acc.', 'AUC', 'log loss', 'Brier'],
  ev.folds.flatMap((f) => scoreRows(`fold ${f.fold}: ${day(f.testStart)} – ${day(f.testEnd)}`, f.scores)),
)}
<h3>Per symbol</h3>
${table(
  ['scope', 'predictor', 'rows', 'accuracy', 'balanced acc.', 'AUC', 'log loss', 'Brier'],
  bySymbol(ev.perSymbol).flatMap(([s, sc]) => scoreRows(s, sc)),
)}
${uncertaintySection(ev)}
${backtestSection(ev)}
<h2>Calibration (pooled model)</h2>
<div class="figs"><figure><figcaption>observed up-rate per bin; dot area ~ rows</figcaption>${calibrationChart(cal)}</figure>
${table(
  ['bin', '', 'rows', 'mean predicted', 'observed'],
  cal.map((b) => [
    `${b.lower.toFixed(1)}–${b.upper.toFixed(1)}`,
    '',
    String(b.count),
    f4(b.meanPredicted),
    f4(b.observedRate),
  ]),
)}</div>
${importance}
<h2>Audit</h2>
<pre>${escapeHtml(JSON.stringify(audit, sortedKeys, 2))}</pre>
</body></html>
`;
}
