import { deflateSync } from 'node:zlib';
import { EvalInputError } from './errors';
import { readMat5, shanghaiTechGtFromMat } from './mat5';

// A minimal level-5 MAT writer for the tests (little or big endian).
const miINT8 = 1;
const miUINT8 = 2;
const miINT16 = 3;
const miINT32 = 5;
const miUINT32 = 6;
const miDOUBLE = 9;
const miMATRIX = 14;
const miCOMPRESSED = 15;
const miUTF16 = 17;

class Writer {
  constructor(private readonly le = true) {}

  u32(...v: number[]): Uint8Array {
    const b = new Uint8Array(4 * v.length);
    v.forEach((x, i) => new DataView(b.buffer).setUint32(4 * i, x, this.le));
    return b;
  }

  el(type: number, payload: Uint8Array, pad = true): Uint8Array {
    const size = pad ? Math.ceil(payload.length / 8) * 8 : payload.length;
    const out = new Uint8Array(8 + size);
    out.set(this.u32(type, payload.length), 0);
    out.set(payload, 8);
    return out;
  }

  /** Small data element (<= 4 bytes in the tag). */
  small(type: number, payload: Uint8Array): Uint8Array {
    const out = new Uint8Array(8);
    new DataView(out.buffer).setUint32(0, (payload.length << 16) | type, this.le);
    out.set(payload, 4);
    return out;
  }

  doubles(v: number[]): Uint8Array {
    const b = new Uint8Array(8 * v.length);
    v.forEach((x, i) => new DataView(b.buffer).setFloat64(8 * i, x, this.le));
    return this.el(miDOUBLE, b);
  }

  matrix(cls: number, dims: number[], name: string, ...body: Uint8Array[]): Uint8Array {
    const parts = [
      this.el(miUINT32, this.u32(cls, 0)),
      this.el(miINT32, this.u32(...dims)),
      name === '' ? this.el(miINT8, new Uint8Array(0)) : this.el(miINT8, new TextEncoder().encode(name)),
      ...body,
    ];
    return this.el(miMATRIX, concat(parts));
  }

  file(...elements: Uint8Array[]): Uint8Array {
    const head = new Uint8Array(128).fill(0x20);
    head.set(new TextEncoder().encode('MATLAB 5.0 MAT-file, test'), 0);
    head.fill(0, 116, 124);
    const ver = new DataView(head.buffer);
    ver.setUint16(124, 0x0100, this.le);
    head.set(new TextEncoder().encode(this.le ? 'IM' : 'MI'), 126);
    return concat([head, ...elements]);
  }

  /** ShanghaiTech layout: image_info = {struct('location', N x 2 double, 'number', N)}. */
  shanghaiTech(points: Array<[number, number]>, number = points.length): Uint8Array {
    const n = points.length;
    const colMajor = [...points.map((p) => p[0]), ...points.map((p) => p[1])];
    const names = new Uint8Array(18);
    names.set(new TextEncoder().encode('location'), 0);
    names.set(new TextEncoder().encode('number'), 9);
    const struct = this.matrix(
      2,
      [1, 1],
      '',
      this.small(miINT32, this.u32(9)),
      this.el(miINT8, names),
      this.matrix(6, [n, 2], '', this.doubles(colMajor)),
      // MATLAB stores a small double scalar compactly: class double, data as miUINT8 in a small element.
      this.matrix(6, [1, 1], '', this.small(miUINT8, Uint8Array.of(number))),
    );
    return this.matrix(1, [1, 1], 'image_info', struct);
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const POINTS: Array<[number, number]> = [
  [32.67954877050643, 753.5216540336643],
  [184.6069534891997, 690.7993309846624],
  [1, 2],
];

describe('readMat5 / shanghaiTechGtFromMat', () => {
  it('reads an uncompressed cell{struct{location, number}} (column-major N x 2)', () => {
    const w = new Writer();
    const gt = shanghaiTechGtFromMat(w.file(w.shanghaiTech(POINTS)));
    expect(gt).toEqual({ points: POINTS, count: 3 });
  });

  it('inflates miCOMPRESSED elements (unpadded) and reads several variables', () => {
    const w = new Writer();
    const compressed = (el: Uint8Array): Uint8Array => w.el(miCOMPRESSED, deflateSync(el), false);
    const text = new Uint8Array(4);
    new DataView(text.buffer).setUint16(0, 'h'.charCodeAt(0), true);
    new DataView(text.buffer).setUint16(2, 'i'.charCodeAt(0), true);
    const bytes = w.file(
      compressed(w.shanghaiTech(POINTS)),
      compressed(w.matrix(4, [1, 2], 'label', w.small(miUTF16, text))),
      w.matrix(10, [1, 3], 'shorts', w.el(miINT16, Uint8Array.of(0xff, 0xff, 2, 0, 3, 0))),
      compressed(w.matrix(1, [1, 0], 'emptyCell')),
    );
    const vars = readMat5(bytes);
    expect(Object.keys(vars)).toEqual(['image_info', 'label', 'shorts', 'emptyCell']);
    expect(vars['label']).toEqual({ kind: 'char', dims: [1, 2], text: 'hi' });
    expect(vars['shorts']).toMatchObject({ kind: 'numeric', className: 'int16', dims: [1, 3], real: Float64Array.of(-1, 2, 3) });
    expect(vars['emptyCell']).toEqual({ kind: 'cell', dims: [1, 0], cells: [] });
    expect(shanghaiTechGtFromMat(bytes).points).toEqual(POINTS);
  });

  it('reads big-endian files', () => {
    const w = new Writer(false);
    expect(shanghaiTechGtFromMat(w.file(w.shanghaiTech(POINTS)))).toEqual({ points: POINTS, count: 3 });
  });

  it('reads an image with no heads (0 x 2 location, number 0)', () => {
    const w = new Writer();
    expect(shanghaiTechGtFromMat(w.file(w.shanghaiTech([])))).toEqual({ points: [], count: 0 });
  });

  it('rejects a stored number that disagrees with the points, a missing variable, and broken files', () => {
    const w = new Writer();
    expect(() => shanghaiTechGtFromMat(w.file(w.shanghaiTech(POINTS, 4)))).toThrow('MAT-file: image_info number 4 but 3 points');
    expect(() => shanghaiTechGtFromMat(w.file(w.matrix(6, [1, 1], 'x', w.doubles([1]))))).toThrow(
      'MAT-file: no image_info variable (found: x)',
    );
    const good = w.file(w.shanghaiTech(POINTS));
    expect(() => readMat5(good.subarray(0, good.length - 20))).toThrow(EvalInputError);
    expect(() => readMat5(new Uint8Array(64))).toThrow('shorter than the 128-byte header');
    expect(() => readMat5(new Uint8Array(200))).toThrow('not a level-5 MAT-file');
    const corrupt = w.file(w.el(miCOMPRESSED, Uint8Array.of(1, 2, 3, 4), false));
    expect(() => readMat5(corrupt)).toThrow(/compressed element does not inflate/);
  });
});
