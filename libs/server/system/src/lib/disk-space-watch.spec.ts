import type { SystemNotificationEvent } from '@crowdsafe/contracts';
import { DiskSpaceWatch, isDiskLow } from './disk-space-watch';

const GiB = 1024 ** 3;

describe('DiskSpaceWatch', () => {
  it.each<[number, number, boolean]>([
    [0, 0, true],
    [0.5 * GiB, 1000 * GiB, true], // below 1 GiB
    [5 * GiB, 100 * GiB, true], // 5 %
    [10 * GiB, 100 * GiB, false], // 10 %
    [2 * GiB, 4 * GiB, false],
  ])('free %d of %d -> low %s', (free, total, low) => expect(isDiskLow({ path: '/d', freeBytes: free, totalBytes: total })).toBe(low));

  it('notifies on a change of state only', async () => {
    const sent: SystemNotificationEvent[] = [];
    const watch = new DiskSpaceWatch({ dataDir: '/d' } as never, { publishSystemNotification: (e: SystemNotificationEvent) => sent.push(e) } as never);
    const d = (free: number) => ({ path: '/d', freeBytes: free * GiB, totalBytes: 100 * GiB });
    expect(await watch.check(d(50))).toBe(false);
    expect(await watch.check(d(5))).toBe(true);
    expect(await watch.check(d(4))).toBe(true);
    expect(await watch.check(d(60))).toBe(false);
    expect(await watch.check(null)).toBeNull();
    expect(sent.map((e) => [e.kind, e.level])).toEqual([
      ['disk', 'warning'],
      ['disk', 'info'],
    ]);
  });
});
