import { parseArgs } from 'node:util';
import type { BacktestOptions, ForestParams } from '@tickstream/model';
import {
  DEFAULT_SYMBOLS,
  TickstreamError,
  brokerList,
  kafkaAuthEnv,
  kafkaConnection,
  loadConfig,
} from '@tickstream/platform';
import type { BarSource } from '../training/bar-sources';
import type { SourceDescription } from '../training/report';
import type { TrainOptions } from '../training/pipeline';

export const TRAIN_USAGE = `usage: npm run train -- SOURCE [options] --out DIR
sources (one):
  --csv FILE [--interval-ms 60000]             bars CSV: symbol,timestamp,open,high,low,close,volume
  --sim [--symbols A,B] [--bars 3000] [--interval-ms 5000] [--sim-start ISO]
                                               the platform's simulator (5 s bars like the demo)
  --topic                                      md.bars.v1 from the beginning to its current end
                                               (KAFKA_BROKERS, SCHEMA_REGISTRY_URL, TOPIC_PREFIX)
  --alpaca --symbols A,B --start ISO [--end ISO] [--timeframe 1Min|1Day] [--feed iex]
         [--adjustment raw|split|dividend|all]  Alpaca historical bars (ALPACA_KEY_ID, ALPACA_SECRET_KEY);
                                               use --adjustment all for daily bars over years
label and evaluation:
  --horizon 5  --neutral-band 0  --folds 5
  --bootstrap 1000   block-bootstrap resamples for the 95% intervals (0: none, and the rule cannot pass)
backtest of the held-out signal (long above --upper, flat below --lower, or short with --short;
decided at a bar's close, filled at the next bar's open):
  --upper 0.55  --lower 0.45  --short  --commission 0.005 (per share)  --cost-bps 5 (spread +
  slippage per side)  --bars-per-year N (default: 252 for daily bars, 252 x 6.5 h / interval intraday)
forest:
  --trees 100  --max-depth 10  --min-leaf 20  --max-features sqrt|all|N  --class-weight none|balanced
  --seed 1 (also seeds --sim)  --threads 2
output:
  --out DIR       writes DIR/model.onnx, DIR/report.json and DIR/report.html (the page a person reads)
  --save-csv FILE also writes the bars read to FILE (train again offline with --csv FILE)
  --dump-features FILE  writes the feature rows, labels and fold ids the evaluation used (CSV)
  --register      adds the model to the registry as a candidate (DATABASE_URL)
  --promote       makes it active if it beats the baselines (implies --register)
  --force         promotes even if it does not`;

export interface TrainCommand {
  source: BarSource;
  description: SourceDescription;
  train: TrainOptions;
  out: string;
  saveCsv?: string;
  dumpFeatures?: string;
  register: boolean;
  promote: boolean;
  force: boolean;
}

function usage(message: string): TickstreamError {
  return new TickstreamError('USAGE', message);
}

function int(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < min) throw usage(`--${name} must be an integer >= ${min}, got ${raw}`);
  return v;
}

function num(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (raw.trim() === '' || !(v >= min && v <= max))
    throw usage(`--${name} must be a number in [${min}, ${max}], got ${raw}`);
  return v;
}

function isoTime(name: string, raw: string): string {
  if (Number.isNaN(Date.parse(raw))) throw usage(`--${name} must be an ISO date or time, got ${raw}`);
  return raw;
}

const symbolsOf = (raw: string): string[] =>
  raw
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);

export function parseTrainArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): TrainCommand {
  const { values: v } = parseArgs({
    args: argv,
    strict: true,
    options: {
      csv: { type: 'string' },
      sim: { type: 'boolean' },
      topic: { type: 'boolean' },
      alpaca: { type: 'boolean' },
      symbols: { type: 'string' },
      bars: { type: 'string' },
      'interval-ms': { type: 'string' },
      'sim-start': { type: 'string' },
      start: { type: 'string' },
      end: { type: 'string' },
      timeframe: { type: 'string' },
      feed: { type: 'string' },
      adjustment: { type: 'string' },
      horizon: { type: 'string' },
      'neutral-band': { type: 'string' },
      folds: { type: 'string' },
      bootstrap: { type: 'string' },
      trees: { type: 'string' },
      'max-depth': { type: 'string' },
      'min-leaf': { type: 'string' },
      'max-features': { type: 'string' },
      'class-weight': { type: 'string' },
      seed: { type: 'string' },
      threads: { type: 'string' },
      upper: { type: 'string' },
      lower: { type: 'string' },
      short: { type: 'boolean' },
      commission: { type: 'string' },
      'cost-bps': { type: 'string' },
      'bars-per-year': { type: 'string' },
      out: { type: 'string' },
      'save-csv': { type: 'string' },
      'dump-features': { type: 'string' },
      register: { type: 'boolean' },
      promote: { type: 'boolean' },
      force: { type: 'boolean' },
    },
  });
  const chosen = [
    v.csv !== undefined && 'csv',
    v.sim && 'sim',
    v.topic && 'topic',
    v.alpaca && 'alpaca',
  ].filter(Boolean);
  if (chosen.length !== 1) throw usage('choose exactly one source: --csv FILE, --sim, --topic or --alpaca');
  if (!v.out) throw usage('--out DIR is required');
  const seed = int('seed', v.seed, 1, 0);

  let source: BarSource;
  let description: SourceDescription;
  if (v.csv !== undefined) {
    source = { kind: 'csv', file: v.csv, intervalMs: int('interval-ms', v['interval-ms'], 60_000, 1) };
    description = { kind: 'csv', file: v.csv, intervalMs: source.intervalMs };
  } else if (v.sim) {
    const startTime = Date.parse(isoTime('sim-start', v['sim-start'] ?? '2026-01-05T14:30:00Z'));
    source = {
      kind: 'sim',
      symbols: symbolsOf(v.symbols ?? DEFAULT_SYMBOLS),
      bars: int('bars', v.bars, 3000, 1),
      seed,
      intervalMs: int('interval-ms', v['interval-ms'], 5000, 1),
      startTime,
    };
    description = {
      kind: 'sim',
      symbols: source.symbols,
      bars: source.bars,
      seed,
      intervalMs: source.intervalMs,
      startTime,
    };
  } else if (v.topic) {
    const prefix = env.TOPIC_PREFIX ?? '';
    // KAFKA_BROKERS and the login (KAFKA_SASL_USERNAME, ...) as every service reads them.
    const kafkaConfig = loadConfig({ KAFKA_BROKERS: brokerList('127.0.0.1:9092'), ...kafkaAuthEnv }, env);
    source = {
      kind: 'topic',
      ...kafkaConnection(kafkaConfig),
      registryUrl: env.SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7',
      topicPrefix: prefix,
    };
    description = { kind: 'topic', topic: `${prefix}md.bars.v1` };
  } else {
    if (!v.symbols || !v.start) throw usage('--alpaca needs --symbols and --start');
    const adjustment = v.adjustment ?? 'raw';
    if (adjustment !== 'raw' && adjustment !== 'split' && adjustment !== 'dividend' && adjustment !== 'all')
      throw usage('--adjustment must be raw, split, dividend or all');
    const keyId = env.ALPACA_KEY_ID;
    const secretKey = env.ALPACA_SECRET_KEY;
    if (!keyId || !secretKey)
      throw usage('--alpaca needs ALPACA_KEY_ID and ALPACA_SECRET_KEY in the environment');
    const feed = v.feed ?? 'iex';
    if (feed !== 'iex' && feed !== 'sip' && feed !== 'delayed_sip')
      throw usage(`--feed must be iex, sip or delayed_sip`);
    const window = { start: isoTime('start', v.start), ...(v.end ? { end: isoTime('end', v.end) } : {}) };
    const timeframe = v.timeframe ?? '1Min';
    source = {
      kind: 'alpaca',
      symbols: symbolsOf(v.symbols),
      ...window,
      timeframe,
      feed,
      adjustment,
      keyId,
      secretKey,
      ...(env.ALPACA_DATA_URL ? { baseUrl: env.ALPACA_DATA_URL } : {}),
    };
    description = { kind: 'alpaca', symbols: source.symbols, ...window, timeframe, feed, adjustment };
  }

  const band = Number(v['neutral-band'] ?? '0');
  if (!(band >= 0 && band < 1)) throw usage(`--neutral-band must be in [0, 1), got ${v['neutral-band']}`);
  const forest: Partial<ForestParams> = { seed };
  if (v.trees !== undefined) forest.nTrees = int('trees', v.trees, 100, 1);
  if (v['max-depth'] !== undefined) forest.maxDepth = int('max-depth', v['max-depth'], 10, 0);
  if (v['min-leaf'] !== undefined) forest.minSamplesLeaf = int('min-leaf', v['min-leaf'], 20, 1);
  const mf = v['max-features'];
  if (mf !== undefined)
    forest.maxFeatures = mf === 'sqrt' || mf === 'all' ? mf : int('max-features', mf, 1, 1);
  const cw = v['class-weight'];
  if (cw !== undefined) {
    if (cw !== 'none' && cw !== 'balanced') throw usage(`--class-weight must be none or balanced, got ${cw}`);
    forest.classWeight = cw;
  }
  const backtest: Partial<BacktestOptions> = {};
  const upper = num('upper', v.upper, 0, 1);
  const lower = num('lower', v.lower, 0, 1);
  if (upper !== undefined) backtest.upper = upper;
  if (lower !== undefined) backtest.lower = lower;
  if ((upper ?? 0.55) < (lower ?? 0.45)) throw usage('--lower must not be above --upper');
  if (v.short) backtest.mode = 'long-short';
  const commission = num('commission', v.commission, 0, Infinity);
  if (commission !== undefined) backtest.commissionPerShare = commission;
  const costBps = num('cost-bps', v['cost-bps'], 0, 10_000);
  if (costBps !== undefined) backtest.costBps = costBps;
  const perYear = num('bars-per-year', v['bars-per-year'], 1, Infinity);
  if (perYear !== undefined) backtest.barsPerYear = perYear;
  return {
    source,
    description,
    train: {
      horizon: int('horizon', v.horizon, 5, 1),
      neutralBand: band,
      folds: int('folds', v.folds, 5, 1),
      forest,
      threads: int('threads', v.threads, 2, 1),
      backtest,
      bootstrap: int('bootstrap', v.bootstrap, 1000, 0),
    },
    out: v.out,
    ...(v['save-csv'] ? { saveCsv: v['save-csv'] } : {}),
    ...(v['dump-features'] ? { dumpFeatures: v['dump-features'] } : {}),
    register: Boolean(v.register || v.promote),
    promote: Boolean(v.promote),
    force: Boolean(v.force),
  };
}
