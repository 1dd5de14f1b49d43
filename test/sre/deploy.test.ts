import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PRINCIPALS, TOPICS, aclRules, topicConfigs } from '@tickstream/platform';
import {
  baseName,
  dashboardExpressions,
  declaredMetricNames,
  promqlMetricNames,
} from './support/metric-names';
import { PYTHON, parseYamlDocs } from './support/yaml';

const ROOT = path.resolve(__dirname, '../..');
const SERVICES = ['ingest', 'features', 'inference', 'orders', 'gateway'];
/**
 * The topic each service reads in one consumer group shared by its replicas: replicas beyond its
 * partitions idle. The gateway reads in a group per replica, so partitions do not bound it.
 */
const SHARED_GROUP_TOPIC = {
  features: TOPICS.bars,
  inference: TOPICS.features,
  orders: TOPICS.orderCommands,
};

interface Doc {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
}

function run(
  cmd: string,
  args: string[],
  input?: string,
): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', input, maxBuffer: 64 << 20 });
  if (r.error) throw new Error(`${cmd} could not run: ${r.error.message}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function kustomize(overlay: string): Doc[] {
  const r = run('kubectl', ['kustomize', path.join('deploy/k8s/overlays', overlay)]);
  if (r.status !== 0) throw new Error(`kubectl kustomize ${overlay} failed:\n${r.stderr}`);
  return parseYamlDocs(r.stdout) as Doc[];
}

function validate(docs: unknown[]): { errors: string[]; validated: string[]; skipped: string[] } {
  const r = run(
    PYTHON,
    [path.join(__dirname, 'support/validate_k8s.py')],
    docs.map((d) => JSON.stringify(d)).join('\n---\n'),
  );
  if (r.status !== 0) throw new Error(`validate_k8s.py failed:\n${r.stderr}`);
  return JSON.parse(r.stdout) as { errors: string[]; validated: string[]; skipped: string[] };
}

const find = (docs: Doc[], kind: string, name: string) =>
  docs.find((d) => d.kind === kind && d.metadata.name === name);

describe('Kubernetes manifests', () => {
  it('have no drift from the topic catalogue and the alert rules (gen-k8s --check)', () => {
    const r = run(process.execPath, ['scripts/gen-k8s.mjs', '--check']);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
  });

  it('declare a KafkaTopic per catalogue topic with its partitions and configs', () => {
    const topics = parseYamlDocs(
      fs.readFileSync(path.join(ROOT, 'deploy/k8s/base/kafka/kafka-topics.yaml'), 'utf8'),
    ) as Doc[];
    expect(topics.map((t) => t.spec?.topicName).sort()).toEqual(
      Object.values(TOPICS)
        .map((t) => t.name)
        .sort(),
    );
    for (const spec of Object.values(TOPICS)) {
      const t = topics.find((d) => d.spec?.topicName === spec.name)!;
      expect({ name: spec.name, partitions: t.spec?.partitions }).toEqual({
        name: spec.name,
        partitions: spec.partitions,
      });
      expect(t.spec?.config).toEqual({ ...topicConfigs(spec), 'min.insync.replicas': '2' });
    }
  });

  for (const overlay of ['dev', 'prod']) {
    describe(`overlay ${overlay}`, () => {
      let docs: Doc[];
      beforeAll(() => {
        docs = kustomize(overlay);
      });

      it('builds with kustomize and passes validation against the Kubernetes API schemas', () => {
        const result = validate(docs);
        expect(result.errors).toEqual([]);
        for (const s of SERVICES)
          expect(result.validated).toEqual(
            expect.arrayContaining([`Deployment/${s}`, `Service/${s}`, `PodDisruptionBudget/${s}`]),
          );
        // Custom resources are not in the client's schemas; the tests below check them.
        expect([...new Set(result.skipped.map((w) => w.split('/')[0]))].sort()).toEqual([
          'Kafka',
          'KafkaNodePool',
          'KafkaTopic',
          'KafkaUser',
          'PrometheusRule',
          'ServiceMonitor',
        ]);
      });

      it('runs each service non-root with probes on /healthz and /readyz, resources and the config and secret', () => {
        for (const s of SERVICES) {
          const d = find(docs, 'Deployment', s)!;
          const pod = (d.spec as { template: { spec: Record<string, unknown> } }).template.spec as {
            securityContext: { runAsNonRoot: boolean };
            containers: {
              command: string[];
              livenessProbe: { httpGet: { path: string } };
              readinessProbe: { httpGet: { path: string } };
              resources: { requests: object; limits: object };
              envFrom: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
              securityContext: { readOnlyRootFilesystem: boolean };
            }[];
          };
          const c = pod.containers[0]!;
          expect({
            s,
            cmd: c.command,
            live: c.livenessProbe.httpGet.path,
            ready: c.readinessProbe.httpGet.path,
          }).toEqual({ s, cmd: ['node', `services/${s}/dist/main.js`], live: '/healthz', ready: '/readyz' });
          expect(c.resources.requests).toEqual(
            expect.objectContaining({ cpu: expect.anything(), memory: expect.anything() }),
          );
          expect(c.resources.limits).toEqual(expect.objectContaining({ memory: expect.anything() }));
          expect(pod.securityContext.runAsNonRoot).toBe(true);
          expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
          const config = c.envFrom.find((e) => e.configMapRef)?.configMapRef?.name;
          const secret = c.envFrom.find((e) => e.secretRef)?.secretRef?.name;
          expect(find(docs, 'ConfigMap', config!)).toBeDefined();
          expect(secret).toBe('tickstream-secrets');
          expect(find(docs, 'Service', s)).toBeDefined();
          expect(find(docs, 'PodDisruptionBudget', s)).toBeDefined();
        }
        for (const s of ['features', 'inference', 'orders', 'gateway'])
          expect(find(docs, 'HorizontalPodAutoscaler', s)).toBeDefined();
        expect(find(docs, 'NetworkPolicy', 'default-deny-ingress')?.spec).toEqual({
          podSelector: {},
          policyTypes: ['Ingress'],
        });
      });

      it("never lets an HPA scale a shared consumer group beyond its topic's partitions", () => {
        for (const [s, topic] of Object.entries(SHARED_GROUP_TOPIC)) {
          const hpa = find(docs, 'HorizontalPodAutoscaler', s)!;
          const { minReplicas, maxReplicas } = hpa.spec as { minReplicas: number; maxReplicas: number };
          expect({ s, minReplicas, maxReplicas, partitions: topic.partitions }).toEqual({
            s,
            minReplicas: expect.any(Number),
            maxReplicas: Math.min(maxReplicas, topic.partitions),
            partitions: topic.partitions,
          });
          expect(minReplicas).toBeLessThanOrEqual(maxReplicas);
        }
      });

      it('give each service its own Kafka user with the catalogue ACLs, over TLS with SCRAM-SHA-512', () => {
        const kafka = find(docs, 'Kafka', 'tickstream')!.spec as {
          kafka: {
            listeners: { name: string; tls: boolean; port: number; authentication?: { type: string } }[];
            authorization?: { type: string };
          };
          entityOperator: Record<string, unknown>;
        };
        // Every listener authenticates; none is plaintext.
        for (const l of kafka.kafka.listeners)
          expect({ l: l.name, tls: l.tls, auth: l.authentication?.type }).toEqual({
            l: l.name,
            tls: true,
            auth: 'scram-sha-512',
          });
        expect(kafka.kafka.authorization?.type).toBe('simple');
        expect(kafka.entityOperator.userOperator).toBeDefined();
        // kustomize appends a hash to the generated ConfigMap's name.
        const cm = docs.find(
          (d) => d.kind === 'ConfigMap' && d.metadata.name.startsWith('tickstream-config'),
        ) as (Doc & { data: Record<string, string> }) | undefined;
        if (!cm) throw new Error('no tickstream-config ConfigMap');
        expect(cm.data.KAFKA_BROKERS).toBe(`tickstream-kafka-bootstrap:${kafka.kafka.listeners[0]!.port}`);
        expect(cm.data.KAFKA_SSL).toBe('true');

        const users = docs.filter((d) => d.kind === 'KafkaUser');
        expect(users.map((u) => u.metadata.name).sort()).toEqual(
          Object.values(PRINCIPALS)
            .map((p) => p.user)
            .sort(),
        );
        for (const p of Object.values(PRINCIPALS)) {
          const spec = find(docs, 'KafkaUser', p.user)!.spec as {
            authentication: { type: string };
            authorization: { type: string; acls: unknown[] };
          };
          expect(spec.authentication.type).toBe('scram-sha-512');
          expect(spec.authorization.acls).toEqual(
            aclRules('', [p]).map((r) => ({
              resource: { type: r.resource, name: r.name, patternType: r.pattern },
              operations: r.operations,
              host: '*',
            })),
          );
        }
        for (const s of SERVICES) {
          const pod = (find(docs, 'Deployment', s)!.spec as { template: { spec: Record<string, unknown> } })
            .template.spec as {
            containers: {
              env: {
                name: string;
                value?: string;
                valueFrom?: { secretKeyRef: { name: string; key: string } };
              }[];
              volumeMounts: { name: string; mountPath: string }[];
            }[];
            volumes: { name: string; secret?: { secretName: string } }[];
          };
          const env = pod.containers[0]!.env;
          expect(env.find((e) => e.name === 'KAFKA_SASL_USERNAME')?.value).toBe(s);
          expect(env.find((e) => e.name === 'KAFKA_SASL_PASSWORD')?.valueFrom?.secretKeyRef).toEqual({
            name: s,
            key: 'password',
          });
          const ca = pod.volumes.find((v) => v.secret?.secretName === 'tickstream-cluster-ca-cert')!;
          const mount = pod.containers[0]!.volumeMounts.find((m) => m.name === ca.name)!;
          expect(`${mount.mountPath}/ca.crt`).toBe(cm.data.KAFKA_SSL_CA_FILE);
        }
      });

      it('render no Secret: its values are created in the cluster, never taken from the repository', () => {
        expect(docs.filter((d) => d.kind === 'Secret').map((d) => d.metadata.name)).toEqual([]);
      });

      it('wires the custom resources: Strimzi KRaft cluster and topics, ServiceMonitor, PrometheusRule', () => {
        const kafka = find(docs, 'Kafka', 'tickstream')!;
        expect(kafka.metadata.annotations).toEqual(
          expect.objectContaining({ 'strimzi.io/kraft': 'enabled', 'strimzi.io/node-pools': 'enabled' }),
        );
        const pool = find(docs, 'KafkaNodePool', 'dual-role')!;
        expect(pool.metadata.labels?.['strimzi.io/cluster']).toBe('tickstream');
        const replicas = (pool.spec as { replicas: number }).replicas;
        const topics = docs.filter((d) => d.kind === 'KafkaTopic');
        expect(topics).toHaveLength(Object.keys(TOPICS).length);
        for (const t of topics) {
          expect(t.metadata.labels?.['strimzi.io/cluster']).toBe('tickstream');
          const spec = t.spec as { replicas: number; config: Record<string, string> };
          expect(spec.replicas).toBeLessThanOrEqual(replicas);
          expect(Number(spec.config['min.insync.replicas'])).toBeLessThan(spec.replicas + 1);
        }
        const monitor = find(docs, 'ServiceMonitor', 'tickstream')!;
        expect(JSON.stringify(monitor.spec)).toContain('"port":"http"');
        for (const s of SERVICES) {
          const svc = find(docs, 'Service', s)!;
          expect((svc.spec as { ports: { name: string }[] }).ports.map((p) => p.name)).toContain('http');
        }
        const rule = find(docs, 'PrometheusRule', 'tickstream')!;
        const source = parseYamlDocs(
          fs.readFileSync(path.join(ROOT, 'deploy/prometheus/rules/tickstream.rules.yml'), 'utf8'),
        )[0] as { groups: unknown[] };
        expect(rule.spec?.groups).toEqual(source.groups);
      });
    });
  }

  it('the validator rejects unknown fields, wrong types and missing required fields', () => {
    const broken = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'broken' },
      spec: {
        replicas: 'two',
        selector: { matchLabels: { a: 'b' } },
        template: {
          spec: {
            containers: [
              { image: 'x', livenessProbe: { httpGet: { path: '/healthz', port: 1 } }, resource: {} },
            ],
          },
        },
      },
    };
    const missing = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'm' },
      spec: { ports: [{ name: 'http' }] },
    };
    const { errors } = validate([broken, missing]);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringContaining('spec.replicas: expected int'),
        expect.stringContaining('resource: unknown field of V1Container'),
        expect.stringContaining('Service/m'),
      ]),
    );
  });
});

describe('docker-compose.yml', () => {
  const plugin = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' }).status === 0;
  const [cmd, pre] = plugin ? ['docker', ['compose']] : ['docker-compose', []];
  let envFile: string;
  beforeAll(() => {
    // The secrets file `npm run secrets` makes, in a scratch directory.
    envFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'compose-secrets-')), 'local.env');
    const r = run(process.execPath, ['scripts/secrets.mjs', '--file', envFile]);
    expect(r.status).toBe(0);
  });

  it('is accepted by `docker compose config` (or Debian docker-compose where the plugin is absent)', () => {
    const check = run(cmd, [...pre, '--env-file', envFile, '-f', 'docker-compose.yml', 'config', '-q']);
    expect({ status: check.status, stderr: check.stderr.trim() }).toEqual({ status: 0, stderr: '' });
    const services = run(cmd, [
      ...pre,
      '--env-file',
      envFile,
      '-f',
      'docker-compose.yml',
      'config',
      '--services',
    ])
      .stdout.split('\n')
      .filter(Boolean);
    expect(services.sort()).toEqual(
      expect.arrayContaining([
        'kafka',
        'registry',
        'postgres',
        'redis',
        'prometheus',
        'grafana',
        'otel-collector',
        ...SERVICES,
      ]),
    );
  });

  it('logs every Kafka client in as its own SCRAM user, the provisioner as admin', () => {
    const rendered = run(cmd, [...pre, '--env-file', envFile, '-f', 'docker-compose.yml', 'config']);
    expect(rendered.status).toBe(0);
    const config = parseYamlDocs(rendered.stdout)[0] as {
      services: Record<string, { environment?: Record<string, string>; entrypoint?: string[] }>;
    };
    const secrets = Object.fromEntries(
      fs
        .readFileSync(envFile, 'utf8')
        .split('\n')
        .map((l) => /^([A-Z_]+)=(.*)$/.exec(l))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => [m[1], m[2]]),
    );
    const logins = Object.fromEntries(
      [...SERVICES, 'provision'].map((name) => {
        const env = config.services[name]?.environment ?? {};
        return [name, [env.KAFKA_SASL_USERNAME, env.KAFKA_SASL_PASSWORD]];
      }),
    );
    expect(logins).toEqual({
      ...Object.fromEntries(SERVICES.map((s) => [s, [s, secrets[`KAFKA_${s.toUpperCase()}_PASSWORD`]]])),
      provision: ['admin', secrets.KAFKA_ADMIN_PASSWORD],
    });
    // The broker's start script (test/sre/compose-kafka.int.test.ts) makes the SCRAM users.
    expect(config.services.kafka?.entrypoint).toEqual(['/bin/sh', '/opt/tickstream/kafka-start.sh']);
  });
});

describe('docker-compose.yml secrets', () => {
  const plugin = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' }).status === 0;
  const [cmd, pre] = plugin ? ['docker', ['compose']] : ['docker-compose', []];

  it('are read from the environment: without them compose refuses and says how to make them', () => {
    const empty = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'compose-empty-')), 'none.env');
    fs.writeFileSync(empty, '');
    const env = { ...process.env };
    for (const name of ['JWT_SECRET', 'BROKER_KEYS_MASTER_KEY', 'POSTGRES_PASSWORD']) delete env[name];
    const check = spawnSync(cmd, [...pre, '--env-file', empty, '-f', 'docker-compose.yml', 'config', '-q'], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
    });
    expect(check.status).not.toBe(0);
    expect(check.stderr).toContain(
      'run npm run secrets, then docker compose --env-file .secrets/local.env up',
    );
  });
});

describe('Dockerfile', () => {
  it('is multi-stage, runs as a non-root user and preloads the telemetry register', () => {
    const text = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    const stages = text.split(/^FROM /m).slice(1);
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const last = stages[stages.length - 1]!;
    expect(last).toMatch(/^USER node$/m);
    const register = /--require (\/app\/(\S+))"/.exec(last)?.[2];
    expect(register).toBe('packages/platform/dist/telemetry/register.js');
    expect(fs.existsSync(path.join(ROOT, 'packages/platform/src/telemetry/register.ts'))).toBe(true);
    expect(last).toMatch(/CMD \["node", "services\/\w+\/dist\/main\.js"\]/);
  });

  it('ships the files the services read by default: the fallback model and its reports', () => {
    const text = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    const [build, runtime] = text.split(/^FROM /m).slice(1);
    // MODEL_FILE (inference, its reports beside it) defaults to models/default/.
    expect(build).toMatch(/^COPY models models$/m);
    expect(runtime).toMatch(/^COPY --from=build \S+ \/app\/models models$/m);
    for (const f of ['model.onnx', 'report.json', 'report.html'])
      expect(fs.existsSync(path.join(ROOT, 'models/default', f))).toBe(true);
    const ignored = fs.readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).not.toContain('models');
  });
});

describe('dashboards and alert rules', () => {
  const declared = declaredMetricNames();

  it('provision the five dashboards', () => {
    const uids = fs.readdirSync(path.join(ROOT, 'deploy/grafana/dashboards')).map(
      (f) =>
        (
          JSON.parse(fs.readFileSync(path.join(ROOT, 'deploy/grafana/dashboards', f), 'utf8')) as {
            uid: string;
          }
        ).uid,
    );
    expect(uids.sort()).toEqual([
      'tickstream-gateway',
      'tickstream-market-data',
      'tickstream-ml',
      'tickstream-orders-risk',
      'tickstream-overview',
    ]);
  });

  it('query only metrics the services export', () => {
    const rules = parseYamlDocs(
      fs.readFileSync(path.join(ROOT, 'deploy/prometheus/rules/tickstream.rules.yml'), 'utf8'),
    )[0] as { groups: { rules: { alert: string; expr: string }[] }[] };
    const exprs = [
      ...dashboardExpressions(),
      ...rules.groups.flatMap((g) => g.rules.map((r) => ({ where: `alert ${r.alert}`, expr: r.expr }))),
    ];
    expect(exprs.length).toBeGreaterThan(50);
    const unknown = exprs.flatMap(({ where, expr }) =>
      promqlMetricNames(expr)
        .map((n) => baseName(n, declared))
        .filter((n) => !declared.has(n))
        .map((n) => `${where}: ${n}`),
    );
    expect(unknown).toEqual([]);
  });

  it('alert rules pass promtool and each alert has a runbook section', () => {
    const r = run('promtool', ['check', 'rules', 'deploy/prometheus/rules/tickstream.rules.yml']);
    expect(r.status).toBe(0);
    const runbook = fs.readFileSync(path.join(ROOT, 'docs/RUNBOOK.md'), 'utf8');
    const rules = parseYamlDocs(
      fs.readFileSync(path.join(ROOT, 'deploy/prometheus/rules/tickstream.rules.yml'), 'utf8'),
    )[0] as { groups: { rules: { alert: string; annotations: { runbook_url: string } }[] }[] };
    for (const rule of rules.groups.flatMap((g) => g.rules)) {
      expect(rule.annotations.runbook_url).toBe(`docs/RUNBOOK.md#${rule.alert.toLowerCase()}`);
      expect(runbook).toMatch(new RegExp(`^### ${rule.alert}$`, 'm'));
    }
  });
});
