import type { ModelRow } from '../registry';
import { storedVerdict } from '../training/report';

interface StoredMetrics {
  pooled?: Record<string, { balancedAccuracy?: number; auc?: number | null; logLoss?: number }>;
  heldOutRows?: number;
}

const num = (v: number | null | undefined): string => (typeof v === 'number' ? v.toFixed(4) : '-');
const when = (d: Date | null): string => (d ? d.toISOString().slice(0, 16).replace('T', ' ') : '-');

/** One line per model: status, dates, and the held-out numbers the promotion rule looked at. */
export function formatModelTable(rows: readonly ModelRow[]): string {
  const header = [
    'version',
    'status',
    'created (UTC)',
    'promoted (UTC)',
    'H',
    'held-out',
    'bal_acc',
    'auc',
    'logloss',
    'base_logloss',
    'rule',
  ];
  const body = rows.map((r) => {
    const m = (r.metrics ?? {}) as StoredMetrics;
    const model = m.pooled?.model;
    const baseLogLoss = Math.min(
      m.pooled?.majority?.logLoss ?? Infinity,
      m.pooled?.previousDirection?.logLoss ?? Infinity,
    );
    return [
      r.version,
      r.status,
      when(r.created_at),
      when(r.promoted_at),
      String(r.horizon),
      String(m.heldOutRows ?? '-'),
      num(model?.balancedAccuracy),
      num(model?.auc),
      num(model?.logLoss),
      num(Number.isFinite(baseLogLoss) ? baseLogLoss : null),
      m.pooled ? (storedVerdict(m).promote ? 'pass' : 'fail') : '-',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
