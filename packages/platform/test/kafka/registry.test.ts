import { AvroCodec, TickstreamError, TopicNames } from '@tickstream/platform';
import { TEST_ENV, uniquePrefix } from '../../../../test/support/env';

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
});
