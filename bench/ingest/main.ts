// Ingest throughput: simulator records at full speed through the service's publisher (Avro
// encoding, batching, idempotent acks=all producers, one request in flight per producer) into the
// real broker, against a bare KafkaJS producer sending the same records, already encoded, in the
// same batch size, one request at a time, in the same run.
// `npm run bench -- ingest [--records N] [--producers 3]`.
import type { Bar, Quote, Trade } from '@tickstream/contracts';
import { runSimFullSpeed } from '../../services/ingest/src/sources';
import type { Message } from 'kafkajs';
import { createReliableProducer, prom } from '@tickstream/platform';
import { ingestMetrics } from '../../services/ingest/src/metrics';
import { MarketPublisher } from '../../services/ingest/src/publisher';
import { kafkaTestbed, silentLog } from '../../test/support/kafka';
import { benchLine, printTable } from '../support/report';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};

type Rec = { topic: 'trades' | 'quotes' | 'bars'; value: Trade | Quote | Bar };

async function main() {
  const total = arg('records', 200_000);
  const batch = 1000;
  const symbols = ['SPY', 'QQQ', 'AAPL', 'TSLA', 'NVDA', 'MSFT', 'GOOGL', 'META', 'AMZN', 'AMD'];
  const records: Rec[] = [];
  await runSimFullSpeed({
    seed: 7,
    symbols,
    records: total,
    barIntervalMs: 60_000,
    sink: {
      trade: (value) => records.push({ topic: 'trades', value }),
      quote: (value) => records.push({ topic: 'quotes', value }),
      bar: (value) => records.push({ topic: 'bars', value }),
    },
  });

  const bed = await kafkaTestbed('bench-ingest');
  try {
    // Bare KafkaJS: the same records, encoded beforehand, sent in batches of `batch`.
    const encoded: { topic: string; message: Message }[] = [];
    for (const r of records) {
      encoded.push({
        topic: bed.names.of(r.topic) + '.bare',
        message: { key: r.value.symbol, value: await bed.codec.encode(r.topic, r.value as never) },
      });
    }
    await bed.admin.createTopics({
      waitForLeaders: true,
      topics: ['trades', 'quotes', 'bars'].map((t) => ({
        topic: bed.names.of(t as 'trades') + '.bare',
        numPartitions: 6,
      })),
    });
    const t0 = performance.now();
    for (let i = 0; i < encoded.length; i += batch) {
      const byTopic = new Map<string, Message[]>();
      for (const e of encoded.slice(i, i + batch))
        byTopic.set(e.topic, [...(byTopic.get(e.topic) ?? []), e.message]);
      await bed.producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
    }
    const bareSec = (performance.now() - t0) / 1000;

    // The service's path: records handed to the publisher as a source would, until all acked.
    const producers = Array.from({ length: arg('producers', 3) }, () => createReliableProducer(bed.kafka));
    await Promise.all(producers.map((p) => p.connect()));
    const publisher = new MarketPublisher({
      producers,
      codec: bed.codec,
      names: bed.names,
      log: silentLog,
      lingerMs: 0,
      maxBatch: batch,
      maxBuffered: total * 2,
      metrics: ingestMetrics(new prom.Registry(), 'sim'),
    });
    const t1 = performance.now();
    for (const r of records) {
      if (r.topic === 'trades') publisher.trade(r.value as Trade);
      else if (r.topic === 'quotes') publisher.quote(r.value as Quote);
      else publisher.bar(r.value as Bar);
    }
    await publisher.close();
    const oursSec = (performance.now() - t1) / 1000;
    await Promise.all(producers.map((p) => p.disconnect()));

    const bareRate = records.length / bareSec;
    const oursRate = records.length / oursSec;
    printTable([
      ['path', 'records', 'seconds', 'msgs/s'],
      ['bare KafkaJS (pre-encoded)', records.length, bareSec, bareRate],
      [`ingest publisher (encode + batch, ${producers.length} producers)`, records.length, oursSec, oursRate],
    ]);
    benchLine('ingest', {
      records: records.length,
      producers: producers.length,
      msgs_per_s: oursRate,
      bare_msgs_per_s: bareRate,
      ratio: oursRate / bareRate,
    });
  } finally {
    await bed.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
