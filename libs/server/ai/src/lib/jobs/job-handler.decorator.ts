import { SetMetadata } from '@nestjs/common';
import type { JobName, JobOf, JobResultOf } from '@crowdsafe/contracts';

export const JOB_HANDLER_METADATA = 'crowdsafe:job-handler';

/** The signature a handler of job `N` must have. */
export type JobHandlerFn<N extends JobName> = (data: JobOf<N>) => Promise<JobResultOf<N>>;

/**
 * Marks a provider method as the handler of job `name` (discovered by JobHandlerRegistry at module init).
 * The method's type is checked against the job's payload and result types.
 *
 *   @JobHandler('detect-batch')
 *   async handle(data: DetectBatchPayload): Promise<DetectBatchResult> { ... }
 */
export function JobHandler<N extends JobName>(name: N) {
  return <T extends JobHandlerFn<N>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<T>): void => {
    SetMetadata(JOB_HANDLER_METADATA, name)(target, key, descriptor);
  };
}
