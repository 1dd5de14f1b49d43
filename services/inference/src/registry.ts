import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { TickstreamError } from '@tickstream/platform';

export type ModelStatus = 'candidate' | 'active' | 'retired';

export interface ModelRow {
  version: string;
  created_at: Date;
  params: unknown;
  feature_names: string[];
  feature_set_version: string;
  horizon: number;
  metrics: unknown;
  sha256: string;
  status: ModelStatus;
  promoted_at: Date | null;
}

export interface NewModel {
  version: string;
  params: unknown;
  featureNames: readonly string[];
  featureSetVersion: string;
  horizon: number;
  metrics: unknown;
  onnx: Uint8Array;
  /** The whole report.json and its HTML page (renderReportHtml), kept for people to read. */
  report?: { json: unknown; html: string };
}

const LIST_COLUMNS = [
  'version',
  'created_at',
  'params',
  'feature_names',
  'feature_set_version',
  'horizon',
  'metrics',
  'sha256',
  'status',
  'promoted_at',
];

/** The model registry in Postgres: versions, their evaluation, the ONNX bytes, which one serves. */
export class ModelRegistry {
  constructor(private readonly db: Knex) {}

  async add(m: NewModel): Promise<void> {
    await this.db('models').insert({
      version: m.version,
      params: JSON.stringify(m.params),
      feature_names: JSON.stringify(m.featureNames),
      feature_set_version: m.featureSetVersion,
      horizon: m.horizon,
      metrics: JSON.stringify(m.metrics),
      sha256: createHash('sha256').update(m.onnx).digest('hex'),
      onnx: Buffer.from(m.onnx),
      status: 'candidate',
      ...(m.report ? { report: JSON.stringify(m.report.json), report_html: m.report.html } : {}),
    });
  }

  list(): Promise<ModelRow[]> {
    return this.db('models').select(LIST_COLUMNS).orderBy('created_at', 'desc');
  }

  async active(): Promise<{ version: string; sha256: string } | undefined> {
    return this.db('models').select('version', 'sha256').where({ status: 'active' }).first();
  }

  /** The ONNX bytes of a version, checked against the stored sha256. */
  async bytes(version: string): Promise<Uint8Array> {
    const row = (await this.db('models').select('onnx', 'sha256').where({ version }).first()) as
      { onnx: Buffer; sha256: string } | undefined;
    if (!row) throw new TickstreamError('MODEL_NOT_FOUND', `no model ${version} in the registry`);
    const digest = createHash('sha256').update(row.onnx).digest('hex');
    if (digest !== row.sha256)
      throw new TickstreamError('MODEL_CORRUPT', `model ${version}: stored bytes do not match their sha256`);
    return new Uint8Array(row.onnx);
  }

  /** The report.json kept with a version; null when it was registered without one. */
  async report(version: string): Promise<unknown> {
    const row = (await this.db('models').select('report').where({ version }).first()) as
      { report: unknown } | undefined;
    if (!row) throw new TickstreamError('MODEL_NOT_FOUND', `no model ${version} in the registry`);
    return row.report;
  }

  /** A version's horizon and evaluation (the `metrics` column), as stored; undefined when unknown. */
  async evaluation(version: string): Promise<{ horizon: number; metrics: unknown } | undefined> {
    return this.db('models').select('horizon', 'metrics').where({ version }).first();
  }

  /** The HTML report page kept with a version: null when it was registered without one, undefined when unknown. */
  async reportHtml(version: string): Promise<string | null | undefined> {
    const row = (await this.db('models').select('report_html').where({ version }).first()) as
      { report_html: string | null } | undefined;
    return row?.report_html;
  }

  /** Makes `version` the active model; the previous active one is retired. */
  async promote(version: string): Promise<void> {
    await this.db.transaction(async (trx) => {
      const found = await trx('models').where({ version }).first();
      if (!found) throw new TickstreamError('MODEL_NOT_FOUND', `no model ${version} in the registry`);
      await trx('models').where({ status: 'active' }).update({ status: 'retired' });
      await trx('models').where({ version }).update({ status: 'active', promoted_at: trx.fn.now() });
    });
  }

  /** Re-activates the model that was active before the current one. */
  async rollback(): Promise<string> {
    const previous = (await this.db('models')
      .where({ status: 'retired' })
      .whereNotNull('promoted_at')
      .orderBy('promoted_at', 'desc')
      .first()) as ModelRow | undefined;
    if (!previous)
      throw new TickstreamError('NO_PREVIOUS_MODEL', 'there is no previously active model to roll back to');
    await this.promote(previous.version);
    return previous.version;
  }
}
