import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Logger, Module, type DynamicModule, type Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '@crowdsafe/server-config';
import { StartupError } from '@crowdsafe/server-core';
import { DensityCensusClient } from './dense/density-census';
import { ThreadedFidtCounter } from './dense/threaded-fidt-counter';
import { PersonDetector } from './detector/person-detector';
import { ThreadedPersonDetector } from './detector/threaded-person-detector';
import { FrameStore } from './frame-store/frame-store';
import { InMemoryFrameStore } from './frame-store/in-memory-frame-store';
import { RedisFrameStore } from './frame-store/redis-frame-store';
import { InferenceClient } from './inference/inference-client';
import { BullMqJobConsumer } from './jobs/bullmq-job-consumer';
import { BullMqJobDispatcher } from './jobs/bullmq-job-dispatcher';
import { DENSITY_MODEL, DensityCountHandler, type DensityModel } from './jobs/density-count.handler';
import { DetectBatchHandler } from './jobs/detect-batch.handler';
import { InProcessJobDispatcher } from './jobs/in-process-job-dispatcher';
import { JobDispatcher } from './jobs/job-dispatcher';
import { JobHandlerRegistry } from './jobs/job-handler.registry';
import type { SessionTuningConfig } from './tuning/session-tuner';

export const WORKER_NEEDS_REDIS = 'the worker needs REDIS_URL; in embedded mode inference runs inside the api process';

/**
 * Loads (and validates) the model while the module initialises: a bad MODEL_PATH stops startup. The model runs
 * in a worker thread (an OnnxYoloDetector there): onnxruntime-node's session.run is synchronous and would
 * otherwise block this process's event loop (ffmpeg pipes, HTTP, socket.io, BullMQ lock renewals) per inference.
 */
/**
 * onnxruntime intra-op threads. INFERENCE_THREADS=0 means automatic: a dedicated worker process uses onnxruntime's
 * default (all cores); the embedded api leaves one core to ffmpeg decoding and the event loop. Measured on 2 cores
 * (./crowdsafe bench): 1 thread sustains 0.90 of the detector's raw rate end to end, 2 threads only 0.73, because
 * the spinning ORT threads then compete with ffmpeg.
 */
export function intraOpThreads(configured: number, role: 'embedded' | 'worker', cores = availableParallelism()): number {
  if (configured > 0) return configured;
  return role === 'worker' ? 0 : Math.max(1, cores - 1);
}

/**
 * How a model's onnxruntime session options are chosen at load: measured (cached in DATA_DIR/onnx-tuning) over
 * graph optimisation levels x 1..maxThreads intra-op threads, where maxThreads is the role's bound (embedded api:
 * cores - 1, worker: all cores); ONNX_GRAPH_OPTIMIZATION / a thread setting > 0 force their dimension.
 */
export function sessionTuningOf(c: AppConfig, role: 'embedded' | 'worker', configuredThreads: number, cores = availableParallelism()): SessionTuningConfig {
  const level = c.inference.graphOptimization;
  return {
    cacheDir: join(c.dataDir, 'onnx-tuning'),
    forced: { ...(level !== 'auto' ? { level } : {}), ...(configuredThreads > 0 ? { threads: configuredThreads } : {}) },
    maxThreads: role === 'worker' ? Math.max(1, cores) : Math.max(1, cores - 1),
  };
}

function detectorProvider(role: 'embedded' | 'worker'): Provider {
  return {
    provide: PersonDetector,
    inject: [APP_CONFIG],
    useFactory: (c: AppConfig) =>
      ThreadedPersonDetector.load({
        modelPath: c.inference.modelPath,
        executionProvider: c.inference.executionProvider,
        tuning: sessionTuningOf(c, role, c.inference.threads),
        threads: intraOpThreads(c.inference.threads, role),
        defaults: { confidence: c.inference.confidence, iou: c.inference.iou, maxDetections: c.inference.maxDetections },
        maxBatch: c.inference.batchSize,
        // Callers are bounded already (maxInFlight jobs in the api, workerConcurrency in a worker); this is a backstop.
        maxQueue: Math.max(64, c.inference.maxInFlight, c.inference.workerConcurrency),
        logger: new Logger('PersonDetector'),
      }),
  };
}

/**
 * Injection token of the density census used by the camera runtimes (a DensityCensusClient dispatching
 * `density-count` jobs), or null when FIDT_MODEL_PATH is not set.
 */
export const DENSITY_COUNTER = Symbol('DENSITY_COUNTER');
export type DensityCounter = DensityCensusClient;

const densityCensusProvider: Provider = {
  provide: DENSITY_COUNTER,
  inject: [JobDispatcher, APP_CONFIG],
  useFactory: (d: JobDispatcher, c: AppConfig): DensityCounter | null => (c.dense.modelPath ? new DensityCensusClient(d, c.dense.maxSide) : null),
};

/**
 * The density model itself (FIDT in a worker thread) for the density-count handler: in the inference workers, and in
 * the embedded api. Loaded after the detector (inject) so that the two session tunings never time each other.
 * A path that is set but unreadable or not a FIDT export stops startup (its StartupError names FIDT_MODEL_PATH).
 */
function densityModelProvider(role: 'embedded' | 'worker'): Provider {
  return {
    provide: DENSITY_MODEL,
    inject: [APP_CONFIG, PersonDetector],
    useFactory: async (c: AppConfig, _detectorLoadedFirst: PersonDetector): Promise<DensityModel | null> => {
      if (!c.dense.modelPath) return null;
      const counter = await ThreadedFidtCounter.load({
        modelPath: c.dense.modelPath,
        threads: c.dense.threads,
        maxSide: c.dense.maxSide,
        settingName: 'FIDT_MODEL_PATH',
        tuning: sessionTuningOf(c, role, c.dense.threads),
      });
      const log = new Logger('DensityModel');
      log.log(`density model ${c.dense.modelPath} loaded (compute cap: longest side ${c.dense.maxSide}; one census per camera per ${c.dense.intervalMs} ms)`);
      log.log(counter.info.session.summary);
      return counter;
    },
  };
}

/** Logs the detector's session choice once it is loaded. */
const detectorTuningLog: Provider = {
  provide: 'DETECTOR_TUNING_LOG',
  inject: [PersonDetector],
  useFactory: (d: PersonDetector) => {
    const s = (d as { info?: { session?: { summary: string } } }).info?.session;
    if (s) new Logger('PersonDetector').log(s.summary);
    return true;
  },
};

const redisFrameStoreProvider: Provider = {
  provide: FrameStore,
  inject: [APP_CONFIG],
  useFactory: (c: AppConfig) => {
    if (!c.queue.redisUrl) throw new StartupError(WORKER_NEEDS_REDIS);
    return RedisFrameStore.connect(c.queue.redisUrl, {
      prefix: c.queue.prefix,
      ttlMs: c.queue.frameTtlMs,
      framesPerCamera: c.queue.framesPerCamera,
    });
  },
};

const memoryFrameStoreProvider: Provider = {
  provide: FrameStore,
  inject: [APP_CONFIG],
  useFactory: (c: AppConfig) => new InMemoryFrameStore({ framesPerCamera: c.queue.framesPerCamera, ttlMs: c.queue.frameTtlMs }),
};

const inferenceClientProvider: Provider = {
  provide: InferenceClient,
  inject: [JobDispatcher, APP_CONFIG],
  useFactory: (d: JobDispatcher, c: AppConfig) =>
    new InferenceClient(d, { batchSize: c.inference.batchSize, maxInFlight: c.inference.maxInFlight }),
};

/**
 * Inference wiring.
 * - forApi: FrameStore + JobDispatcher + InferenceClient. With REDIS_URL, frames go to Redis and jobs to
 *   workers through BullMQ; without it the detector, density model, handlers and registry run in this process
 *   (embedded). Both also provide DENSITY_COUNTER (the density census client dispatching `density-count` jobs, or
 *   null when FIDT_MODEL_PATH is unset).
 * - forWorker: RedisFrameStore + detector + density model (FIDT_MODEL_PATH) + registry + handlers + BullMqJobConsumer.
 * APP_CONFIG is provided inside the module, so it works with or without a global APP_CONFIG.
 */
@Module({})
export class AiModule {
  static forApi(config: AppConfig): DynamicModule {
    const configProvider: Provider = { provide: APP_CONFIG, useValue: config };
    if (config.queue.redisUrl) {
      return {
        module: AiModule,
        global: true, // FrameStore and InferenceClient are used by the camera runtimes
        providers: [
          configProvider,
          redisFrameStoreProvider,
          {
            provide: JobDispatcher,
            inject: [APP_CONFIG],
            useFactory: (c: AppConfig) =>
              new BullMqJobDispatcher({ redisUrl: c.queue.redisUrl as string, prefix: c.queue.prefix, timeoutMs: c.inference.timeoutMs }),
          },
          inferenceClientProvider,
          // Censuses run on the workers (queue 'density'); the api loads no model.
          densityCensusProvider,
        ],
        exports: [FrameStore, JobDispatcher, InferenceClient, DENSITY_COUNTER],
      };
    }
    return {
      module: AiModule,
      global: true,
      imports: [DiscoveryModule],
      providers: [
        configProvider,
        memoryFrameStoreProvider,
        detectorProvider('embedded'),
        detectorTuningLog,
        densityModelProvider('embedded'),
        DetectBatchHandler,
        DensityCountHandler,
        JobHandlerRegistry,
        { provide: JobDispatcher, useClass: InProcessJobDispatcher },
        inferenceClientProvider,
        densityCensusProvider,
      ],
      exports: [FrameStore, JobDispatcher, InferenceClient, PersonDetector, DENSITY_COUNTER],
    };
  }

  static forWorker(config: AppConfig): DynamicModule {
    if (!config.queue.redisUrl) throw new StartupError(WORKER_NEEDS_REDIS);
    return {
      module: AiModule,
      imports: [DiscoveryModule],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        redisFrameStoreProvider,
        detectorProvider('worker'),
        detectorTuningLog,
        densityModelProvider('worker'),
        DetectBatchHandler,
        DensityCountHandler,
        JobHandlerRegistry,
        {
          provide: BullMqJobConsumer,
          inject: [JobHandlerRegistry, APP_CONFIG],
          useFactory: (r: JobHandlerRegistry, c: AppConfig) =>
            new BullMqJobConsumer(r, { redisUrl: c.queue.redisUrl as string, prefix: c.queue.prefix, concurrency: c.inference.workerConcurrency }),
        },
      ],
      exports: [FrameStore, PersonDetector, JobHandlerRegistry, BullMqJobConsumer],
    };
  }
}
