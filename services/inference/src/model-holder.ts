import fs from 'node:fs';
import type { LoadedModel } from '@tickstream/model';
import { loadModel, scoreBatch } from '@tickstream/model';
import type { Logger } from '@tickstream/platform';
import type { ModelRegistry } from './registry';

export interface ServingModel {
  version: string;
  horizon: number;
  loaded: LoadedModel;
}

/**
 * The model that serves, swapped whole between batches: a batch scores entirely with the model
 * it started with, so a promotion neither drops nor double-scores a record. A model that fails
 * to load or validate is refused and the current one keeps serving.
 */
export class ModelHolder {
  current: ServingModel | undefined;

  constructor(private readonly deps: { registry: ModelRegistry; fallbackFile: string; log: Logger; onSwap?: (version: string) => void }) {}

  /** Loads the registry's active model, or the shipped default when the registry has none. */
  async refresh(): Promise<void> {
    const active = await this.deps.registry.active();
    if (active) {
      if (active.version === this.current?.version) return;
      await this.tryLoad(active.version, () => this.deps.registry.bytes(active.version));
    } else if (!this.current && fs.existsSync(this.deps.fallbackFile)) {
      await this.tryLoad('default', async () => new Uint8Array(fs.readFileSync(this.deps.fallbackFile)));
    }
  }

  private async tryLoad(version: string, read: () => Promise<Uint8Array>): Promise<void> {
    try {
      const loaded = await loadModel(await read());
      const name = loaded.metadata.modelVersion || version;
      this.current = { version: name, horizon: loaded.metadata.horizon, loaded };
      this.deps.log.info({ version: name }, 'serving model');
      this.deps.onSwap?.(name);
    } catch (err) {
      this.deps.log.error({ err, version, serving: this.current?.version }, 'refused a model; the current one keeps serving');
    }
  }

  async score(rows: Float32Array, n: number): Promise<{ model: ServingModel; probUp: Float32Array }> {
    const model = this.current;
    if (!model) throw new Error('no model loaded');
    return { model, probUp: await scoreBatch(model.loaded.session, rows, n) };
  }
}
