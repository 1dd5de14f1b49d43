import type { ModelInfo } from '@tickstream/contracts';
import { DEFAULT_SIGNAL_BAND } from '@tickstream/contracts';
import type { ApiClient } from '../api/client';
import { Observable } from './observable';

export type Signal = 'UP' | 'DOWN' | 'NEUTRAL';

/** The call a probability makes: NEUTRAL within 0.5 +/- band, where the model says nothing. */
export function signalOf(probUp: number, band: number = DEFAULT_SIGNAL_BAND): Signal {
  if (probUp > 0.5 + band) return 'UP';
  if (probUp < 0.5 - band) return 'DOWN';
  return 'NEUTRAL';
}

/** The better of the two naive baselines on held-out accuracy: what the model has to beat. */
export function bestBaseline(info: ModelInfo): { name: string; accuracy: number } {
  const { majority, previousDirection } = info.heldOut.baselines;
  return majority.accuracy >= previousDirection.accuracy
    ? { name: 'always the majority', accuracy: majority.accuracy }
    : { name: 'previous direction', accuracy: previousDirection.accuracy };
}

/** Each model version's record, fetched once; a version that cannot be read is asked again later. */
export class ModelInfoStore extends Observable<{ byVersion: Record<string, ModelInfo> }> {
  private readonly asked = new Map<string, number>();

  constructor(private readonly api: Pick<ApiClient, 'modelInfo'>) {
    super({ byVersion: {} });
  }

  get(version: string): ModelInfo | null {
    const known = this.current.byVersion[version];
    if (known) return known;
    const last = this.asked.get(version);
    if (last === undefined || Date.now() - last > 60_000) {
      this.asked.set(version, Date.now());
      this.api.modelInfo(version).then(
        (info) => this.set({ byVersion: { ...this.current.byVersion, [version]: info } }),
        () => undefined,
      );
    }
    return null;
  }
}
