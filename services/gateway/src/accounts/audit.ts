import type { RiskAuditAction, RiskAuditEntry } from '@tickstream/contracts';
import type { Knex } from 'knex';

interface AuditRow {
  id: string;
  at: Date;
  admin_id: string | null;
  account_id: string;
  action: RiskAuditAction;
  reason: string | null;
  details: Record<string, unknown>;
}

function entryOf(row: AuditRow): RiskAuditEntry {
  return {
    id: String(row.id),
    at: row.at.toISOString(),
    adminId: row.admin_id,
    accountId: row.account_id,
    action: row.action,
    reason: row.reason,
    details: row.details,
  };
}

/**
 * Records an admin's change to an account's risk controls. Call it in the transaction that makes
 * the change, so a change is never without its entry (nor an entry without its change).
 */
export async function recordRiskAudit(
  db: Knex | Knex.Transaction,
  entry: {
    adminId: string;
    accountId: string;
    action: RiskAuditAction;
    reason?: string | null;
    details: Record<string, unknown>;
  },
): Promise<RiskAuditEntry> {
  const [row] = (await db('risk_audit')
    .insert({
      admin_id: entry.adminId,
      account_id: entry.accountId,
      action: entry.action,
      reason: entry.reason ?? null,
      details: JSON.stringify(entry.details),
    })
    .returning('*')) as AuditRow[];
  return entryOf(row as AuditRow);
}

/** The account's audit, newest first. */
export async function listRiskAudit(
  db: Knex,
  accountId: string,
  filter: { action?: RiskAuditAction; limit?: number } = {},
): Promise<RiskAuditEntry[]> {
  const q = db('risk_audit')
    .where({ account_id: accountId })
    .orderBy([
      { column: 'at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(filter.limit ?? 100);
  if (filter.action) q.where({ action: filter.action });
  return ((await q) as AuditRow[]).map(entryOf);
}
