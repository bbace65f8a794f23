import { parseFlags } from './eval';

describe('eval CLI flags', () => {
  const known = ['gt', 'pred', 'json'];
  it('reads --name value and --name=value', () => {
    expect(parseFlags(['--gt', 'a.txt', '--pred=b.txt'], known, ['gt', 'pred'])).toEqual({ gt: 'a.txt', pred: 'b.txt' });
  });
  it.each([
    [['--gt', 'a', '--nope', 'x'], 'unknown option --nope (known: --gt, --pred, --json)'],
    [['--gt'], '--gt needs a value'],
    [['--gt', '--pred', 'b'], '--gt needs a value'],
    [['--gt', 'a', '--gt', 'b', '--pred', 'c'], '--gt given twice'],
    [['a.txt'], "unexpected argument 'a.txt'; see crowdsafe eval --help"],
    [['--gt', 'a'], '--pred is required; see crowdsafe eval --help'],
  ])('rejects %j', (args, message) => {
    expect(() => parseFlags(args, known, ['gt', 'pred'])).toThrow(message);
  });
});
