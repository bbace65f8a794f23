// The dominant movement direction of each second (image plane), with or without a calibration.
import { MovementDirectionAccumulator } from '@crowdsafe/analytics';
import type { CompassPoint, LiveMovement, TrackedPerson } from '@crowdsafe/contracts';

/** Open seconds kept at most (the aggregator closes them within a few seconds; older ones are dropped). */
const MAX_OPEN_SECONDS = 64;

/** Adds one frame's matched tracks (a coasting track's velocity is a prediction, not an observation). */
export function addMovementFrame(acc: MovementDirectionAccumulator, tracks: readonly TrackedPerson[]): void {
  acc.addFrame(tracks.filter((t) => t.timeSinceUpdate === 0).map((t) => ({ vx: t.velocity.vx, vy: t.velocity.vy, height: t.box.y2 - t.box.y1 })));
}

/** Closes a second's accumulator (empty second: no heading). */
export function movementOf(acc: MovementDirectionAccumulator | undefined): LiveMovement {
  const m = acc?.close();
  return {
    headingDeg: m?.headingDeg ?? null,
    compass: (m?.compass ?? null) as CompassPoint | null,
    coherence: m?.coherence ?? 0,
    movingSamples: m?.movingSamples ?? 0,
    samples: m?.samples ?? 0,
  };
}

/** The movement direction of each open second, fed with every processed frame's confirmed tracks (offline analysis). */
export class SecondMovements {
  private readonly open = new Map<number, MovementDirectionAccumulator>();

  constructor(private readonly frameRate: number) {}

  add(capturedAt: number, tracks: readonly TrackedPerson[]): void {
    const key = Math.floor(capturedAt / 1000);
    let acc = this.open.get(key);
    if (!acc) {
      acc = new MovementDirectionAccumulator({ frameRate: this.frameRate });
      this.open.set(key, acc);
      if (this.open.size > MAX_OPEN_SECONDS) this.open.delete(Math.min(...this.open.keys()));
    }
    addMovementFrame(acc, tracks);
  }

  /** The second starting at `secondStartMs` (removed; seconds before it are dropped too). Empty second: no heading. */
  take(secondStartMs: number): LiveMovement {
    const key = Math.floor(secondStartMs / 1000);
    const acc = this.open.get(key);
    for (const k of this.open.keys()) if (k <= key) this.open.delete(k);
    return movementOf(acc);
  }
}
