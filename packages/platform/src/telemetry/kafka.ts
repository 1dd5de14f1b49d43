import type { Attributes, Context, Link, Span, TextMapGetter, TextMapSetter } from '@opentelemetry/api';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import type { IHeaders, KafkaMessage, Message } from 'kafkajs';

const TRACER = '@tickstream/platform';
// A batch of thousands of records would otherwise carry thousands of links; the first few
// are enough to find the upstream traces.
const MAX_LINKS = 32;

const setter: TextMapSetter<IHeaders> = {
  set(carrier, key, value) {
    carrier[key] = value;
  },
};

const getter: TextMapGetter<IHeaders> = {
  keys: (carrier) => Object.keys(carrier),
  get(carrier, key) {
    const v = carrier[key];
    if (v === undefined) return undefined;
    return Array.isArray(v) ? v.map((x) => x.toString()) : v.toString();
  },
};

/** Marks the span failed with the error (its exception event and an ERROR status). */
function recordFailure(span: Span, err: unknown): void {
  span.recordException(err as Error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
}

/** Awaits `fn` in `ctx` (which holds `span`), records a failure on the span, and ends it either way. */
async function runInSpan<T>(span: Span, ctx: Context, fn: () => Promise<T>): Promise<T> {
  try {
    return await context.with(ctx, fn);
  } catch (err) {
    recordFailure(span, err);
    throw err;
  } finally {
    span.end();
  }
}

/** The trace context a record was produced in (W3C `traceparent`/`tracestate` headers). */
export function contextFromHeaders(headers: IHeaders | undefined): Context {
  return propagation.extract(ROOT_CONTEXT, headers ?? {}, getter);
}

/**
 * Sends inside one PRODUCER span and writes that span's context into the headers of every
 * message, so consumers continue the trace. Used by TypedProducer and by producers that
 * encode their own messages (the ingest publisher).
 *
 * @example
 *   await tracedSend([topic], messages, () => producer.sendBatch({ topicMessages: [{ topic, messages }] }));
 */
export async function tracedSend<T>(
  topics: readonly string[],
  messages: readonly Message[],
  send: () => Promise<T>,
): Promise<T> {
  const tracer = trace.getTracer(TRACER);
  const span = tracer.startSpan(`send ${topics.join(',')}`, {
    kind: SpanKind.PRODUCER,
    attributes: {
      'messaging.system': 'kafka',
      'messaging.operation.type': 'send',
      'messaging.destination.name': topics.join(','),
      'messaging.batch.message_count': messages.length,
    },
  });
  const ctx = trace.setSpan(context.active(), span);
  // Without the SDK the span is a no-op with no context to pass on: a headers object per message
  // would only cost an object and a propagator call per record.
  if (trace.isSpanContextValid(span.spanContext()))
    for (const m of messages) {
      const headers: IHeaders = { ...(m.headers ?? {}) };
      propagation.inject(ctx, headers, setter);
      (m as { headers?: IHeaders }).headers = headers;
    }
  return runInSpan(span, ctx, send);
}

/**
 * Runs the handling of one fetched batch inside a CONSUMER span. Its parent is the context of
 * the first record that carries one (so a single record's path reads as one trace from the
 * source to the socket); the other records' contexts are attached as links.
 */
export async function tracedProcess<T>(
  batch: { topic: string; partition: number; group: string; messages: readonly KafkaMessage[] },
  handle: () => Promise<T>,
): Promise<T> {
  let parent: Context | undefined;
  const links: Link[] = [];
  const seen = new Set<string>();
  for (const m of batch.messages) {
    if (!m.headers?.traceparent) continue;
    const ctx = contextFromHeaders(m.headers);
    const sc = trace.getSpanContext(ctx);
    if (!sc || seen.has(sc.spanId)) continue;
    seen.add(sc.spanId);
    parent ??= ctx;
    if (links.length < MAX_LINKS) links.push({ context: sc });
  }
  const attributes: Attributes = {
    'messaging.system': 'kafka',
    'messaging.operation.type': 'process',
    'messaging.destination.name': batch.topic,
    'messaging.destination.partition.id': String(batch.partition),
    'messaging.consumer.group.name': batch.group,
    'messaging.batch.message_count': batch.messages.length,
  };
  const span = trace
    .getTracer(TRACER)
    .startSpan(
      `process ${batch.topic}`,
      { kind: SpanKind.CONSUMER, attributes, links },
      parent ?? ROOT_CONTEXT,
    );
  return runInSpan(span, trace.setSpan(context.active(), span), handle);
}

/**
 * A synchronous INTERNAL span around `fn`, child of the active context; for work such as a
 * Socket.IO emit that libraries do not instrument.
 *
 * @example
 *   inSpan('socket.io emit bar', { 'socket.io.room': room }, () => io.to(room).emit('bar', b));
 */
export function inSpan<T>(name: string, attributes: Attributes, fn: () => T): T {
  const span = trace.getTracer(TRACER).startSpan(name, { attributes });
  try {
    return context.with(trace.setSpan(context.active(), span), fn);
  } catch (err) {
    recordFailure(span, err);
    throw err;
  } finally {
    span.end();
  }
}

/**
 * Runs `fn` outside any trace, so the spans it starts begin new traces. Work that outlives the
 * request that triggered it (a producer's send loop, a timer chain) would otherwise inherit that
 * request's context through every continuation, and all later sends would join one endless trace.
 */
export function inNewTrace<T>(fn: () => T): T {
  return context.with(ROOT_CONTEXT, fn);
}
