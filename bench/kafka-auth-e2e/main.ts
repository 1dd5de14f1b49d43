// What Kafka authentication costs the whole pipeline: the e2e bench (bench/e2e: ingest, features,
// inference and gateway as processes, clients on sockets) run twice in this run with the same
// arguments, once against a throwaway broker without authentication and once against the local
// broker with SASL/SCRAM-SHA-512 and ACLs (every service as its own user), alternating when
// `--rounds` > 1. Each e2e run is a child process, because the test support reads the Kafka
// target and its passwords once, at import.
// `npm run bench -- kafka-auth-e2e [--rounds 1] [any bench/e2e argument]`
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { PrivateKafka } from '../../test/support/private-infra';
import { privateKafka } from '../../test/support/private-infra';
import { benchLine, printTable } from '../support/report';

const ROOT = path.resolve(__dirname, '../..');
const argv = process.argv.slice(2);
const roundsAt = argv.indexOf('--rounds');
const ROUNDS = roundsAt >= 0 ? Number(argv[roundsAt + 1]) : 1;
const E2E_ARGS = roundsAt >= 0 ? [...argv.slice(0, roundsAt), ...argv.slice(roundsAt + 2)] : argv;
const KEYS = ['max_rate', 'tick_p50_ms', 'tick_p99_ms', 'md_to_gateway_p50_ms', 'feat_pred_p99_ms'] as const;

/** One bench/e2e run; its BENCH line as numbers. Its output goes through, for the per-hop tables. */
function runE2e(env: NodeJS.ProcessEnv): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'scripts/bench.mjs'), 'e2e', ...E2E_ARGS], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      process.stdout.write(d);
    });
    child.once('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('BENCH e2e '));
      if (code !== 0 || !line) return reject(new Error(`bench e2e exited with ${code}`));
      resolve(
        Object.fromEntries(
          line
            .slice('BENCH e2e '.length)
            .split(' ')
            .map((kv) => kv.split('='))
            .map(([k, v]) => [k!, Number(v)]),
        ),
      );
    });
  });
}

async function main(): Promise<void> {
  const plainBroker: PrivateKafka = await privateKafka({ auth: false });
  // No passwords anywhere: the test support then logs nobody in (test/support/env.ts).
  const plainEnv = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^KAFKA_[A-Z]+_PASSWORD$/.test(k)),
  );
  Object.assign(plainEnv, {
    KAFKA_BROKERS: plainBroker.brokers,
    TICKSTREAM_SECRETS_FILE: path.join(ROOT, '.secrets/none-for-the-plain-broker'),
  });
  const results: { plain: Record<string, number>[]; sasl: Record<string, number>[] } = {
    plain: [],
    sasl: [],
  };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      console.log(`\n=== round ${round + 1}: without authentication (${plainBroker.brokers}) ===`);
      results.plain.push(await runE2e(plainEnv));
      console.log(`\n=== round ${round + 1}: SASL/SCRAM-SHA-512 + ACLs (the local broker) ===`);
      results.sasl.push(await runE2e(process.env));
    }
  } finally {
    await plainBroker.close();
  }
  const best = (runs: Record<string, number>[], key: string) =>
    key === 'max_rate' ? Math.max(...runs.map((r) => r[key]!)) : Math.min(...runs.map((r) => r[key]!));
  console.log('\nbest of each side over the rounds');
  printTable([
    ['kafka', ...KEYS],
    ['no authentication', ...KEYS.map((k) => best(results.plain, k))],
    ['SASL/SCRAM + ACLs', ...KEYS.map((k) => best(results.sasl, k))],
  ]);
  const plainRate = best(results.plain, 'max_rate');
  const saslRate = best(results.sasl, 'max_rate');
  benchLine('kafka-auth-e2e', {
    rounds: ROUNDS,
    plain_max_rate: plainRate,
    sasl_max_rate: saslRate,
    ratio: saslRate / plainRate,
    plain_tick_p99_ms: best(results.plain, 'tick_p99_ms'),
    sasl_tick_p99_ms: best(results.sasl, 'tick_p99_ms'),
    plain_md_to_gateway_p50_ms: best(results.plain, 'md_to_gateway_p50_ms'),
    sasl_md_to_gateway_p50_ms: best(results.sasl, 'md_to_gateway_p50_ms'),
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
