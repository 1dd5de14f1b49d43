import { ConfigError, commonEnv, loadConfig, port } from '@tickstream/platform';

describe('loadConfig', () => {
  it('applies defaults and freezes the result', () => {
    const c = loadConfig({ ...commonEnv, HEALTH_PORT: port(9101) }, {});
    expect(c.KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
    expect(c.HEALTH_PORT).toBe(9101);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it.each([
    ['KAFKA_BROKERS', 'notaport'],
    ['KAFKA_BROKERS', 'host:99999'],
    ['HEALTH_PORT', 'eighty'],
    ['SCHEMA_REGISTRY_URL', 'not a url'],
    ['LOG_LEVEL', 'loud'],
  ])('names the bad variable %s=%s', (name, value) => {
    const attempt = () => loadConfig({ ...commonEnv, HEALTH_PORT: port(9101) }, { [name]: value });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(new RegExp(`${name}="${value}"`));
  });
});
