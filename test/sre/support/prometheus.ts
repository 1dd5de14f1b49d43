import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eventually } from '../../support/env';
import { freePort } from '../../support/service-process';

export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';

export interface PrometheusProcess {
  url: string;
  query(promql: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  stop(): Promise<void>;
}

/**
 * Debian's Prometheus with a generated config (scraping `targets` every second, with
 * `ruleFiles` loaded) and a throwaway TSDB directory, on a free port.
 */
export async function startPrometheus(
  targets: Record<string, string>,
  ruleFiles: string[],
): Promise<PrometheusProcess> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sre-prometheus-'));
  const port = await freePort();
  const scrapeConfigs = Object.entries(targets)
    .map(
      ([service, target]) =>
        `  - job_name: ${service}\n    static_configs:\n      - targets: ['${target}']\n        labels: { namespace: test }`,
    )
    .join('\n');
  fs.writeFileSync(
    path.join(dir, 'prometheus.yml'),
    `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nrule_files:\n${ruleFiles.map((f) => `  - ${f}`).join('\n')}\nscrape_configs:\n${scrapeConfigs}\n`,
  );
  let out = '';
  const child: ChildProcess = spawn(
    PROMETHEUS_BIN,
    [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  await eventually(
    async () => {
      if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}:\n${out}`);
      return (
        (await fetch(`${url}/-/ready`).then(
          (r) => r.ok,
          () => false,
        )) || undefined
      );
    },
    30000,
    'prometheus to be ready',
  );
  return {
    url,
    async query(promql) {
      const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
      const body = (await res.json()) as {
        status: string;
        error?: string;
        data: { result: { metric: Record<string, string>; value: [number, string] }[] };
      };
      if (body.status !== 'success') throw new Error(`${promql}: ${body.error ?? res.status}`);
      return body.data.result;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
