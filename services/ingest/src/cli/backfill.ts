// `npm run backfill -- --symbols AAPL,MSFT --start 2026-11-02T14:30:00Z [--end ISO] [--timeframe 1Min]
//   [--feed iex|sip] [--adjustment raw|split|dividend|all]`
// Reads Alpaca's historical bars (ALPACA_KEY_ID, ALPACA_SECRET_KEY, ALPACA_DATA_URL) following
// every page, and publishes them to md.bars.v1 (for warming features up and for training).
import { parseArgs } from 'node:util';
import { backfillBars, validateSymbols } from '@tickstream/marketdata';
import {
  AvroCodec,
  ConfigError,
  TopicNames,
  TypedProducer,
  commonEnv,
  createKafka,
  createLogger,
  kafkaConnection,
  loadConfig,
  runMain,
  url,
} from '@tickstream/platform';
import { z } from 'zod';

runMain('backfill', async () => {
  const { values } = parseArgs({
    options: {
      symbols: { type: 'string' },
      start: { type: 'string' },
      end: { type: 'string' },
      timeframe: { type: 'string', default: '1Min' },
      feed: { type: 'string', default: 'iex' },
      adjustment: { type: 'string', default: 'raw' },
    },
  });
  if (!values.symbols || !values.start)
    throw new ConfigError(
      'usage: npm run backfill -- --symbols AAPL,MSFT --start ISO-8601 [--end ISO-8601] [--timeframe 1Min]',
    );
  const config = loadConfig({
    ...commonEnv,
    ALPACA_KEY_ID: z.string().min(1),
    ALPACA_SECRET_KEY: z.string().min(1),
    ALPACA_DATA_URL: url('https://data.alpaca.markets'),
  });
  const log = createLogger({ service: 'backfill', level: config.LOG_LEVEL });
  const names = new TopicNames(config.TOPIC_PREFIX);
  const kafka = createKafka({ ...kafkaConnection(config), clientId: 'backfill' }, log);
  const producer = new TypedProducer(
    kafka,
    new AvroCodec({ registryUrl: config.SCHEMA_REGISTRY_URL, topics: names }),
    names,
  );
  await producer.connect();
  let published = 0;
  try {
    let batch = [];
    for await (const bar of backfillBars({
      symbols: validateSymbols(values.symbols.split(',').map((s) => s.trim().toUpperCase())),
      start: values.start,
      end: values.end,
      timeframe: values.timeframe,
      feed: values.feed as 'iex' | 'sip' | 'delayed_sip',
      adjustment: values.adjustment as 'raw' | 'split' | 'dividend' | 'all',
      keyId: config.ALPACA_KEY_ID,
      secretKey: config.ALPACA_SECRET_KEY,
      baseUrl: config.ALPACA_DATA_URL,
      logger: log,
    })) {
      batch.push({ key: bar.symbol, value: bar });
      if (batch.length >= 1000) {
        await producer.send('bars', batch);
        published += batch.length;
        batch = [];
      }
    }
    await producer.send('bars', batch);
    published += batch.length;
  } finally {
    await producer.disconnect();
  }
  log.info({ published, topic: names.of('bars') }, 'backfill published');
  process.stdout.write(`published ${published} bars to ${names.of('bars')}\n`);
});
