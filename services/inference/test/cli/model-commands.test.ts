/**
 * @jest-environment ./packages/model/test/onnx/ort-environment.js
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  importModel,
  listModels,
  promoteModel,
  rollbackModel,
  writeReport,
} from '../../src/cli/model-commands';
import { registerModel } from '../../src/cli/registry-access';
import type { TrainingReport } from '../../src/training/report';
import type { RegistryDb } from '../support/registry-db';
import { registryDb } from '../support/registry-db';

const ROOT = path.resolve(__dirname, '../../../..');
const DEFAULT_DIR = path.join(ROOT, 'models/default');
const defaultReport = JSON.parse(
  readFileSync(path.join(DEFAULT_DIR, 'report.json'), 'utf8'),
) as TrainingReport;

describe('model registry commands', () => {
  let reg: RegistryDb;

  beforeAll(async () => {
    reg = await registryDb('cli');
  });
  afterAll(() => reg.drop());

  it('imports the shipped default model once and lists it with its held-out numbers', async () => {
    expect(await importModel(reg.registry, DEFAULT_DIR)).toBe(
      `${defaultReport.version}: added as candidate (promotion rule: fail)`,
    );
    expect(await importModel(reg.registry, DEFAULT_DIR)).toMatch(/already registered/);
    const table = await listModels(reg.registry);
    expect(table.split('\n')[0]).toMatch(/^version\s+status\s+created/);
    expect(table).toMatch(new RegExp(`${defaultReport.version}\\s+candidate`));
  });

  it('refuses a report that does not describe the model bytes', async () => {
    const onnx = new Uint8Array(readFileSync(path.join(DEFAULT_DIR, 'model.onnx')));
    await expect(
      registerModel(reg.registry, onnx, { ...defaultReport, version: 'rf-other' }),
    ).rejects.toMatchObject({ code: 'MODEL_REPORT_MISMATCH' });
  });

  it('promotes only what beat the baselines unless forced', async () => {
    await expect(promoteModel(reg.registry, defaultReport.version, false)).rejects.toMatchObject({
      code: 'PROMOTION_REFUSED',
    });
    expect(await promoteModel(reg.registry, defaultReport.version, true)).toMatch(/is now active \(forced\)/);
    expect(await reg.registry.active()).toMatchObject({ version: defaultReport.version });
  });

  it('trains, registers and force-promotes through npm run train, then rolls back to the default', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'train-'));
    const args = [
      '--sim',
      '--symbols',
      'AAPL,MSFT',
      '--bars',
      '500',
      '--trees',
      '8',
      '--folds',
      '3',
      '--seed',
      '3',
      '--out',
      out,
      '--dump-features',
      path.join(out, 'rows.csv'),
      '--bootstrap',
      '50',
      '--promote',
      '--force',
    ];
    const r = spawnSync(
      process.execPath,
      [path.join(ROOT, 'scripts/run-ts.mjs'), 'services/inference/src/cli/train.ts', ...args],
      {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: reg.url, LOG_LEVEL: 'silent' },
        encoding: 'utf8',
      },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as TrainingReport;
    expect(r.stdout).toMatch(/pooled\s+majority/);
    // The audit trail: the rows used, and which code trained on how many rows for how long.
    const dumped = readFileSync(path.join(out, 'rows.csv'), 'utf8').trimEnd().split('\n');
    expect(dumped).toHaveLength(report.data.rows + 1);
    const head = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
    expect(report.training).toMatchObject({
      rows: {
        features: report.data.rows,
        labelled: report.data.trainRows,
        heldOut: report.evaluation.pooled.model.n,
      },
      code: { git: { commit: head }, package: '0.1.0' },
    });
    expect(report.training!.seconds).toBeGreaterThan(0);
    expect(r.stdout).toContain(`registry: added ${report.version} as candidate`);
    expect(r.stdout).toMatch(/is now active/);
    expect(await reg.registry.active()).toMatchObject({
      version: report.version,
      sha256: report.onnx.sha256,
    });

    expect(await rollbackModel(reg.registry)).toBe(`${defaultReport.version} is active again`);

    // The page a person reads: written next to the model, and rendered again from the registry's copy.
    const page = readFileSync(path.join(out, 'report.html'), 'utf8');
    expect(page).toContain(`<title>Model ${report.version}</title>`);
    expect(page).toContain('equity of the equal-weight portfolio');
    const fromRegistry = path.join(out, 'again.html');
    expect(await writeReport({ registry: reg.registry, version: report.version }, fromRegistry)).toBe(
      `wrote the report of ${report.version} to ${fromRegistry}`,
    );
    expect(readFileSync(fromRegistry, 'utf8')).toBe(page);
    // npm run model -- report DIR --out FILE: a model directory needs no registry.
    const fromDir = path.join(out, 'dir.html');
    const cli = spawnSync(
      process.execPath,
      [
        path.join(ROOT, 'scripts/run-ts.mjs'),
        'services/inference/src/cli/model.ts',
        'report',
        out,
        '--out',
        fromDir,
      ],
      {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' },
        encoding: 'utf8',
      },
    );
    expect(cli.stdout.trim()).toBe(`wrote the report of ${report.version} to ${fromDir}`);
    expect(readFileSync(fromDir, 'utf8')).toBe(page);
    const stored = (await reg.db('models').where({ version: report.version }).first('report_html')) as {
      report_html: string;
    };
    expect(stored.report_html).toBe(page);

    await reg.db('models').where({ version: report.version }).update({ report: null });
    await expect(
      writeReport({ registry: reg.registry, version: report.version }, fromRegistry),
    ).rejects.toMatchObject({
      code: 'MODEL_REPORT_MISSING',
    });
  });
});

// Issue 13 §5: `import` took the pass/fail verdict from report.json as written, so an edited
// report made a model that loses to its baselines promotable without --force.
describe('a tampered report.json', () => {
  let reg: RegistryDb;
  beforeAll(async () => {
    reg = await registryDb('tamper');
  });
  afterAll(() => reg.drop());

  /** models/default copied to a scratch directory, its report.json edited by `edit`. */
  function tampered(edit: (report: TrainingReport) => void): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'tampered-'));
    cpSync(DEFAULT_DIR, dir, { recursive: true });
    const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as TrainingReport;
    edit(report);
    writeFileSync(path.join(dir, 'report.json'), JSON.stringify(report));
    return dir;
  }
  const passing = {
    promote: true,
    forced: false,
    reasons: ['beats every baseline on balanced accuracy and log loss'],
  };

  it('with a passing verdict over failing numbers: the verdict is recomputed, promotion refused', async () => {
    const dir = tampered((r) => {
      r.promotion = passing;
    });
    const out = await importModel(reg.registry, dir);
    await expect(promoteModel(reg.registry, defaultReport.version, false)).rejects.toMatchObject({
      code: 'PROMOTION_REFUSED',
      message: expect.stringContaining('log loss 0.6973 does not beat majority 0.6934'),
    });
    expect(out).toBe(
      `${defaultReport.version}: added as candidate (promotion rule: fail); report.json claims it passes the promotion rule but its evaluation fails it: the evaluation's verdict is kept`,
    );
    expect(await reg.registry.active()).toBeUndefined();
    expect(await listModels(reg.registry)).toMatch(
      new RegExp(`${defaultReport.version}\\s+candidate.*fail$`, 'm'),
    );
  });

  it('with a pooled figure edited to pass: refused at import, nothing registered', async () => {
    const dir = tampered((r) => {
      r.version = 'rf-tampered';
      r.evaluation.pooled.model.logLoss = 0.69;
      r.promotion = passing;
    });
    await expect(importModel(reg.registry, dir)).rejects.toMatchObject({
      code: 'MODEL_REPORT_INCONSISTENT',
      message: expect.stringContaining("model: pooled logLoss 0.69 is not the folds' row-weighted mean"),
    });
    expect((await reg.registry.list()).map((m) => m.version)).not.toContain('rf-tampered');
  });

  it('with the verdict edited in the registry: promote recomputes it from the numbers', async () => {
    const row = (await reg.registry.list()).find((m) => m.version === defaultReport.version)!;
    const metrics = { ...(row.metrics as object), promotion: passing };
    await reg
      .db('models')
      .where({ version: row.version })
      .update({ metrics: JSON.stringify(metrics) });
    await expect(promoteModel(reg.registry, row.version, false)).rejects.toMatchObject({
      code: 'PROMOTION_REFUSED',
    });
    expect(await promoteModel(reg.registry, row.version, true)).toMatch(/is now active \(forced\)/);
  });

  it('that is not a training report at all: MODEL_REPORT_INVALID', async () => {
    const dir = tampered((r) => {
      delete (r as Partial<TrainingReport>).evaluation;
    });
    await expect(importModel(reg.registry, dir)).rejects.toMatchObject({
      code: 'MODEL_REPORT_INVALID',
      message: expect.stringContaining('evaluation'),
    });
    writeFileSync(path.join(dir, 'report.json'), '{ not json');
    await expect(importModel(reg.registry, dir)).rejects.toMatchObject({ code: 'MODEL_REPORT_INVALID' });
  });
});
