import {
  ConfigError,
  commaList,
  commonEnv,
  kafkaConnection,
  loadConfig,
  port,
  symbolList,
} from '@tickstream/platform';

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

  it('logs in to Kafka with SCRAM-SHA-512 only when a username and a password are both set', () => {
    const plain = loadConfig(commonEnv, {});
    expect(kafkaConnection(plain)).toEqual({ brokers: ['127.0.0.1:9092'] });
    const c = loadConfig(commonEnv, { KAFKA_SASL_USERNAME: 'ingest', KAFKA_SASL_PASSWORD: 'p'.repeat(40) });
    expect(kafkaConnection(c).sasl).toEqual({
      mechanism: 'scram-sha-512',
      username: 'ingest',
      password: 'p'.repeat(40),
    });
    expect(() => loadConfig(commonEnv, { KAFKA_SASL_USERNAME: 'ingest' })).toThrow(
      /KAFKA_SASL_PASSWORD=\(unset\): required when KAFKA_SASL_USERNAME is set/,
    );
    expect(() => loadConfig(commonEnv, { KAFKA_SASL_PASSWORD: 'p'.repeat(40) })).toThrow(
      /KAFKA_SASL_USERNAME=\(unset\)/,
    );
  });

  it('names a missing CA file and never shows a Kafka password', () => {
    expect(() =>
      loadConfig(commonEnv, { KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: '/nonexistent/ca.crt' }),
    ).toThrow(/KAFKA_SSL_CA_FILE="\/nonexistent\/ca.crt": no such file/);
    expect(() => loadConfig(commonEnv, { KAFKA_SASL_USERNAME: 'x', KAFKA_SASL_PASSWORD: '' })).toThrow(
      /KAFKA_SASL_PASSWORD=\(hidden, 0 bytes\)/,
    );
    expect(kafkaConnection(loadConfig(commonEnv, { KAFKA_SSL: 'true' })).ssl).toBe(true);
  });
});

describe('comma-separated settings', () => {
  it('keeps the trimmed, non-empty items; symbol lists upper-case theirs', () => {
    expect(commaList().parse(' a.csv, ,b.csv,')).toEqual(['a.csv', 'b.csv']);
    expect(commaList().parse(undefined)).toEqual([]);
    expect(symbolList('AAPL').parse(' msft ,nvda')).toEqual(['MSFT', 'NVDA']);
    expect(symbolList('AAPL').parse(undefined)).toEqual(['AAPL']);
    expect(symbolList('AAPL').safeParse('BRK$A').success).toBe(false);
  });
});
