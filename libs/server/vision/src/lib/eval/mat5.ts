/**
 * A small pure reader for MATLAB level-5 MAT-files (the format `save` writes by default up to -v7; not the HDF5-based
 * -v7.3), enough for annotation files such as ShanghaiTech's `GT_IMG_n.mat`:
 * - 128-byte header (text, subsystem offset, version 0x0100, endian indicator 'IM' little / 'MI' big endian);
 * - data elements with 8-byte tags or 4-byte "small data element" tags, padded to 8 bytes;
 * - miCOMPRESSED (zlib) elements, inflated with node:zlib;
 * - miMATRIX arrays: numeric classes (double, single, (u)int8-64; logical flag; complex as real + imag), char,
 *   cell and struct (and object, read as a struct), nested to any depth. Sparse, function handles and opaque
 *   (class) objects are returned as `unsupported`.
 * Numeric data are converted to Float64Array in MATLAB's column-major order.
 */
import { inflateSync } from 'node:zlib';
import { EvalInputError } from './errors';

export type MatValue = MatNumeric | MatChar | MatCell | MatStruct | MatUnsupported;

export interface MatNumeric {
  kind: 'numeric';
  /** MATLAB class: 'double', 'single', 'int8', ... 'uint64'; logical arrays have `logical: true`. */
  className: string;
  dims: number[];
  /** Column-major values. */
  real: Float64Array;
  imag?: Float64Array;
  logical: boolean;
}

export interface MatChar {
  kind: 'char';
  dims: number[];
  text: string;
}

export interface MatCell {
  kind: 'cell';
  dims: number[];
  /** Column-major cells. */
  cells: MatValue[];
}

export interface MatStruct {
  kind: 'struct';
  dims: number[];
  fieldNames: string[];
  /** Column-major struct elements, each a record field name -> value. */
  elements: Array<Record<string, MatValue>>;
  /** Class name for MATLAB objects (mxOBJECT_CLASS). */
  className?: string;
}

export interface MatUnsupported {
  kind: 'unsupported';
  className: string;
  dims: number[];
}

// Data types (miXXX).
const miINT8 = 1;
const miUINT8 = 2;
const miINT16 = 3;
const miUINT16 = 4;
const miINT32 = 5;
const miUINT32 = 6;
const miSINGLE = 7;
const miDOUBLE = 9;
const miINT64 = 12;
const miUINT64 = 13;
const miMATRIX = 14;
const miCOMPRESSED = 15;
const miUTF8 = 16;
const miUTF16 = 17;
const miUTF32 = 18;

const ELEMENT_SIZE: Readonly<Record<number, number>> = {
  [miINT8]: 1,
  [miUINT8]: 1,
  [miINT16]: 2,
  [miUINT16]: 2,
  [miINT32]: 4,
  [miUINT32]: 4,
  [miSINGLE]: 4,
  [miDOUBLE]: 8,
  [miINT64]: 8,
  [miUINT64]: 8,
  [miUTF8]: 1,
  [miUTF16]: 2,
  [miUTF32]: 4,
};

// Array classes (mxXXX_CLASS).
const CLASS_NAMES: Readonly<Record<number, string>> = {
  1: 'cell',
  2: 'struct',
  3: 'object',
  4: 'char',
  5: 'sparse',
  6: 'double',
  7: 'single',
  8: 'int8',
  9: 'uint8',
  10: 'int16',
  11: 'uint16',
  12: 'int32',
  13: 'uint32',
  14: 'int64',
  15: 'uint64',
  16: 'function',
  17: 'opaque',
};

interface Element {
  type: number;
  /** Payload bytes (without tag or padding). */
  data: Uint8Array;
  /** Offset just past the element, padding included. */
  next: number;
}

class Reader {
  constructor(private readonly le: boolean) {}

  view(b: Uint8Array): DataView {
    return new DataView(b.buffer, b.byteOffset, b.byteLength);
  }

  element(buf: Uint8Array, off: number): Element {
    if (off + 8 > buf.length) throw new EvalInputError(`MAT-file: truncated element tag at byte ${off}`);
    const v = this.view(buf);
    const first = v.getUint32(off, this.le);
    const small = first >>> 16;
    if (small !== 0) {
      // Small data element: 2-byte size, 2-byte type, up to 4 bytes of data in the tag.
      if (small > 4) throw new EvalInputError(`MAT-file: small element of ${small} bytes at byte ${off}`);
      return { type: first & 0xffff, data: buf.subarray(off + 4, off + 4 + small), next: off + 8 };
    }
    const size = v.getUint32(off + 4, this.le);
    const start = off + 8;
    if (start + size > buf.length) {
      throw new EvalInputError(`MAT-file: element of ${size} bytes at byte ${off} runs past the end (${buf.length})`);
    }
    // Compressed elements are not padded; everything else is padded to a multiple of 8 bytes.
    const next = first === miCOMPRESSED ? start + size : Math.min(buf.length, start + Math.ceil(size / 8) * 8);
    return { type: first, data: buf.subarray(start, start + size), next };
  }

  numbers(el: Element, what: string): Float64Array {
    const size = ELEMENT_SIZE[el.type];
    if (size === undefined) throw new EvalInputError(`MAT-file: ${what} has non-numeric data type ${el.type}`);
    if (el.data.length % size !== 0) throw new EvalInputError(`MAT-file: ${what} has ${el.data.length} bytes, not a multiple of ${size}`);
    const n = el.data.length / size;
    const v = this.view(el.data);
    const out = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const o = k * size;
      switch (el.type) {
        case miINT8:
          out[k] = v.getInt8(o);
          break;
        case miUINT8:
        case miUTF8:
          out[k] = v.getUint8(o);
          break;
        case miINT16:
          out[k] = v.getInt16(o, this.le);
          break;
        case miUINT16:
        case miUTF16:
          out[k] = v.getUint16(o, this.le);
          break;
        case miINT32:
          out[k] = v.getInt32(o, this.le);
          break;
        case miUINT32:
        case miUTF32:
          out[k] = v.getUint32(o, this.le);
          break;
        case miSINGLE:
          out[k] = v.getFloat32(o, this.le);
          break;
        case miDOUBLE:
          out[k] = v.getFloat64(o, this.le);
          break;
        case miINT64:
          out[k] = Number(v.getBigInt64(o, this.le));
          break;
        default: // miUINT64
          out[k] = Number(v.getBigUint64(o, this.le));
          break;
      }
    }
    return out;
  }

  text(el: Element): string {
    if (el.type === miUTF8 || el.type === miINT8 || el.type === miUINT8) return new TextDecoder('utf-8').decode(el.data);
    return String.fromCodePoint(...this.numbers(el, 'text'));
  }

  /** Parse an miMATRIX payload; returns the array's name and value. */
  matrix(data: Uint8Array): { name: string; value: MatValue } {
    if (data.length === 0) return { name: '', value: { kind: 'numeric', className: 'double', dims: [0, 0], real: new Float64Array(0), logical: false } };
    let off = 0;
    const next = (what: string): Element => {
      if (off >= data.length) throw new EvalInputError(`MAT-file: array ends before its ${what}`);
      const el = this.element(data, off);
      off = el.next;
      return el;
    };
    const flagsEl = next('flags');
    if (flagsEl.type !== miUINT32 || flagsEl.data.length < 8) throw new EvalInputError('MAT-file: bad array flags');
    const flags = this.view(flagsEl.data).getUint32(0, this.le);
    const cls = flags & 0xff;
    const complex = (flags & 0x800) !== 0;
    const logical = (flags & 0x200) !== 0;
    const dims = Array.from(this.numbers(next('dimensions'), 'dimensions'));
    if (dims.length < 2 || dims.some((d) => !Number.isInteger(d) || d < 0)) {
      throw new EvalInputError(`MAT-file: bad dimensions [${dims.join(', ')}]`);
    }
    const name = this.text(next('name'));
    const count = dims.reduce((a, b) => a * b, 1);
    const className = CLASS_NAMES[cls] ?? `class ${cls}`;
    if (cls >= 6 && cls <= 15) {
      const real = this.numbers(next('real part'), `${name || 'array'} real part`);
      if (real.length !== count) throw new EvalInputError(`MAT-file: ${name || 'array'} has ${real.length} values for dims [${dims.join(', ')}]`);
      const value: MatNumeric = { kind: 'numeric', className, dims, real, logical };
      if (complex) value.imag = this.numbers(next('imaginary part'), `${name || 'array'} imaginary part`);
      return { name, value };
    }
    if (cls === 4) {
      const el = count > 0 ? next('characters') : null;
      return { name, value: { kind: 'char', dims, text: el ? this.text(el) : '' } };
    }
    if (cls === 1) {
      const cells: MatValue[] = [];
      for (let k = 0; k < count; k++) cells.push(this.child(next(`cell ${k + 1}`)));
      return { name, value: { kind: 'cell', dims, cells } };
    }
    if (cls === 2 || cls === 3) {
      const objectClass = cls === 3 ? this.text(next('class name')) : undefined;
      const lenEl = next('field name length');
      const fieldLen = this.numbers(lenEl, 'field name length')[0];
      const namesEl = next('field names');
      if (!(fieldLen > 0) || namesEl.data.length % fieldLen !== 0) throw new EvalInputError('MAT-file: bad struct field names');
      const fieldNames: string[] = [];
      for (let o = 0; o < namesEl.data.length; o += fieldLen) {
        const chunk = namesEl.data.subarray(o, o + fieldLen);
        const end = chunk.indexOf(0);
        fieldNames.push(new TextDecoder('utf-8').decode(end >= 0 ? chunk.subarray(0, end) : chunk));
      }
      const elements: Array<Record<string, MatValue>> = [];
      for (let k = 0; k < count; k++) {
        const rec: Record<string, MatValue> = {};
        for (const f of fieldNames) rec[f] = this.child(next(`field ${f}`));
        elements.push(rec);
      }
      const value: MatStruct = { kind: 'struct', dims, fieldNames, elements };
      if (objectClass !== undefined) value.className = objectClass;
      return { name, value };
    }
    return { name, value: { kind: 'unsupported', className, dims } };
  }

  child(el: Element): MatValue {
    if (el.type !== miMATRIX) throw new EvalInputError(`MAT-file: expected an array element, got type ${el.type}`);
    return this.matrix(el.data).value;
  }
}

/**
 * Read the variables of a level-5 MAT-file. Throws `EvalInputError` for anything that is not one (a -v7.3 HDF5
 * file, a truncated or corrupt file).
 */
export function readMat5(bytes: Uint8Array): Record<string, MatValue> {
  if (bytes.length < 128) throw new EvalInputError(`MAT-file: ${bytes.length} bytes is shorter than the 128-byte header`);
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 116));
  if (head.includes('MATLAB 7.3')) throw new EvalInputError('MAT-file: -v7.3 (HDF5) files are not supported');
  const endian = String.fromCharCode(bytes[126], bytes[127]);
  if (endian !== 'IM' && endian !== 'MI') throw new EvalInputError('MAT-file: not a level-5 MAT-file (no endian indicator)');
  const r = new Reader(endian === 'IM');
  const out: Record<string, MatValue> = {};
  let off = 128;
  while (off + 8 <= bytes.length) {
    const el = r.element(bytes, off);
    off = el.next;
    let inner = el;
    if (el.type === miCOMPRESSED) {
      let raw: Uint8Array;
      try {
        raw = inflateSync(el.data);
      } catch (err) {
        throw new EvalInputError(`MAT-file: compressed element does not inflate (${err instanceof Error ? err.message : String(err)})`);
      }
      inner = r.element(raw, 0);
    }
    if (inner.type !== miMATRIX) continue; // e.g. subsystem data; nothing a variable needs
    const { name, value } = r.matrix(inner.data);
    out[name] = value;
  }
  return out;
}

/** ShanghaiTech `GT_IMG_n.mat`: the head points [x, y] (pixels, as stored) and the stored count. */
export interface ShanghaiTechMatGt {
  points: Array<[number, number]>;
  count: number;
}

/**
 * Extract the annotation of a ShanghaiTech `GT_IMG_n.mat`: variable `image_info`, a 1x1 cell holding a 1x1 struct
 * with fields `location` (N x 2 double, [x, y]) and `number` (N) — `image_info{1}{1}{1}` and `{2}` in MATLAB's
 * indexing. Also accepts the same pair nested in cells instead of a struct. Throws `EvalInputError` when the
 * layout differs or `number` disagrees with the points.
 */
export function shanghaiTechGtFromMat(bytes: Uint8Array): ShanghaiTechMatGt {
  const vars = readMat5(bytes);
  const root = vars['image_info'];
  if (!root) throw new EvalInputError(`MAT-file: no image_info variable (found: ${Object.keys(vars).join(', ') || 'none'})`);
  let v: MatValue = root;
  let location: MatValue | undefined;
  let number: MatValue | undefined;
  for (let depth = 0; depth < 8 && !location; depth++) {
    if (v.kind === 'cell' && v.cells.length === 1) v = v.cells[0];
    else if (v.kind === 'struct' && v.elements.length === 1 && 'location' in v.elements[0]) {
      location = v.elements[0]['location'];
      number = v.elements[0]['number'];
    } else if (v.kind === 'struct' && v.elements.length === 1 && v.fieldNames.length >= 1) {
      v = v.elements[0][v.fieldNames[0]];
    } else if (v.kind === 'cell' && v.cells.length >= 2) {
      location = v.cells[0];
      number = v.cells[1];
    } else break;
  }
  if (!location || location.kind !== 'numeric') throw new EvalInputError('MAT-file: image_info has no numeric location array');
  const [rows, cols] = location.dims;
  const n = location.real.length === 0 ? 0 : rows;
  if (n > 0 && (cols !== 2 || location.dims.length !== 2)) {
    throw new EvalInputError(`MAT-file: location is ${location.dims.join('x')}, expected N x 2`);
  }
  const points: Array<[number, number]> = [];
  for (let i = 0; i < n; i++) points.push([location.real[i], location.real[n + i]]);
  let count = n;
  if (number) {
    if (number.kind !== 'numeric' || number.real.length !== 1) throw new EvalInputError('MAT-file: image_info number is not a scalar');
    count = number.real[0];
    if (count !== n) throw new EvalInputError(`MAT-file: image_info number ${count} but ${n} points`);
  }
  return { points, count };
}
