import type { AclEntry, Admin } from 'kafkajs';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } from 'kafkajs';
import { untilBrokerShows } from './broker-wait';
import type { TopicId } from './topics';
import { TOPICS } from './topics';

/** A consumer group name (before TOPIC_PREFIX), exact or a prefix of many (per-replica groups). */
export interface GroupSpec {
  readonly name: string;
  readonly pattern: 'literal' | 'prefixed';
  /** May delete its groups too (a reader that cleans up its throwaway group). */
  readonly delete?: boolean;
}

/** What one Kafka user may do: least privilege, from what its code reads, writes and joins. */
export interface PrincipalSpec {
  /** The SASL username; in Kubernetes also the KafkaUser and the Secret Strimzi creates. */
  readonly user: string;
  readonly read: readonly TopicId[];
  readonly write: readonly TopicId[];
  readonly groups: readonly GroupSpec[];
  /** Transactional ids it may use; no service uses transactions today. */
  readonly transactionalIds?: readonly GroupSpec[];
}

/**
 * Every Kafka user of the platform and its rights, declared once beside the topic catalogue.
 * Provisioning creates these ACLs for a TOPIC_PREFIX (provisionAcls), scripts/gen-k8s.mjs writes
 * them as Strimzi KafkaUser resources, and scripts/secrets.mjs lists the same users (a test keeps
 * them equal). Each service writes the dead-letter topic because its consumers park bad records
 * there. The admin super user (provisioning) is not listed: it needs no ACL.
 */
export const PRINCIPALS = {
  ingest: {
    user: 'ingest',
    // Which symbols to stream: the gateway's demand on control.symbols.
    read: ['controlSymbols'],
    write: ['trades', 'quotes', 'bars', 'deadLetters'],
    groups: [{ name: 'ingest-demand-', pattern: 'prefixed' }],
  },
  features: {
    user: 'features',
    // features.state.v1 is its own changelog: written per bar, read back on start.
    read: ['bars', 'featuresState'],
    write: ['features', 'featuresLatest', 'featuresState', 'deadLetters'],
    groups: [
      { name: 'features', pattern: 'literal' },
      { name: `${TOPICS.featuresState.name}.reader.`, pattern: 'prefixed' },
    ],
  },
  inference: {
    user: 'inference',
    read: ['features', 'featuresLatest'],
    write: ['predictions', 'deadLetters'],
    groups: [
      { name: 'inference', pattern: 'literal' },
      { name: 'inference-latest-', pattern: 'prefixed' },
    ],
  },
  gateway: {
    user: 'gateway',
    read: ['quotes', 'trades', 'bars', 'featuresLatest', 'predictions', 'orderEvents'],
    write: ['orderCommands', 'controlSymbols', 'deadLetters'],
    groups: [{ name: 'gateway-', pattern: 'prefixed' }],
  },
  orders: {
    user: 'orders',
    read: ['orderCommands', 'quotes'],
    write: ['orderEvents', 'deadLetters'],
    groups: [
      { name: 'orders', pattern: 'literal' },
      { name: 'orders-quotes-', pattern: 'prefixed' },
    ],
  },
  /**
   * Research: reads the market data, features and predictions (not the features service's
   * internal state, not orders), with groups of its own; `npm run train -- --topic` runs as it.
   */
  quant: {
    user: 'quant',
    read: ['trades', 'quotes', 'bars', 'features', 'featuresLatest', 'predictions'],
    write: [],
    groups: [{ name: 'quant-', pattern: 'prefixed', delete: true }],
  },
} as const satisfies Record<string, PrincipalSpec>;

export type PrincipalId = keyof typeof PRINCIPALS;

export type AclOperation = 'Read' | 'Write' | 'Describe' | 'Delete';

/** One allow rule, in the terms of Strimzi's KafkaUser and of Kafka's ACLs. */
export interface AclRule {
  readonly user: string;
  readonly resource: 'topic' | 'group' | 'transactionalId';
  readonly name: string;
  readonly pattern: 'literal' | 'prefixed';
  readonly operations: readonly AclOperation[];
}

/**
 * The allow rules of `principals` for the topics and groups under `prefix`. Read and Write imply
 * Describe in Kafka; it is listed anyway so the rules read the same in Strimzi's resources.
 */
export function aclRules(
  prefix: string,
  principals: readonly PrincipalSpec[] = Object.values(PRINCIPALS),
): AclRule[] {
  const rules: AclRule[] = [];
  for (const p of principals) {
    const topics = new Set<TopicId>([...p.read, ...p.write]);
    for (const id of topics) {
      const operations: AclOperation[] = [];
      if (p.read.includes(id)) operations.push('Read');
      if (p.write.includes(id)) operations.push('Write');
      operations.push('Describe');
      rules.push({
        user: p.user,
        resource: 'topic',
        name: prefix + TOPICS[id].name,
        pattern: 'literal',
        operations,
      });
    }
    for (const g of p.groups)
      rules.push({
        user: p.user,
        resource: 'group',
        name: prefix + g.name,
        pattern: g.pattern,
        operations: g.delete ? ['Read', 'Describe', 'Delete'] : ['Read', 'Describe'],
      });
    for (const t of p.transactionalIds ?? [])
      rules.push({
        user: p.user,
        resource: 'transactionalId',
        name: prefix + t.name,
        pattern: t.pattern,
        operations: ['Write', 'Describe'],
      });
  }
  return rules;
}

const RESOURCE = {
  topic: AclResourceTypes.TOPIC,
  group: AclResourceTypes.GROUP,
  transactionalId: AclResourceTypes.TRANSACTIONAL_ID,
} as const;

const OPERATION = {
  Read: AclOperationTypes.READ,
  Write: AclOperationTypes.WRITE,
  Describe: AclOperationTypes.DESCRIBE,
  Delete: AclOperationTypes.DELETE,
} as const;

/** Kafka's allow binding of one rule for `operation`: what is created, and what deletes it. */
function binding(r: AclRule, operation: AclOperationTypes) {
  return {
    resourceType: RESOURCE[r.resource],
    resourceName: r.name,
    resourcePatternType:
      r.pattern === 'literal' ? ResourcePatternTypes.LITERAL : ResourcePatternTypes.PREFIXED,
    principal: `User:${r.user}`,
    host: '*',
    operation,
    permissionType: AclPermissionTypes.ALLOW,
  };
}

/**
 * Creates the ACLs of every principal for the topics and groups under `prefix` (Kafka ignores a
 * binding that exists already, so this is idempotent). Needs an admin with Alter on the cluster
 * (the super user). It never deletes: on a shared cluster ACLs of other prefixes are in use, so a
 * revoked right is removed by hand (docs/RUNBOOK.md). Returns the number of bindings sent.
 *
 * @example
 *   await provisionAcls(admin, { prefix: config.TOPIC_PREFIX });
 */
export async function provisionAcls(
  admin: Admin,
  opts: { prefix: string; principals?: readonly PrincipalSpec[] },
): Promise<number> {
  const acl = aclRules(opts.prefix, opts.principals).flatMap((r) =>
    r.operations.map((op) => binding(r, OPERATION[op])),
  );
  await admin.createAcls({ acl });
  await untilEnforced(admin, acl);
  return acl.length;
}

const bindingKey = (b: AclEntry) =>
  [b.resourceType, b.resourceName, b.resourcePatternType, b.principal, b.host, b.operation].join('|');

/**
 * Waits until a broker lists every binding (see untilBrokerShows). DescribeAcls is answered from
 * the broker's own authorizer, so a full listing means that broker enforces them: a client that
 * logged in as soon as provisioning returned was refused its first produce with
 * TOPIC_AUTHORIZATION_FAILED (a test seen failing so under load).
 */
function untilEnforced(admin: Admin, acl: readonly AclEntry[]): Promise<void> {
  return untilBrokerShows('KAFKA_ACLS_NOT_APPLIED', 'these ACL bindings', async () => {
    const { resources } = await admin.describeAcls({
      resourceType: AclResourceTypes.ANY,
      resourcePatternType: ResourcePatternTypes.ANY,
      operation: AclOperationTypes.ANY,
      permissionType: AclPermissionTypes.ANY,
    });
    const listed = new Set(resources.flatMap((r) => r.acls.map((a) => bindingKey({ ...r, ...a }))));
    return acl.map(bindingKey).filter((key) => !listed.has(key));
  });
}

/**
 * Deletes the ACLs provisionAcls created for `prefix` (a test's throwaway prefix, or a tenant
 * removed): exactly those bindings, nothing of other prefixes.
 *
 * @example
 *   await deprovisionAcls(admin, { prefix: bed.prefix });
 */
export async function deprovisionAcls(
  admin: Admin,
  opts: { prefix: string; principals?: readonly PrincipalSpec[] },
): Promise<void> {
  // ANY matches each operation of the rule, so one filter removes all the bindings it made.
  const filters = aclRules(opts.prefix, opts.principals).map((r) => binding(r, AclOperationTypes.ANY));
  await admin.deleteAcls({ filters });
}
