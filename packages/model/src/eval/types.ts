import type { Metrics } from './metrics';

export type Contender = 'model' | 'majority' | 'previousDirection';
export type Scores = Record<Contender, Metrics>;

export interface FoldReport {
  fold: number;
  trainRows: number;
  testRows: number;
  testStart: number;
  /** null: open-ended last fold. */
  testEnd: number | null;
  scores: Scores;
}
