import { Writable } from 'node:stream';
import pino from 'pino';
import { logLevel } from 'kafkajs';
import { kafkaLogCreator } from '../../src/kafka/client';

function capture() {
  const lines: { level: number; msg: string; error?: string }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  const log = kafkaLogCreator(pino({ level: 'debug' }, sink))(logLevel.DEBUG);
  const entry = (level: logLevel, message: string, extra: object = {}) =>
    log({ namespace: 'Connection', level, label: 'ERROR', log: { timestamp: '', message, ...extra } });
  return { lines, entry };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('kafkaLogCreator', () => {
  it('logs a response KafkaJS will retry (leadership moving, a partition not served yet) as a warning', async () => {
    const { lines, entry } = capture();
    entry(logLevel.ERROR, 'Response ListOffsets(key: 2, version: 4)', {
      error: 'This server is not the leader for that topic-partition',
    });
    entry(logLevel.ERROR, 'Response Metadata(key: 3, version: 6)', {
      error: 'There is no leader for this topic-partition as we are in the middle of a leadership election',
    });
    await settle();
    expect(lines.map((l) => l.level)).toEqual([40, 40]);
  });

  it('keeps every other error at error level', async () => {
    const { lines, entry } = capture();
    entry(logLevel.ERROR, 'Response SaslAuthenticate(key: 36, version: 1)', {
      error: 'Request is not valid given the current SASL state',
    });
    entry(logLevel.ERROR, 'Crash: KafkaJSNumberOfRetriesExceeded', { error: 'not the leader' });
    entry(logLevel.WARN, 'Heartbeat failed');
    await settle();
    expect(lines.map((l) => l.level)).toEqual([50, 50, 40]);
  });
});
