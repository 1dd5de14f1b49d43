import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ModelError } from '../errors';
import { prepareTrainingSet, publicParams, resolveParams } from '../forest/forest';
import type { FlatTree, Forest, ForestParams, TrainingData } from '../forest/types';
import { growTree } from '../forest/tree';
import type { WorkerInit } from './worker';

export interface ParallelOptions {
  /** Worker threads; default one per core. 1 trains on the calling thread. */
  threads?: number;
}

/**
 * The worker next to this file: worker.js once compiled, started directly. From sources (jest,
 * tsx) it is worker.ts, which a thread cannot load by itself (--import tsx in execArgv does not
 * reach a worker's entry on Node 20), so a one-line eval bootstrap registers tsx's require hook
 * first.
 */
function startWorker(init: WorkerInit): Worker {
  const ext = path.extname(__filename);
  const file = path.join(__dirname, `worker${ext}`);
  if (ext !== '.ts') return new Worker(file, { workerData: init });
  const bootstrap = `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(file)});`;
  return new Worker(bootstrap, { eval: true, workerData: init });
}

/**
 * Trains on worker threads, handing out one tree at a time so a slow tree does not idle a core.
 * The forest equals trainForest's with the same params: each tree's randomness depends only on
 * (seed, tree index), and trees are stored by index, not in order of completion.
 *
 * @example
 *   const forest = await trainForestParallel(data, { nTrees: 200, seed: 7 }, { threads: 2 });
 */
export async function trainForestParallel(
  data: TrainingData,
  params: Partial<ForestParams> = {},
  options: ParallelOptions = {},
): Promise<Forest> {
  const resolved = resolveParams(data, params);
  const threads = Math.min(options.threads ?? availableParallelism(), resolved.nTrees);
  const set = prepareTrainingSet(data, resolved, threads > 1);
  const trees: FlatTree[] = new Array<FlatTree>(resolved.nTrees);
  if (threads <= 1) {
    for (let t = 0; t < resolved.nTrees; t++) trees[t] = growTree(set, resolved, t);
  } else {
    await runWorkers({ set, params: resolved }, threads, trees);
  }
  return { nFeatures: data.nFeatures, params: publicParams(params), trees };
}

async function runWorkers(init: WorkerInit, threads: number, trees: FlatTree[]): Promise<void> {
  const workers = Array.from({ length: threads }, () => startWorker(init));
  let next = 0;
  let done = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (cause: unknown): void =>
        reject(new ModelError('TRAINING_FAILED', `a training worker failed: ${String(cause)}`, { cause }));
      for (const worker of workers) {
        worker.on('error', fail);
        worker.on('exit', (code) => {
          if (done < trees.length)
            fail(new Error(`worker exited with code ${code} before training finished`));
        });
        worker.on('message', (msg: { treeIndex: number; tree: FlatTree }) => {
          trees[msg.treeIndex] = msg.tree;
          if (++done === trees.length) resolve();
          else if (next < trees.length) worker.postMessage(next++);
        });
        worker.postMessage(next++);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
