import fs from 'node:fs/promises';
import path from 'node:path';
import type { Knex } from 'knex';
import { z } from 'zod';

const reportVersion = z.object({ version: z.string() });

/**
 * The HTML report page of a model by version: the page the registry keeps (rendered at
 * registration), else report.html next to the report.json of the model inference serves without
 * a registry, if that is the version asked for; null when neither has it.
 */
export async function readModelReportHtml(
  db: Knex,
  version: string,
  opts: { reportFile: string },
): Promise<string | null> {
  const row = (await db('models').where({ version }).first('report_html')) as
    { report_html: string | null } | undefined;
  if (row) return row.report_html;
  try {
    const json = reportVersion.safeParse(JSON.parse(await fs.readFile(opts.reportFile, 'utf8')));
    if (!json.success || json.data.version !== version) return null;
    return await fs.readFile(path.join(path.dirname(opts.reportFile), 'report.html'), 'utf8');
  } catch {
    return null;
  }
}
