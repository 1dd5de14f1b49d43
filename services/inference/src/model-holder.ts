import fs from 'node:fs';
import { FEATURE_SET_VERSION } from '@tickstream/contracts';
import { ModelError } from '@tickstream/model';
import type { LoadedModel } from '@tickstream/model/node';
import { loadModel, scoreBatch } from '@tickstream/model/node';
import type { Logger } from '@tickstream/platform';
import { isRetryable } from '@tickstream/platform';
import type { ModelRegistry } from './registry';

export interface ServingModel {
  version: string;
  horizon: number;
  loaded: LoadedModel;
}

interface Slot {
  model: ServingModel;
  /** What it was loaded from: registry `version:sha256`, or the fallback file's path. */
  source: string;
  /** Batches scoring with it right now; its session is released once a swapped-out model is idle. */
  inflight: number;
  retired: boolean;
}

/**
 * The model that serves, swapped whole between batches: a batch scores entirely with the model
 * it started with, so a promotion neither drops nor double-scores a record. A model that fails
 * to load or validate is refused and the current one keeps serving; the same refused bytes are
 * not retried at every poll.
 */
export class ModelHolder {
  private slot: Slot | undefined;
  private refused: string | undefined;
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly deps: {
      registry: ModelRegistry;
      fallbackFile: string;
      log: Logger;
      onSwap?: (version: string) => void;
    },
  ) {}

  get current(): ServingModel | undefined {
    return this.slot?.model;
  }

  /** Loads the registry's active model, or the shipped default when the registry has none. Overlapping calls share one run. */
  refresh(): Promise<void> {
    this.refreshing ??= this.doRefresh().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async doRefresh(): Promise<void> {
    const active = await this.deps.registry.active();
    if (active) {
      const source = `${active.version}:${active.sha256}`;
      if (source === this.slot?.source || source === this.refused) return;
      await this.tryLoad(source, active.version, () => this.deps.registry.bytes(active.version));
    } else if (
      !this.slot &&
      this.refused !== this.deps.fallbackFile &&
      fs.existsSync(this.deps.fallbackFile)
    ) {
      await this.tryLoad(
        this.deps.fallbackFile,
        'default',
        async () => new Uint8Array(fs.readFileSync(this.deps.fallbackFile)),
      );
    }
  }

  private async tryLoad(source: string, version: string, read: () => Promise<Uint8Array>): Promise<void> {
    try {
      const loaded = await loadModel(await read());
      const { featureSetVersion, horizon, modelVersion } = loaded.metadata;
      if (featureSetVersion !== FEATURE_SET_VERSION || !Number.isInteger(horizon) || horizon < 1) {
        await loaded.session.release();
        throw new ModelError(
          'MODEL_FEATURE_MISMATCH',
          `model is for feature set ${featureSetVersion || '(none)'} with horizon ${horizon}; serving ${FEATURE_SET_VERSION}`,
        );
      }
      const name = modelVersion || version;
      const previous = this.slot;
      this.slot = { model: { version: name, horizon, loaded }, source, inflight: 0, retired: false };
      if (previous) this.retire(previous);
      this.deps.log.info({ version: name, replaced: previous?.model.version ?? null }, 'serving model');
      this.deps.onSwap?.(name);
    } catch (err) {
      // A database blip is worth another try at the next poll; bad bytes (a ModelError) are not.
      if (!isRetryable(err)) this.refused = source;
      this.deps.log.error(
        { err, version, serving: this.current?.version ?? null },
        'refused a model; the current one keeps serving',
      );
    }
  }

  private retire(slot: Slot): void {
    slot.retired = true;
    if (slot.inflight === 0) void slot.model.loaded.session.release().catch(() => undefined);
  }

  async score(rows: Float32Array, n: number): Promise<{ model: ServingModel; probUp: Float32Array }> {
    const slot = this.slot;
    if (!slot) throw new Error('no model loaded');
    slot.inflight++;
    try {
      return { model: slot.model, probUp: await scoreBatch(slot.model.loaded.session, rows, n) };
    } finally {
      if (--slot.inflight === 0 && slot.retired)
        void slot.model.loaded.session.release().catch(() => undefined);
    }
  }
}
