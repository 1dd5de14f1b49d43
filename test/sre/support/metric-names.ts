import fs from 'node:fs';
import path from 'node:path';
import client from 'prom-client';

const ROOT = path.resolve(__dirname, '../../..');

const PROMQL_WORDS = new Set([
  'sum',
  'min',
  'max',
  'avg',
  'count',
  'stddev',
  'stdvar',
  'topk',
  'bottomk',
  'quantile',
  'count_values',
  'group',
  'rate',
  'irate',
  'increase',
  'delta',
  'idelta',
  'deriv',
  'predict_linear',
  'histogram_quantile',
  'abs',
  'ceil',
  'floor',
  'round',
  'clamp_min',
  'clamp_max',
  'clamp',
  'time',
  'timestamp',
  'vector',
  'scalar',
  'absent',
  'absent_over_time',
  'changes',
  'resets',
  'label_replace',
  'label_join',
  'sort',
  'sort_desc',
  'avg_over_time',
  'max_over_time',
  'min_over_time',
  'sum_over_time',
  'count_over_time',
  'last_over_time',
  'quantile_over_time',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'inf',
  'nan',
]);

/**
 * Metric names a PromQL expression reads: label matchers, grouping clauses, strings and ranges
 * are removed first so label names are not mistaken for metrics.
 */
export function promqlMetricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\$\w+/g, ' ');
  const names = new Set<string>();
  for (const m of stripped.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const word = m[0];
    const next = stripped.slice((m.index ?? 0) + word.length).trimStart();
    if (PROMQL_WORDS.has(word) || next.startsWith('(') || /^\d/.test(word) || /^[smhdwy]$/.test(word))
      continue;
    names.add(word);
  }
  return [...names];
}

/** A histogram's _bucket/_sum/_count series belong to the histogram's name. */
export function baseName(series: string, declared: Set<string>): string {
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (series.endsWith(suffix) && declared.has(series.slice(0, -suffix.length)))
      return series.slice(0, -suffix.length);
  }
  return series;
}

/** Every PromQL expression of the provisioned dashboards, with the file and panel it is in. */
export function dashboardExpressions(
  dir = path.join(ROOT, 'deploy/grafana/dashboards'),
): { where: string; expr: string }[] {
  const out: { where: string; expr: string }[] = [];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const doc = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as {
      panels?: { title?: string; targets?: { expr?: string }[] }[];
    };
    for (const panel of doc.panels ?? []) {
      for (const t of panel.targets ?? [])
        if (t.expr) out.push({ where: `${file}: ${panel.title ?? '?'}`, expr: t.expr });
    }
  }
  return out;
}

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/**
 * Metric names the services declare: every `name: '...'` given to a prom-client constructor and
 * every name given to `declareMetrics(...).counter/gauge/histogram` in services/* and
 * packages/platform sources, plus prom-client's default process and Node.js metrics, plus
 * Prometheus' own `up`.
 */
export function declaredMetricNames(): Set<string> {
  const names = new Set<string>(['up']);
  const dirs = [
    path.join(ROOT, 'packages/platform/src'),
    ...fs.readdirSync(path.join(ROOT, 'services')).map((s) => path.join(ROOT, 'services', s, 'src')),
  ];
  for (const file of dirs.flatMap(sourceFiles)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(
      /new (?:prom|client)\.(?:Counter|Gauge|Histogram|Summary)\(\{\s*name:\s*'([a-zA-Z_:][a-zA-Z0-9_:]*)'/g,
    ))
      names.add(m[1]!);
    for (const m of text.matchAll(/\.(?:counter|gauge|histogram)\(\s*'([a-zA-Z_:][a-zA-Z0-9_:]*)'/g))
      names.add(m[1]!);
  }
  const defaults = new client.Registry();
  client.collectDefaultMetrics({ register: defaults });
  for (const m of defaults.getMetricsAsArray()) names.add(m.name);
  return names;
}
