import { AvroCodec, TickstreamError, TopicNames } from '@tickstream/platform';
import { TEST_ENV, eventually, uniquePrefix } from '../../../../test/support/env';
import { tcpRelay } from '../../../../test/support/relay';

describe('schema registry compatibility', () => {
  it('registers the schemas once (same ids again) and refuses an incompatible change with a clear error', async () => {
    const names = new TopicNames(uniquePrefix('registry'));
    const codec = new AvroCodec({ registryUrl: TEST_ENV.SCHEMA_REGISTRY_URL, topics: names });
    const first = new Map(await codec.registerAll());
    const second = new Map(
      await new AvroCodec({ registryUrl: TEST_ENV.SCHEMA_REGISTRY_URL, topics: names }).registerAll(),
    );
    expect(second).toEqual(first);

    const bars = codec.schemaOf('bars') as { fields: { name: string; type: unknown }[] };
    const breaking = {
      ...bars,
      fields: bars.fields.map((f) => (f.name === 'close' ? { ...f, type: 'string' } : f)),
    };
    const err = await codec.register('bars', breaking).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TickstreamError);
    expect((err as TickstreamError).code).toBe('SCHEMA_INCOMPATIBLE');
    expect((err as TickstreamError).message).toContain(`${names.of('bars')}-value`);

    // A compatible evolution (a new field with a default) is accepted as a new version.
    const evolved = {
      ...bars,
      fields: [...bars.fields, { name: 'note', type: ['null', 'string'], default: null }],
    };
    const id = await codec.register('bars', evolved);
    expect(id).not.toBe(first.get('bars'));
  });

  it('gives up on a request the registry never answers and sends it again', async () => {
    // Apicurio has been seen to drop the response to one request among concurrent ones; here the
    // first connection hangs the same way and later ones reach the real registry.
    const relay = await tcpRelay(new URL(TEST_ENV.SCHEMA_REGISTRY_URL), 'swallow');
    try {
      const names = new TopicNames(uniquePrefix('registry-hang'));
      const codec = new AvroCodec({ registryUrl: relay.url, topics: names, requestTimeoutMs: 500 });
      const registering = codec.registerAll(['bars']);
      await eventually(() => relay.connections >= 1, 5000, 'the first request at the relay');
      relay.mode = 'up';
      const ids = await registering;
      expect(relay.connections).toBeGreaterThan(1);
      const direct = new AvroCodec({ registryUrl: TEST_ENV.SCHEMA_REGISTRY_URL, topics: names });
      expect((await direct.registerAll(['bars'])).get('bars')).toBe(ids.get('bars'));
    } finally {
      await relay.close();
    }
  });
});
