import { EvalInputError } from './errors';
import { detectMotGtFormat, parseMotText, parseSeqInfo } from './mot-format';

describe('parseMotText', () => {
  it('reads comma-separated rows (boxes to x1y1x2y2, 1-based frames, optional columns)', () => {
    const rows = parseMotText('1,3,10,20,30,40,0.9,-1,-1,-1\n\n2,3,11.5,20,30,40\r\n', 'pred.txt');
    expect(rows).toEqual([
      { frame: 1, id: 3, box: { x1: 10, y1: 20, x2: 40, y2: 60 }, conf: 0.9, col8: -1, col9: -1, columns: 10, line: 1 },
      { frame: 2, id: 3, box: { x1: 11.5, y1: 20, x2: 41.5, y2: 60 }, conf: 1, col8: null, col9: null, columns: 6, line: 3 },
    ]);
  });

  it('accepts whitespace-separated rows and an empty file', () => {
    expect(parseMotText('1 2 0 0 5 5 1')[0].box).toEqual({ x1: 0, y1: 0, x2: 5, y2: 5 });
    expect(parseMotText('')).toEqual([]);
    expect(parseMotText('\n \n')).toEqual([]);
  });

  it.each([
    ['1,2,3,4,5', 'pred.txt line 2: expected at least 6 fields (frame,id,x,y,w,h,...), got 5'],
    ['1,2,3,x,5,6', "pred.txt line 2: field 4 is not a number: 'x'"],
    ['1,2,3,,5,6', "pred.txt line 2: field 4 is not a number: ''"],
    ['0,2,3,4,5,6', 'pred.txt line 2: frame must be a positive integer (1-based), got 0'],
    ['1.5,2,3,4,5,6', 'pred.txt line 2: frame must be a positive integer (1-based), got 1.5'],
    ['1,2.5,3,4,5,6', 'pred.txt line 2: id must be an integer, got 2.5'],
    ['1,2,3,4,-5,6', 'pred.txt line 2: negative box size -5x6'],
    ['1,1,3,4,5,6', 'pred.txt line 2: id 1 appears twice in frame 1 (also line 1)'],
  ])('rejects %s with its line number', (bad, message) => {
    const run = (): unknown => parseMotText(`1,1,0,0,1,1\n${bad}\n`, 'pred.txt');
    expect(run).toThrow(EvalInputError);
    expect(run).toThrow(message);
  });
});

describe('detectMotGtFormat', () => {
  it('tells MOT17 (9 columns, class, visibility) from MOT15 (world coordinates)', () => {
    expect(detectMotGtFormat(parseMotText('1,1,912,484,97,109,0,7,1.0\n1,2,1338,418,167,379,1,1,0.25'))).toBe('mot17');
    expect(detectMotGtFormat(parseMotText('1,1,399,182,121,229,1,-1,-1,-1'))).toBe('mot15');
    expect(detectMotGtFormat(parseMotText('1,1,399,182,121,229,1'))).toBe('mot15');
    expect(detectMotGtFormat([])).toBe('mot15');
  });
});

describe('parseSeqInfo', () => {
  it('reads the [Sequence] fields', () => {
    const text = '[Sequence]\nname=TUD-Campus\nimDir=img1\nframeRate=25\nseqLength=71\nimWidth=640\nimHeight=480\nimExt=.jpg\n';
    expect(parseSeqInfo(text)).toEqual({ name: 'TUD-Campus', frameRate: 25, seqLength: 71, imWidth: 640, imHeight: 480 });
  });

  it('ignores other sections and comments; rejects bad values with a line number', () => {
    expect(parseSeqInfo('; c\n[Other]\nseqLength=abc\n[Sequence]\nseqLength = 4\n')).toEqual({ seqLength: 4 });
    expect(() => parseSeqInfo('[Sequence]\nseqLength=0\n', 's.ini')).toThrow("s.ini line 2: seqLength must be a positive integer, got '0'");
    expect(() => parseSeqInfo('[Sequence]\nnonsense\n', 's.ini')).toThrow("s.ini line 2: expected key=value, got 'nonsense'");
  });
});
