import type { JobName, JobOf, JobResultOf } from '@crowdsafe/contracts';

/** Runs a typed job somewhere (this process or a worker via BullMQ) and resolves with its result (DI token). */
export abstract class JobDispatcher {
  abstract dispatch<N extends JobName>(name: N, data: JobOf<N>): Promise<JobResultOf<N>>;
}
