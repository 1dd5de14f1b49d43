import { parseTrainArgs } from '../../src/cli/train-args';

describe('npm run train arguments', () => {
  it('defaults the simulator to the demo 5 s bars and seeds both simulator and forest', () => {
    const cmd = parseTrainArgs([
      '--sim',
      '--symbols',
      'aapl,msft',
      '--seed',
      '4',
      '--trees',
      '30',
      '--out',
      '/tmp/x',
    ]);
    expect(cmd.source).toMatchObject({
      kind: 'sim',
      symbols: ['AAPL', 'MSFT'],
      bars: 3000,
      seed: 4,
      intervalMs: 5000,
    });
    expect(cmd.train).toEqual({
      horizon: 5,
      neutralBand: 0,
      folds: 5,
      threads: 2,
      forest: { seed: 4, nTrees: 30 },
      backtest: {},
      bootstrap: 1000,
    });
    expect(cmd).toMatchObject({ register: false, promote: false, force: false });
  });

  it('takes the backtest rule and costs', () => {
    const cmd = parseTrainArgs(
      ['--csv', 'f.csv', '--out', 'd', '--upper', '0.6', '--lower', '0.4', '--short'].concat([
        '--commission',
        '0',
        '--cost-bps',
        '2.5',
        '--bars-per-year',
        '252',
      ]),
    );
    expect(cmd.train.backtest).toEqual({
      upper: 0.6,
      lower: 0.4,
      mode: 'long-short',
      commissionPerShare: 0,
      costBps: 2.5,
      barsPerYear: 252,
    });
  });

  it('takes Alpaca keys from the environment and keeps them out of the report description', () => {
    const env = { ALPACA_KEY_ID: 'k', ALPACA_SECRET_KEY: 's' };
    const cmd = parseTrainArgs(
      ['--alpaca', '--symbols', 'SPY', '--start', '2025-01-02', '--out', 'd', '--promote'],
      env,
    );
    expect(cmd.source).toMatchObject({
      kind: 'alpaca',
      keyId: 'k',
      secretKey: 's',
      timeframe: '1Min',
      feed: 'iex',
      adjustment: 'raw',
    });
    expect(JSON.stringify(cmd.description)).not.toMatch(/"k"|"s"/);
    expect(cmd).toMatchObject({ register: true, promote: true });
  });

  it.each([
    [['--out', 'd'], /exactly one source/],
    [['--sim', '--csv', 'f', '--out', 'd'], /exactly one source/],
    [['--sim'], /--out DIR is required/],
    [['--sim', '--out', 'd', '--horizon', '0'], /--horizon must be an integer >= 1/],
    [['--sim', '--out', 'd', '--neutral-band', '-1'], /--neutral-band/],
    [['--sim', '--out', 'd', '--class-weight', 'heavy'], /--class-weight/],
    [['--sim', '--out', 'd', '--upper', '0.4'], /--lower must not be above --upper/],
    [['--sim', '--out', 'd', '--cost-bps', 'x'], /--cost-bps must be a number/],
    [
      ['--alpaca', '--symbols', 'SPY', '--start', '2020-01-02', '--out', 'd', '--adjustment', 'none'],
      /--adjustment must be/,
    ],
    [['--alpaca', '--symbols', 'SPY', '--start', '2025-01-02', '--out', 'd'], /ALPACA_KEY_ID/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseTrainArgs(argv, {})).toThrow(message);
  });
});
