import { createHash } from 'node:crypto';
import { FEATURE_NAMES } from '@tickstream/contracts';
import { evaluationInconsistencies, renderReportHtml } from '@tickstream/model';
import { loadModel } from '@tickstream/model/node';
import {
  TickstreamError,
  createDatabase,
  ensureDatabase,
  loadConfig,
  migrate,
  url,
} from '@tickstream/platform';
import { INFERENCE_MIGRATIONS } from '../db';
import { ModelRegistry } from '../registry';
import type { TrainingReport } from '../training/report';
import { registryMetrics } from '../training/report';

/** Opens the registry named by DATABASE_URL (creating the database and table if needed), runs `fn`, closes. */
export async function withRegistry<T>(
  fn: (registry: ModelRegistry) => Promise<T>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<T> {
  const { DATABASE_URL } = loadConfig(
    { DATABASE_URL: url('postgres://postgres@127.0.0.1:5432/tickstream') },
    env,
  );
  await ensureDatabase(DATABASE_URL);
  const db = createDatabase(DATABASE_URL, { max: 2 });
  try {
    await migrate(db, INFERENCE_MIGRATIONS);
    return await fn(new ModelRegistry(db));
  } finally {
    await db.destroy();
  }
}

/**
 * Adds a trained model as a candidate after checking that it loads for serving, that its bytes
 * are the ones its report describes and that the report's evaluation adds up (pooled figures
 * against the folds'). The verdict stored with it is recomputed from that evaluation. Registering
 * the same model twice is a no-op; the same version with other bytes is refused.
 */
export async function registerModel(
  registry: ModelRegistry,
  onnx: Uint8Array,
  report: TrainingReport,
): Promise<'added' | 'already registered'> {
  const problems = evaluationInconsistencies(report.evaluation);
  if (problems.length > 0)
    throw new TickstreamError(
      'MODEL_REPORT_INCONSISTENT',
      `report.json's evaluation does not add up, so it was not written by training as it is: ${problems.slice(0, 3).join('; ')}`,
    );
  const sha256 = createHash('sha256').update(onnx).digest('hex');
  if (sha256 !== report.onnx.sha256)
    throw new TickstreamError(
      'MODEL_REPORT_MISMATCH',
      `model.onnx (sha256 ${sha256.slice(0, 12)}) is not the model report.json describes`,
    );
  const { metadata, session } = await loadModel(onnx, FEATURE_NAMES);
  await session.release();
  if (metadata.modelVersion !== report.version)
    throw new TickstreamError(
      'MODEL_REPORT_MISMATCH',
      `model.onnx is version ${metadata.modelVersion || '(none)'} but report.json describes ${report.version}`,
    );
  const existing = (await registry.list()).find((m) => m.version === report.version);
  if (existing) {
    if (existing.sha256 !== sha256)
      throw new TickstreamError(
        'MODEL_VERSION_TAKEN',
        `the registry already holds a different model named ${report.version}`,
      );
    return 'already registered';
  }
  await registry.add({
    version: report.version,
    params: report.params,
    featureNames: report.featureNames,
    featureSetVersion: report.featureSetVersion,
    horizon: report.horizon,
    metrics: registryMetrics(report),
    onnx,
    report: { json: report, html: renderReportHtml(report) },
  });
  return 'added';
}
