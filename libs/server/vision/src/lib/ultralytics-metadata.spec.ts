import { parsePythonLiteral, PythonLiteralError } from './python-literal';
import { parseUltralyticsMetadata } from './ultralytics-metadata';

describe('parsePythonLiteral', () => {
  it.each([
    ['{}', new Map()],
    ['[]', []],
    ["''", ''],
    ['0', 0],
    ['-12', -12],
    ['1.5e3', 1500],
    ['1_000', 1000],
    ['True', true],
    ['False', false],
    ['None', null],
    ['[640, 640]', [640, 640]],
    ['(8, 16, 32)', [8, 16, 32]],
    ["[1, 'a',]", [1, 'a']],
    ["{0: 'person', 1: 'bicycle'}", new Map<number, string>([[0, 'person'], [1, 'bicycle']])],
    [`{0: "it's", 1: 'say "hi"', 2: 'a\\'b', 3: 'back\\\\slash', 4: 'caf\\xe9', 5: '\\u00e9t\\u00e9', 6: 'tab\\tnew\\nline', 7: 'x\\qy'}`,
      new Map<number, string>([[0, "it's"], [1, 'say "hi"'], [2, "a'b"], [3, 'back\\slash'], [4, 'café'], [5, 'été'], [6, 'tab\tnew\nline'], [7, 'x\\qy']])],
    ["{'batch': 1, 'dynamic': False, 'nested': {'k': [None]}}", new Map<string, unknown>([['batch', 1], ['dynamic', false], ['nested', new Map([['k', [null]]])]])],
    ["'ab' \"cd\"", 'abcd'],
    ['  { 0 :\n  "x" }  ', new Map([[0, 'x']])],
  ])('%s', (text, expected) => {
    expect(parsePythonLiteral(text)).toEqual(expected);
  });

  it.each([
    ['', /end of input/],
    ["{0: 'person'", /expected ',' or '}'/],
    ["{0 'person'}", /expected ':'/],
    ["{[1]: 'x'}", /unhashable/],
    ["'abc", /unterminated string/],
    ["'\\x4'", /bad/],
    ['Truex', /unexpected 'T'/],
    ['[1] 2', /unexpected '2'/],
    ['nan', /unexpected 'n'/],
  ])('rejects %p', (text, msg) => {
    expect(() => parsePythonLiteral(text)).toThrow(PythonLiteralError);
    expect(() => parsePythonLiteral(text)).toThrow(msg);
  });
});

describe('parseUltralyticsMetadata', () => {
  it.each<{ name: string; props: Record<string, string>; expected: unknown }>([
    { name: 'no metadata', props: {}, expected: { problems: [] } },
    {
      name: 'a YOLO11 detect export',
      props: {
        author: 'Ultralytics',
        version: '8.3.49',
        license: 'AGPL-3.0 License (https://ultralytics.com/license)',
        task: 'detect',
        stride: '32',
        batch: '1',
        imgsz: '[640, 640]',
        names: "{0: 'person', 1: 'bicycle', 2: \"o'clock\"}",
        dynamic: 'False',
        half: 'False',
      },
      expected: {
        author: 'Ultralytics',
        version: '8.3.49',
        license: 'AGPL-3.0 License (https://ultralytics.com/license)',
        task: 'detect',
        stride: 32,
        batch: 1,
        imgsz: [640, 640],
        names: { 0: 'person', 1: 'bicycle', 2: "o'clock" },
        numClasses: 3,
        dynamic: false,
        half: false,
        problems: [],
      },
    },
    {
      name: 'single imgsz, list names, stride list, args fallback',
      props: { imgsz: '320', names: "['person', 'head']", stride: '[8, 16, 32]', args: "{'batch': 4, 'dynamic': True, 'half': False}" },
      expected: { imgsz: [320, 320], names: { 0: 'person', 1: 'head' }, numClasses: 2, stride: 32, batch: 4, dynamic: true, half: false, problems: [] },
    },
    {
      name: 'non-square imgsz is [h, w]; top-level keys win over args',
      props: { imgsz: '[384, 640]', batch: '2', args: "{'batch': 8}", task: ' segment ' },
      expected: { imgsz: [384, 640], batch: 2, task: 'segment', problems: [] },
    },
    {
      name: 'unparseable values are reported, not thrown',
      props: { imgsz: '[640, 0]', names: "{0: 'person'", batch: 'one', dynamic: '1', args: '[1]' },
      expected: {
        problems: [
          expect.stringMatching(/^imgsz: expected an int or \[h, w\]/),
          expect.stringMatching(/^names: .*expected ',' or '}'/),
          expect.stringMatching(/^batch: .*unexpected 'o'/),
          expect.stringMatching(/^dynamic: expected True or False/),
          'args: expected a dict',
        ],
      },
    },
  ])('$name', ({ props, expected }) => {
    expect(parseUltralyticsMetadata(props)).toEqual(expected);
  });
});
