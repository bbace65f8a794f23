// MOTChallenge rows of `crowdsafe analyze --mot`: a confirmed track is written from its first detection on, not only
// from the frame it was confirmed (minHits detections: 0.4 s at 5 fps), as a tracker evaluated offline reports it.
// The people count is unchanged: it counts confirmed tracks only.

/** One MOT row of a frame, source pixels. */
export interface MotRow {
  id: number;
  x: number;
  y: number;
  w: number;
  h: number;
  score: number;
}

/**
 * Holds the rows of unconfirmed tracks (by provisional id) until their track is confirmed, then hands them to the
 * frames they belong to with the confirmed id; rows of tracks not seen for `expireFrames` processed frames (never
 * confirmed: removed or long lost) are dropped, so memory stays bounded.
 */
export class PendingMotRows {
  private readonly pending = new Map<number, { lastFrame: number; rows: Array<{ into: MotRow[]; row: Omit<MotRow, 'id'> }> }>();
  private frames = 0;

  constructor(private readonly expireFrames: number) {
    if (!(expireFrames >= 1)) throw new RangeError(`expireFrames must be >= 1, got ${expireFrames}`);
  }

  /** Rows waiting for a confirmation (for tests and memory checks). */
  get size(): number {
    let n = 0;
    for (const p of this.pending.values()) n += p.rows.length;
    return n;
  }

  /**
   * One processed frame.
   * @param into the frame's list of rows confirmed later (filled when their track is confirmed, possibly now)
   * @param unconfirmed this frame's unconfirmed tracks
   * @param confirmed this frame's confirmed tracks (provisional id -> id)
   */
  observe(into: MotRow[], unconfirmed: ReadonlyArray<{ provisionalId: number; row: Omit<MotRow, 'id'> }>, confirmed: ReadonlyArray<{ provisionalId: number; id: number }>): void {
    const frame = ++this.frames;
    for (const u of unconfirmed) {
      let p = this.pending.get(u.provisionalId);
      if (!p) this.pending.set(u.provisionalId, (p = { lastFrame: frame, rows: [] }));
      p.lastFrame = frame;
      p.rows.push({ into, row: u.row });
    }
    for (const c of confirmed) {
      const p = this.pending.get(c.provisionalId);
      if (!p) continue;
      for (const { into: target, row } of p.rows) target.push({ id: c.id, ...row });
      this.pending.delete(c.provisionalId);
    }
    for (const [pid, p] of this.pending) if (frame - p.lastFrame >= this.expireFrames) this.pending.delete(pid);
  }
}

/** A frame's MOT rows: its confirmed tracks and the rows of tracks confirmed later, ascending id. */
export function motRowsOf(frame: { tracks: readonly MotRow[]; beforeConfirmation?: readonly MotRow[] }): MotRow[] {
  const rows = [...frame.tracks, ...(frame.beforeConfirmation ?? [])];
  return rows.sort((a, b) => a.id - b.id);
}

/**
 * Fills a track's short gaps in the MOT output by linear interpolation between the two boxes around the gap, as
 * offline MOT evaluations of ByteTrack / BoT-SORT do: a person missed for at most `maxGapFrames` processed frames
 * (the tracker's lost-track buffer, so no new parameter) and re-found with the same id was there in between. Offline
 * output only (`crowdsafe analyze --mot`): live counts and tracks are unchanged. `frames` = the rows of every
 * processed frame in order; returns new arrays (ascending id), the input is not modified.
 */
export function interpolateMotGaps(frames: ReadonlyArray<readonly MotRow[]>, maxGapFrames: number): MotRow[][] {
  if (!Number.isInteger(maxGapFrames) || maxGapFrames < 0) throw new RangeError(`maxGapFrames must be a non-negative integer, got ${maxGapFrames}`);
  const out = frames.map((rows) => [...rows]);
  const last = new Map<number, { index: number; row: MotRow }>();
  frames.forEach((rows, i) => {
    for (const r of rows) {
      const prev = last.get(r.id);
      const gap = prev ? i - prev.index - 1 : 0;
      if (prev && gap >= 1 && gap <= maxGapFrames) {
        for (let k = 1; k <= gap; k++) {
          const t = k / (gap + 1);
          const at = (a: number, b: number) => Math.round((a + (b - a) * t) * 10) / 10;
          const p = prev.row;
          out[prev.index + k].push({ id: r.id, x: at(p.x, r.x), y: at(p.y, r.y), w: at(p.w, r.w), h: at(p.h, r.h), score: Math.min(p.score, r.score) });
        }
      }
      last.set(r.id, { index: i, row: r });
    }
    for (const [id, l] of last) if (i - l.index > maxGapFrames) last.delete(id); // bounded: tracks seen within the buffer
  });
  for (const rows of out) rows.sort((a, b) => a.id - b.id);
  return out;
}
