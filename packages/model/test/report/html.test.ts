import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ReportDocument } from '../../src/report/html';
import { renderReportHtml } from '../../src/report/html';
import { momentumEvaluation } from '../momentum-panel';

const names = Array.from({ length: 13 }, (_, i) => `f${i}`);

describe('the HTML report', () => {
  it('renders evaluation, uncertainty, backtest with equity curves per fold, calibration and importance, self-contained', async () => {
    const evaluation = await momentumEvaluation(500, {
      folds: 3,
      nTrees: 8,
      bootstrap: { resamples: 50, seed: 1 },
    });
    const html = renderReportHtml({
      version: 'rf-<script>alert(1)</script>',
      featureNames: names,
      horizon: 1,
      evaluation,
      training: { note: 'a & b' },
    });
    expect(html.startsWith('<!doctype html>')).toBe(true);
    // Self-contained and inert: no script, no external resource; text is escaped.
    expect(html).not.toMatch(/<script|src=|href=/i);
    expect(html).toContain('rf-&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('a &amp; b');
    // Three equity charts, calibration and importance: five SVGs.
    expect(html.match(/<svg /g)).toHaveLength(5);
    for (const f of evaluation.folds)
      expect(html).toContain(`fold ${f.fold}: equity of the equal-weight portfolio`);
    expect(html).toContain('<title>buy and hold</title>');
    expect(html).toContain('The promotion rule reads neither AUC');
    expect(html).toMatch(/Promotion rule: (PASS|FAIL)/);
    expect(html).toContain('>f0<');
    // Postgres jsonb gives keys back in another order: the page must not change with it.
    const reversed = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(reversed)
        : v !== null && typeof v === 'object'
          ? Object.fromEntries(
              Object.entries(v)
                .reverse()
                .map(([k, x]) => [k, reversed(x)]),
            )
          : v;
    const doc = { version: 'v', featureNames: names, horizon: 1, evaluation, training: { a: 1, b: 2 } };
    expect(renderReportHtml(reversed(doc) as ReportDocument)).toBe(renderReportHtml(doc));
  });

  it('renders a report.json of an older training (no backtest, no bootstrap) and recomputes its verdict', () => {
    const doc = JSON.parse(
      readFileSync(path.resolve(__dirname, '../../../../models/default/report.json'), 'utf8'),
    ) as ReportDocument & { promotion: { promote: boolean } };
    // What training wrote before the backtest, the intervals and the importance existed.
    for (const key of ['backtest', 'uncertainty', 'importance', 'lookAhead'] as const)
      delete doc.evaluation[key];
    doc.promotion.promote = true; // an edited claim is not what the page shows
    const html = renderReportHtml(doc);
    expect(html).toContain('Promotion rule: FAIL');
    expect(html).toContain('No backtest');
    expect(html.match(/<svg /g)).toHaveLength(1);
  });
});
