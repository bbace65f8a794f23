import { Injectable } from '@nestjs/common';
import type { JobName, JobOf, JobResultOf } from '@crowdsafe/contracts';
import { JobDispatcher } from './job-dispatcher';
import { JobHandlerRegistry } from './job-handler.registry';

/** Embedded mode: jobs run in this process through the same registry and handlers as the worker. */
@Injectable()
export class InProcessJobDispatcher extends JobDispatcher {
  constructor(private readonly registry: JobHandlerRegistry) {
    super();
  }

  dispatch<N extends JobName>(name: N, data: JobOf<N>): Promise<JobResultOf<N>> {
    return this.registry.handle(name, data);
  }
}
