import { heartbeatOf } from './camera-leases';

describe('heartbeatOf', () => {
  it.each([
    ['no node at all', ['1000'], 'a', { nodes: [], nextExpiryMs: null }],
    ['only this node', ['1000', 'a', '1000'], 'a', { nodes: ['a'], nextExpiryMs: null }],
    ['another node, beat 2 s ago of 8 s', ['10000', 'b', '8000', 'a', '10000'], 'a', { nodes: ['a', 'b'], nextExpiryMs: 6000 }],
    ['the earliest of two others', ['10000', 'c', '9000', 'b', '4000', 'a', '10000'], 'a', { nodes: ['a', 'b', 'c'], nextExpiryMs: 2000 }],
    ['an overdue node counts as due now', ['20000', 'b', '1000', 'a', '20000'], 'a', { nodes: ['a', 'b'], nextExpiryMs: 0 }],
  ])('%s', (_name, reply, self, expected) => {
    expect(heartbeatOf(reply, self, 8000)).toEqual(expected);
  });

  it('a malformed reply is named', () => {
    expect(() => heartbeatOf(['1', 'a'], 'a', 8000)).toThrow(/heartbeat reply/);
  });
});
