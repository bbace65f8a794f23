import { cpuPercent, parseNvidiaSmi, percentile, type CpuSample } from './host-stats';

describe('parseNvidiaSmi', () => {
  it.each([
    ['', []],
    ['0, NVIDIA H100 80GB HBM3, 35, 1024, 81559, 41\n', [{ index: 0, name: 'NVIDIA H100 80GB HBM3', utilizationPercent: 35, memoryUsedMiB: 1024, memoryTotalMiB: 81559, temperatureC: 41 }]],
    ['0, Tesla T4, [N/A], 10, 15360, \n1, Tesla T4, 5, 20, 15360, 50', [
      { index: 0, name: 'Tesla T4', utilizationPercent: null, memoryUsedMiB: 10, memoryTotalMiB: 15360, temperatureC: null },
      { index: 1, name: 'Tesla T4', utilizationPercent: 5, memoryUsedMiB: 20, memoryTotalMiB: 15360, temperatureC: 50 },
    ]],
    ['NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver.', []],
  ])('%j', (out, gpus) => expect(parseNvidiaSmi(out)).toEqual(gpus));
});

describe('cpuPercent', () => {
  const s = (ms: number, processUs: number, busy: number, total: number): CpuSample => ({ at: BigInt(ms) * 1_000_000n, processUs, hostBusyMs: busy, hostTotalMs: total });
  it.each([
    ['same instant', s(0, 0, 0, 0), s(0, 0, 0, 0), { process: null, host: null }],
    ['half a core for 1 s, host 25 % busy', s(0, 0, 0, 0), s(1000, 500_000, 500, 2000), { process: 50, host: 25 }],
    ['two threads: 200 % of one core', s(0, 0, 0, 0), s(1000, 2_000_000, 2000, 2000), { process: 200, host: 100 }],
    ['under 100 ms apart', s(0, 0, 0, 0), s(50, 50_000, 10, 100), { process: null, host: null }],
  ])('%s', (_n, a, b, want) => expect(cpuPercent(a, b)).toEqual(want));
});

describe('percentile', () => {
  it.each([
    [[], 50, null],
    [[5], 95, 5],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50, 5],
    [[10, 9, 8, 7, 6, 5, 4, 3, 2, 1], 95, 10],
  ] as [number[], number, number | null][])('%j p%d -> %s', (v, p, want) => expect(percentile(v, p)).toBe(want));
});
