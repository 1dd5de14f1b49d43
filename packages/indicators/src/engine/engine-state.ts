import { StateCodecError } from '../state-codec';
import type { FeatureEngineSnapshot } from './feature-engine';
import { FeatureEngine } from './feature-engine';

/**
 * How a features replica writes engine state to features.state.v1. `binary` is the default;
 * `json` is what releases before it wrote and the only layout they read, so a rolling upgrade
 * from one runs the new replicas with `json` until no old replica is left (docs/RUNBOOK.md).
 */
export type EngineStateEncoding = 'binary' | 'json';

const OPEN_BRACE = 0x7b;

export function encodeEngineState(engine: FeatureEngine, encoding: EngineStateEncoding): Uint8Array {
  return encoding === 'binary'
    ? engine.encode()
    : new TextEncoder().encode(JSON.stringify(engine.snapshot()));
}

/** The engine a stored state describes, in either layout. Throws a StateCodecError for bytes it cannot use. */
export function decodeEngineState(bytes: Uint8Array): FeatureEngine {
  if (bytes[0] !== OPEN_BRACE) return FeatureEngine.decode(bytes);
  let snapshot: FeatureEngineSnapshot;
  try {
    snapshot = JSON.parse(new TextDecoder().decode(bytes)) as FeatureEngineSnapshot;
  } catch (err) {
    throw new StateCodecError('STATE_CORRUPT', `engine state is not valid JSON: ${(err as Error).message}`);
  }
  return FeatureEngine.restore(snapshot);
}
