// CPU time spent on the orders, read around the burst: the machine the bench runs on is shared
// and its latencies move with everyone's load, while the CPU each order costs the order service
// and its Postgres backends moves far less, so before/after comparisons can lean on it.
import { readFile } from 'node:fs/promises';
import type { Knex } from 'knex';
import type { Scrape } from '../support/metrics';

/** A counter or gauge of one series (its labels ignored) from a /metrics scrape (NaN when absent). */
export function metricValue(s: Scrape, name: string): number {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(s.text);
  return m ? Number(m[1]) : NaN;
}

/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these ticks. */
const TICKS_PER_SECOND = 100;

/** CPU seconds so far of each Postgres backend connected to `db`'s database (Postgres on this machine). */
export async function backendCpu(db: Knex): Promise<Map<number, number>> {
  const { rows } = (await db.raw(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
  )) as { rows: Array<{ pid: number }> };
  const out = new Map<number, number>();
  for (const { pid } of rows) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields) out.set(pid, (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND);
  }
  return out;
}

/** CPU seconds the backends used between two readings (a backend started since counts whole). */
export function backendCpuSince(before: Map<number, number>, after: Map<number, number>): number {
  let sum = 0;
  for (const [pid, s] of after) sum += s - (before.get(pid) ?? 0);
  return sum;
}
