import 'reflect-metadata';
import { Injectable } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import type { DensityCountPayload, DensityCountResult, DetectBatchPayload, DetectBatchResult } from '@crowdsafe/contracts';
import { StartupError } from '@crowdsafe/server-core';
import { JobHandler } from './job-handler.decorator';
import { JobHandlerRegistry, UnknownJobError } from './job-handler.registry';

/** A handler provider for the registry to find (the registry is the component under test). */
@Injectable()
class EchoDetectHandler {
  @JobHandler('detect-batch')
  async handle(data: DetectBatchPayload): Promise<DetectBatchResult> {
    return {
      results: data.frames.map((f) => ({ key: f.key, cameraId: f.cameraId, seq: f.seq, capturedAt: f.capturedAt, detections: [] })),
      worker: 'echo',
      timings: { fetchMs: 0, preprocessMs: 0, inferenceMs: 0, postprocessMs: 0 },
    };
  }

  notAHandler(): string {
    return 'ignored';
  }
}

@Injectable()
class SecondDetectHandler {
  @JobHandler('detect-batch')
  async run(_data: DetectBatchPayload): Promise<DetectBatchResult> {
    throw new Error('unreachable');
  }
}

@Injectable()
class EchoDensityHandler {
  @JobHandler('density-count')
  async handle(data: DensityCountPayload): Promise<DensityCountResult> {
    return { cameraId: data.cameraId, seq: data.frame.seq, capturedAt: data.frame.capturedAt, estimate: { count: 0, method: 'density-model', low: 0, high: 0 }, points: [], inputSize: { width: 0, height: 0 }, worker: 'echo', timings: { fetchMs: 0, preprocessMs: 0, inferenceMs: 0, decodeMs: 0 } };
  }
}

@Injectable()
class Unrelated {
  value = 1;
}

async function start(providers: (new (...args: never[]) => unknown)[]) {
  const moduleRef = await Test.createTestingModule({ imports: [DiscoveryModule], providers: [JobHandlerRegistry, ...providers] }).compile();
  return moduleRef.init();
}

describe('JobHandlerRegistry', () => {
  it.each([
    ['no providers at all', []],
    ['only unrelated providers', [Unrelated]],
  ])('refuses to start with %s, naming the job without a handler', async (_name, providers) => {
    const init = start(providers);
    await expect(init).rejects.toThrow(StartupError);
    await expect(start(providers)).rejects.toThrow(/No handler for jobs 'detect-batch', 'density-count'/);
  });

  it('names the one job left without a handler', async () => {
    await expect(start([EchoDetectHandler])).rejects.toThrow(/No handler for job 'density-count'/);
  });

  it('refuses two handlers for one job, naming both', async () => {
    await expect(start([EchoDetectHandler, SecondDetectHandler])).rejects.toThrow(
      /'detect-batch' \(EchoDetectHandler.handle and SecondDetectHandler.run\)/,
    );
  });

  it('routes a job to its handler', async () => {
    const app = await start([EchoDetectHandler, EchoDensityHandler, Unrelated]);
    const registry = app.get(JobHandlerRegistry);
    expect(registry.names()).toEqual(['detect-batch', 'density-count']);
    const ref = { key: 'frame:c:1', cameraId: 'c', seq: 1, capturedAt: 5, width: 2, height: 2 };
    await expect(registry.handle('detect-batch', { frames: [ref] })).resolves.toEqual({
      results: [{ key: 'frame:c:1', cameraId: 'c', seq: 1, capturedAt: 5, detections: [] }],
      worker: 'echo',
      timings: { fetchMs: 0, preprocessMs: 0, inferenceMs: 0, postprocessMs: 0 },
    });
    await app.close();
  });

  it('rejects a job name without a handler', async () => {
    const app = await start([EchoDetectHandler, EchoDensityHandler]);
    const registry = app.get(JobHandlerRegistry);
    expect(registry.has('nope')).toBe(false);
    await expect(registry.handle('nope' as 'detect-batch', { frames: [] })).rejects.toThrow(UnknownJobError);
    await app.close();
  });
});
