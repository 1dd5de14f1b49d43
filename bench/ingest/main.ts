// Ingest throughput: simulator records at full speed through the service's publisher (Avro
// encoding, batching, idempotent acks=all producers, one request in flight per producer) into the
// real broker, against a bare KafkaJS producer sending the same records, already encoded, in the
// same batch size, one request at a time, in the same run.
// `npm run bench -- ingest [--records N] [--producers 3]`; with `--per-request 1,4,16,...` it
// measures the CPU of one produce request by its size instead (per-request.ts).
import { PerformanceObserver } from 'node:perf_hooks';
import type { Message } from 'kafkajs';
import { createTopicsServed } from '@tickstream/platform';
import { kafkaTestbed } from '../../test/support/kafka';
import { publishThroughIngest, simRecords } from '../support/ingest';
import { benchLine, printTable } from '../support/report';
import { arg } from '../support/cli';
import { perRequest } from './per-request';

async function main() {
  const sizes = process.argv.indexOf('--per-request');
  if (sizes >= 0) {
    const bed = await kafkaTestbed('bench-ingest-per-request');
    try {
      await perRequest(bed, process.argv[sizes + 1]!.split(',').map(Number), arg('per-size', 6000));
    } finally {
      await bed.close();
    }
    return;
  }
  const total = arg('records', 200_000);
  const batch = 1000;
  const records = await simRecords(total);

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
    await createTopicsServed(
      bed.admin,
      ['trades', 'quotes', 'bars'].map((t) => ({
        topic: bed.names.of(t as 'trades') + '.bare',
        numPartitions: 6,
      })),
    );
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
    const producers = arg('producers', 3);
    // What the publisher's path costs per record in this process (it runs here): CPU and GCs.
    let gcs = 0;
    const gcObserver = new PerformanceObserver((list) => void (gcs += list.getEntries().length));
    gcObserver.observe({ entryTypes: ['gc'] });
    const cpu0 = process.cpuUsage();
    const oursSec = await publishThroughIngest({
      kafka: bed.kafka,
      codec: bed.codec,
      names: bed.names,
      records,
      producers,
      maxBatch: batch,
    });
    const cpu = process.cpuUsage(cpu0);
    gcObserver.disconnect();
    const cpuUsPerRecord = (cpu.user + cpu.system) / records.length;
    const gcPer1k = (gcs * 1000) / records.length;

    const bareRate = records.length / bareSec;
    const oursRate = records.length / oursSec;
    printTable([
      ['path', 'records', 'seconds', 'msgs/s'],
      ['bare KafkaJS (pre-encoded)', records.length, bareSec, bareRate],
      [`ingest publisher (encode + batch, ${producers} producers)`, records.length, oursSec, oursRate],
    ]);
    console.log(
      `ingest publisher: ${cpuUsPerRecord.toFixed(1)} µs CPU and ${gcPer1k.toFixed(2)} GCs per 1k records (this process, with the bench's own work)`,
    );
    benchLine('ingest', {
      records: records.length,
      producers,
      msgs_per_s: oursRate,
      bare_msgs_per_s: bareRate,
      ratio: oursRate / bareRate,
      cpu_us_per_record: cpuUsPerRecord,
      gc_per_1k_records: gcPer1k,
    });
  } finally {
    await bed.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
