import { propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { tracedSend } from '@tickstream/platform';
import type { Message } from 'kafkajs';

const messages = (): Message[] => [
  { key: 'AAPL', value: Buffer.from('a') },
  { key: 'MSFT', value: Buffer.from('b'), headers: { origin: 'test' } },
];

describe('tracedSend', () => {
  afterEach(() => {
    trace.disable();
    propagation.disable();
  });

  it('leaves the messages as they are when no tracer is installed (no span context to pass on)', async () => {
    const sent = messages();
    await expect(tracedSend(['md.quotes.v1'], sent, async () => 'acked')).resolves.toBe('acked');
    expect(sent[0]!.headers).toBeUndefined();
    expect(sent[1]!.headers).toEqual({ origin: 'test' });
  });

  it("writes the send span's context into every message's headers, keeping their own", async () => {
    trace.setGlobalTracerProvider(new BasicTracerProvider());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    const sent = messages();
    await tracedSend(['md.quotes.v1'], sent, async () => undefined);
    const parents = sent.map((m) => String(m.headers?.traceparent));
    expect(parents[0]).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(parents[1]).toBe(parents[0]);
    expect(sent[1]!.headers?.origin).toBe('test');
  });
});
