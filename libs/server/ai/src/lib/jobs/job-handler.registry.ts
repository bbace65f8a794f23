import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { JOB_NAMES, type JobName, type JobOf, type JobResultOf } from '@crowdsafe/contracts';
import { StartupError } from '@crowdsafe/server-core';
import { JOB_HANDLER_METADATA } from './job-handler.decorator';

type AnyHandler = (data: unknown) => Promise<unknown>;

/** Unknown job name at run time (a producer newer than this worker, or a typo). */
export class UnknownJobError extends Error {
  constructor(readonly jobName: string) {
    super(`no handler for job '${jobName}' (known: ${JOB_NAMES.join(', ')})`);
    this.name = 'UnknownJobError';
  }
}

/**
 * Finds every @JobHandler method among the application's providers at module init and routes jobs to them.
 * Startup fails (StartupError) when a name in JOB_NAMES has no handler or a name has two.
 * Used by the worker (BullMqJobConsumer) and, in embedded mode, by InProcessJobDispatcher: one code path.
 */
@Injectable()
export class JobHandlerRegistry implements OnModuleInit {
  private readonly handlers = new Map<string, { fn: AnyHandler; owner: string }>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  onModuleInit(): void {
    this.handlers.clear();
    const duplicates: string[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      // Request-scoped/transient providers have no single instance; jobs are singletons' business.
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const proto = Object.getPrototypeOf(instance) as object | null;
      if (!proto) continue;
      for (const method of this.scanner.getAllMethodNames(proto)) {
        const fn = (instance as Record<string, unknown>)[method];
        if (typeof fn !== 'function') continue;
        const name: unknown = Reflect.getMetadata(JOB_HANDLER_METADATA, fn);
        if (typeof name !== 'string') continue;
        const owner = `${instance.constructor.name}.${method}`;
        const existing = this.handlers.get(name);
        if (existing && existing.owner !== owner) {
          duplicates.push(`'${name}' (${existing.owner} and ${owner})`);
          continue;
        }
        this.handlers.set(name, { fn: (fn as AnyHandler).bind(instance), owner });
      }
    }
    if (duplicates.length) throw new StartupError(`Jobs with more than one handler: ${duplicates.join(', ')}`);
    const missing = JOB_NAMES.filter((n) => !this.handlers.has(n));
    if (missing.length) {
      throw new StartupError(
        `No handler for job${missing.length > 1 ? 's' : ''} ${missing.map((n) => `'${n}'`).join(', ')}: every name in JOB_NAMES needs a @JobHandler method on a provider of this process`,
        'Import the module that provides the handler (AiModule.forWorker / AiModule.forApi in embedded mode).',
      );
    }
  }

  /** Job names with a handler. */
  names(): string[] {
    return [...this.handlers.keys()];
  }

  has(name: string): name is JobName {
    return this.handlers.has(name);
  }

  /** Run the handler of `name`. Rejects with UnknownJobError for a name without a handler. */
  handle<N extends JobName>(name: N, data: JobOf<N>): Promise<JobResultOf<N>> {
    const h = this.handlers.get(name);
    if (!h) return Promise.reject(new UnknownJobError(name));
    return h.fn(data) as Promise<JobResultOf<N>>;
  }
}
