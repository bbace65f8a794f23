import type { DensityCountPayload, DensityCountResult } from '@crowdsafe/contracts';
import type { JobDispatcher } from '../jobs/job-dispatcher';

export class DensityFrameMissingError extends Error {
  constructor(cameraId: string, seq: number) {
    super(`frame ${cameraId}#${seq} expired from the frame store before the density model ran`);
    this.name = 'DensityFrameMissingError';
  }
}

/**
 * The camera runtimes' side of the density census: dispatches `density-count` jobs (BullMQ to the inference workers
 * with REDIS_URL, in-process otherwise). The model never runs in the caller; the frame travels as a FrameRef.
 */
export class DensityCensusClient {
  constructor(
    private readonly dispatcher: Pick<JobDispatcher, 'dispatch'>,
    /** FIDT_MAX_SIDE: the compute cap passed with every job. */
    readonly maxSide: number,
  ) {}

  async count(payload: DensityCountPayload): Promise<DensityCountResult> {
    const r = await this.dispatcher.dispatch('density-count', payload);
    if (r.missing) throw new DensityFrameMissingError(payload.cameraId, payload.frame.seq);
    return r;
  }
}
