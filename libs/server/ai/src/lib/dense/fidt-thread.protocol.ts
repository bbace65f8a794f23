// Messages between ThreadedFidtCounter (main thread) and fidt.thread (the worker thread). Plain data only.
// Errors cross as the detector thread's WireError (same helpers), so StartupError keeps its message and hint.
import type { WireError } from '../detector/detector-thread.protocol';
import type { DensityCount, FidtCounterOptions, FidtModelInfo } from './fidt-counter';

export interface FidtThreadInit {
  options: FidtCounterOptions;
}

export type FidtThreadRequest =
  | { type: 'count'; id: number; width: number; height: number; maxSide?: number; scale?: number; buffer: ArrayBuffer }
  | { type: 'close' };

export type FidtThreadReply =
  | { type: 'ready'; info: FidtModelInfo }
  | { type: 'load-failed'; error: WireError }
  | { type: 'result'; id: number; result: DensityCount }
  | { type: 'failed'; id: number; error: WireError };
