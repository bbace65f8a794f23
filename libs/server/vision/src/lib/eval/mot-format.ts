/**
 * MOTChallenge text formats: `gt.txt` / tracker output rows `frame,id,bb_left,bb_top,bb_width,bb_height,conf,...`
 * (frames 1-based, boxes in pixels) and `seqinfo.ini`.
 *
 * Ground-truth conventions (decided per file, see `detectMotGtFormat`):
 * - MOT15 (`mot15`, 10 columns): column 7 is a flag / confidence (0 = ignore the box), columns 8-10 world coordinates
 *   (-1 when unknown); no classes.
 * - MOT16/17/20 (`mot17`, 9 columns): column 7 is the "consider" flag (0 = ignore), column 8 the class
 *   (1 pedestrian, 2 person on vehicle, 3 car, 4 bicycle, 5 motorbike, 6 non-motorized vehicle, 7 static person,
 *   8 distractor, 9 occluder, 10 occluder on the ground, 11 full occluder, 12 reflection, 13 crowd), column 9 the
 *   visibility ratio.
 */
import type { BBox } from '@crowdsafe/contracts';
import { EvalInputError } from './errors';

/** One row of a MOTChallenge text file. */
export interface MotRow {
  /** 1-based frame number. */
  frame: number;
  id: number;
  /** Box in pixels, (x1, y1) = (bb_left, bb_top), (x2, y2) = (bb_left + bb_width, bb_top + bb_height). */
  box: BBox;
  /** Column 7 (confidence for predictions, flag for ground truth); 1 when the row has only 6 columns. */
  conf: number;
  /** Column 8 (MOT17 gt: class; MOT15: world x), null when absent. */
  col8: number | null;
  /** Column 9 (MOT17 gt: visibility; MOT15: world y), null when absent. */
  col9: number | null;
  /** Number of columns in the row. */
  columns: number;
  /** 1-based line number in the source text (for error messages). */
  line: number;
}

export type MotGtFormat = 'mot15' | 'mot17';

/**
 * Parse a MOTChallenge text file (gt.txt or a tracker's output). Fields are separated by commas (or, when a line has
 * no comma, by whitespace); blank lines are skipped. Throws `EvalInputError` naming `source` and the line for a row
 * with fewer than 6 fields, a non-numeric field, a frame that is not a positive integer, a non-integer id, a
 * negative box size, or a second row for the same (frame, id).
 */
export function parseMotText(text: string, source = 'input'): MotRow[] {
  const rows: MotRow[] = [];
  const seen = new Map<string, number>();
  const lines = text.split(/\r?\n/);
  for (let k = 0; k < lines.length; k++) {
    const raw = lines[k].trim();
    if (raw === '') continue;
    const line = k + 1;
    const where = `${source} line ${line}`;
    const fields = raw.includes(',') ? raw.split(',').map((f) => f.trim()) : raw.split(/\s+/);
    if (fields.length < 6) {
      throw new EvalInputError(`${where}: expected at least 6 fields (frame,id,x,y,w,h,...), got ${fields.length}`);
    }
    const nums = fields.map((f, i) => {
      const v = f === '' ? NaN : Number(f);
      if (!Number.isFinite(v)) throw new EvalInputError(`${where}: field ${i + 1} is not a number: '${truncate(f)}'`);
      return v;
    });
    const [frame, id, x, y, w, h] = nums;
    if (!Number.isInteger(frame) || frame < 1) {
      throw new EvalInputError(`${where}: frame must be a positive integer (1-based), got ${fields[0]}`);
    }
    if (!Number.isInteger(id)) throw new EvalInputError(`${where}: id must be an integer, got ${fields[1]}`);
    if (w < 0 || h < 0) throw new EvalInputError(`${where}: negative box size ${w}x${h}`);
    const key = `${frame}:${id}`;
    const prev = seen.get(key);
    if (prev !== undefined) {
      throw new EvalInputError(`${where}: id ${id} appears twice in frame ${frame} (also line ${prev})`);
    }
    seen.set(key, line);
    rows.push({
      frame,
      id,
      box: { x1: x, y1: y, x2: x + w, y2: y + h },
      conf: nums.length > 6 ? nums[6] : 1,
      col8: nums.length > 7 ? nums[7] : null,
      col9: nums.length > 8 ? nums[8] : null,
      columns: nums.length,
      line,
    });
  }
  return rows;
}

/**
 * Which ground-truth convention a gt file follows: 9-column rows with an integer class in column 8 and a
 * visibility in [0, 1] in column 9 are MOT16/17/20 (`mot17`); anything else (10 columns with world coordinates,
 * or 7 columns) is MOT15. An empty file is `mot15` (it has no classes to interpret).
 */
export function detectMotGtFormat(rows: readonly MotRow[]): MotGtFormat {
  if (rows.length === 0) return 'mot15';
  const mot17 = rows.every(
    (r) =>
      r.columns === 9 &&
      r.col8 !== null &&
      Number.isInteger(r.col8) &&
      r.col8 >= 1 &&
      r.col9 !== null &&
      r.col9 >= 0 &&
      r.col9 <= 1,
  );
  return mot17 ? 'mot17' : 'mot15';
}

/** The `[Sequence]` fields of a MOTChallenge `seqinfo.ini` that evaluation uses. */
export interface SeqInfo {
  name?: string;
  seqLength?: number;
  imWidth?: number;
  imHeight?: number;
  frameRate?: number;
}

/**
 * Read a `seqinfo.ini` (`key=value` lines, `[Sequence]` section, `;`/`#` comments). Numeric fields must be positive
 * integers (frameRate: positive number); a bad value throws `EvalInputError` with its line.
 */
export function parseSeqInfo(text: string, source = 'seqinfo.ini'): SeqInfo {
  const info: SeqInfo = {};
  let section = '';
  const lines = text.split(/\r?\n/);
  for (let k = 0; k < lines.length; k++) {
    const raw = lines[k].trim();
    if (raw === '' || raw.startsWith(';') || raw.startsWith('#')) continue;
    const sec = /^\[(.*)\]$/.exec(raw);
    if (sec) {
      section = sec[1].trim().toLowerCase();
      continue;
    }
    const eq = raw.indexOf('=');
    if (eq < 0) throw new EvalInputError(`${source} line ${k + 1}: expected key=value, got '${truncate(raw)}'`);
    if (section !== '' && section !== 'sequence') continue;
    const key = raw.slice(0, eq).trim();
    const value = raw.slice(eq + 1).trim();
    const int = (): number => {
      const v = Number(value);
      if (!Number.isInteger(v) || v <= 0) {
        throw new EvalInputError(`${source} line ${k + 1}: ${key} must be a positive integer, got '${truncate(value)}'`);
      }
      return v;
    };
    switch (key) {
      case 'name':
        info.name = value;
        break;
      case 'seqLength':
        info.seqLength = int();
        break;
      case 'imWidth':
        info.imWidth = int();
        break;
      case 'imHeight':
        info.imHeight = int();
        break;
      case 'frameRate': {
        const v = Number(value);
        if (!(v > 0) || !Number.isFinite(v)) {
          throw new EvalInputError(`${source} line ${k + 1}: frameRate must be a positive number, got '${truncate(value)}'`);
        }
        info.frameRate = v;
        break;
      }
      default:
        break;
    }
  }
  return info;
}

function truncate(s: string, max = 40): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
