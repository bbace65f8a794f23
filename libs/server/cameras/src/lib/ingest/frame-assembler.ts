/**
 * Cuts a raw byte stream (ffmpeg stdout) into fixed-size frames. Each byte is copied exactly once into a
 * frame-sized buffer, so chunks that split frames cost nothing extra (no concatenation of pending bytes).
 */
export class FrameAssembler {
  private current: Buffer | null = null;
  private filled = 0;

  constructor(
    readonly frameBytes: number,
    private readonly onFrame: (frame: Buffer) => void,
  ) {
    if (!Number.isInteger(frameBytes) || frameBytes < 1) {
      throw new RangeError(`frameBytes must be a positive integer, got ${frameBytes}`);
    }
  }

  /** Bytes of the frame being assembled. */
  get pendingBytes(): number {
    return this.filled;
  }

  push(chunk: Uint8Array): void {
    let offset = 0;
    while (offset < chunk.length) {
      // allocUnsafe is fine: every byte is written before the frame is handed out.
      const frame = (this.current ??= Buffer.allocUnsafe(this.frameBytes));
      const n = Math.min(this.frameBytes - this.filled, chunk.length - offset);
      frame.set(chunk.subarray(offset, offset + n), this.filled);
      this.filled += n;
      offset += n;
      if (this.filled === this.frameBytes) {
        this.current = null;
        this.filled = 0;
        this.onFrame(frame);
      }
    }
  }

  /** Drop a partial frame (e.g. when the decoder restarts). Returns the number of bytes discarded. */
  reset(): number {
    const discarded = this.filled;
    this.current = null;
    this.filled = 0;
    return discarded;
  }
}
