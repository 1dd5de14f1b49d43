// Worker thread entry: grows the trees the parent asks for, one message per tree. Imports only
// the pure forest code, so it starts fast and runs the same from sources (tsx) or from dist.
import { parentPort, workerData } from 'node:worker_threads';
import type { BinnedTrainingSet } from '../forest/tree';
import { growTree } from '../forest/tree';
import type { ResolvedParams } from '../forest/types';

export interface WorkerInit {
  set: BinnedTrainingSet;
  params: ResolvedParams;
}

const port = parentPort;
if (!port) throw new Error('train/worker must run in a worker thread');
const { set, params } = workerData as WorkerInit;

port.on('message', (treeIndex: number) => {
  const tree = growTree(set, params, treeIndex);
  const { feature, threshold, left, right, value } = tree;
  // Transfer, not copy: growTree allocated these buffers as plain ArrayBuffers.
  port.postMessage(
    { treeIndex, tree },
    [feature, threshold, left, right, value].map((a) => a.buffer as ArrayBuffer),
  );
});
