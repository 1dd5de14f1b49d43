import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Bar } from '@tickstream/contracts';
import { FAKE_KEY, FakeAlpaca } from '../../../../test/support/fake-alpaca';
import { TEST_ENV, kafkaLogin } from '../../../../test/support/env';
import type { KafkaTestbed } from '../../../../test/support/kafka';
import { kafkaTestbed, readAll } from '../../../../test/support/kafka';

const ROOT = path.resolve(__dirname, '../../../..');

describe('npm run backfill', () => {
  let bed: KafkaTestbed;
  let alpaca: FakeAlpaca;

  beforeAll(async () => {
    bed = await kafkaTestbed('backfill');
    alpaca = await FakeAlpaca.start();
  });

  afterAll(async () => {
    await alpaca.close();
    await bed.close();
  });

  it('publishes every page of Alpaca bars to md.bars.v1, through a 429', async () => {
    const start = Date.UTC(2026, 10, 2, 14, 30);
    const rest = (i: number) => ({
      t: new Date(start + i * 60000).toISOString(),
      o: 100 + i,
      h: 101 + i,
      l: 99 + i,
      c: 100.5 + i,
      v: 1000 + i,
      n: 10,
      vw: 100.2 + i,
    });
    alpaca.setBars(
      'AAPL',
      Array.from({ length: 12_500 }, (_, i) => rest(i)),
    );
    alpaca.setBars(
      'MSFT',
      Array.from({ length: 300 }, (_, i) => rest(i)),
    );
    alpaca.failNext({ kind: 'bars', status: 429, retryAfterSec: 1 });

    // Asynchronous: the fake Alpaca server lives in this process and must keep answering.
    const child = spawn(
      process.execPath,
      [
        'scripts/run-ts.mjs',
        'services/ingest/src/cli/backfill.ts',
        '--symbols',
        'AAPL,MSFT',
        '--start',
        new Date(start).toISOString(),
      ],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          KAFKA_BROKERS: TEST_ENV.KAFKA_BROKERS,
          // The market-data writer's user: backfilling is ingest's job.
          ...kafkaLogin('ingest'),
          SCHEMA_REGISTRY_URL: TEST_ENV.SCHEMA_REGISTRY_URL,
          TOPIC_PREFIX: bed.prefix,
          ALPACA_KEY_ID: FAKE_KEY.key,
          ALPACA_SECRET_KEY: FAKE_KEY.secret,
          ALPACA_DATA_URL: alpaca.restUrl,
          LOG_LEVEL: 'warn',
        },
      },
    );
    const r = { stdout: '', stderr: '', status: null as number | null };
    child.stdout.on('data', (d: Buffer) => (r.stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (r.stderr += d.toString()));
    r.status = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(r.stderr).not.toMatch(/failed to start/);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('published 12800 bars');
    expect(alpaca.bars.requests.length).toBeGreaterThanOrEqual(3); // pages, plus the refused one

    const msgs = await readAll(bed.kafka, bed.names.of('bars'), 12_800, 60000);
    const bars: Bar[] = await Promise.all(msgs.map((m) => bed.codec.decode('bars', m.value)));
    const aapl = bars.filter((b) => b.symbol === 'AAPL');
    expect(aapl).toHaveLength(12_500);
    expect(aapl.map((b) => b.start_time)).toEqual(
      Array.from({ length: 12_500 }, (_, i) => start + i * 60000),
    );
    expect(aapl[42]).toMatchObject({
      open: 142,
      close: 142.5,
      volume: 1042,
      trade_count: 10,
      interval_ms: 60000,
      source: 'alpaca',
    });
  }, 150000);
});
