import type { Logger } from '@tickstream/platform';
import { ConfigError } from '@tickstream/platform';
import type { z } from 'zod';
import type { ingestEnv } from './config';
import type { IngestMetrics } from './metrics';
import type { MarketSink, MarketSource, SourceState } from './sources/types';
import { createAlpacaSource } from './sources/alpaca/stream-source';
import { createReplaySource } from './sources/replay/replay-source';
import { createSimSource } from './sources/sim/sim-source';

type IngestConfig = z.infer<z.ZodObject<typeof ingestEnv>>;

/** Builds the configured market source, wired to the publisher and the feed metrics. */
export function createSource(
  config: IngestConfig,
  sink: MarketSink,
  log: Logger,
  metrics: IngestMetrics,
): MarketSource {
  let previous: SourceState = 'idle';
  const onStateChange = (state: SourceState, detail?: string) => {
    metrics.feedState.set(state === 'running' ? 1 : 0);
    if (state === 'running' && previous === 'reconnecting') metrics.reconnects.inc();
    if (state !== previous) log.info({ state, detail }, 'feed state');
    previous = state;
  };
  const onError = (code: number | string) => metrics.feedErrors.inc({ code: String(code) });
  switch (config.INGEST_SOURCE) {
    case 'sim':
      return createSimSource({
        sink,
        symbols: config.DEFAULT_SYMBOLS,
        seed: config.SIM_SEED,
        barIntervalMs: config.SIM_BAR_INTERVAL_MS,
        speed: config.SIM_SPEED,
        historyBars: config.SIM_HISTORY_BARS,
        logger: log,
        onStateChange,
      });
    case 'alpaca':
      if (!config.ALPACA_KEY_ID || !config.ALPACA_SECRET_KEY) {
        throw new ConfigError('INGEST_SOURCE=alpaca needs ALPACA_KEY_ID and ALPACA_SECRET_KEY');
      }
      return createAlpacaSource({
        sink,
        keyId: config.ALPACA_KEY_ID,
        secretKey: config.ALPACA_SECRET_KEY,
        feed: config.ALPACA_FEED,
        url: config.ALPACA_STREAM_URL,
        encoding: config.ALPACA_FRAMING,
        symbols: config.DEFAULT_SYMBOLS,
        logger: log,
        onError,
        onStateChange,
      });
    case 'replay': {
      if (config.REPLAY_FILES.length === 0)
        throw new ConfigError('INGEST_SOURCE=replay needs REPLAY_FILES (comma-separated .csv/.ndjson paths)');
      const replay = createReplaySource({
        sink,
        files: config.REPLAY_FILES,
        speed: config.REPLAY_SPEED === 'max' ? 'max' : Number(config.REPLAY_SPEED),
        intervalMs: config.REPLAY_INTERVAL_MS,
        logger: log,
        onError,
        onStateChange,
      });
      // A replay publishes what its files hold; watchlist demand does not filter it.
      return {
        ...replay,
        name: replay.name,
        get state() {
          return replay.state;
        },
        setSymbols: async () => undefined,
      };
    }
  }
}
