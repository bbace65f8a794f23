import { rendezvousOwner } from './rendezvous';

const cameras = Array.from({ length: 400 }, (_, i) => `cam-${i}`);

describe('rendezvousOwner', () => {
  it.each([
    { name: 'no node', nodes: [], want: null },
    { name: 'one node', nodes: ['a'], want: 'a' },
  ])('$name', ({ nodes, want }) => {
    expect(rendezvousOwner('cam-1', nodes)).toBe(want);
  });

  it('does not depend on the order of the node list', () => {
    for (const c of cameras.slice(0, 50)) expect(rendezvousOwner(c, ['a', 'b', 'c'])).toBe(rendezvousOwner(c, ['c', 'a', 'b']));
  });

  it('spreads cameras over the nodes', () => {
    const counts = new Map<string, number>();
    for (const c of cameras) {
      const o = rendezvousOwner(c, ['a', 'b', 'c', 'd']) ?? '';
      counts.set(o, (counts.get(o) ?? 0) + 1);
    }
    for (const n of ['a', 'b', 'c', 'd']) expect(counts.get(n)).toBeGreaterThan(60); // 100 expected each
  });

  it('adding a node moves only the cameras it wins; removing one moves only its own', () => {
    const before = new Map(cameras.map((c) => [c, rendezvousOwner(c, ['a', 'b', 'c'])]));
    const added = new Map(cameras.map((c) => [c, rendezvousOwner(c, ['a', 'b', 'c', 'd'])]));
    const moved = cameras.filter((c) => before.get(c) !== added.get(c));
    for (const c of moved) expect(added.get(c)).toBe('d');
    expect(moved.length).toBeGreaterThan(50);
    expect(moved.length).toBeLessThan(150); // ~1/4
    const removed = new Map(cameras.map((c) => [c, rendezvousOwner(c, ['a', 'c'])]));
    for (const c of cameras) if (before.get(c) !== 'b') expect(removed.get(c)).toBe(before.get(c));
  });
});
