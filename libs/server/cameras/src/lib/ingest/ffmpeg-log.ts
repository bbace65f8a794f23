import { FrameBuffer } from './frame-buffer';

const MAX_LINE_CHARS = 300;

/** Last N ffmpeg stderr lines, already redacted and truncated: safe to put in a status reason or a log. */
export class StderrRing {
  private readonly lines: FrameBuffer<string>;

  constructor(
    capacity: number,
    private readonly redact: (text: string) => string,
  ) {
    this.lines = new FrameBuffer<string>(capacity);
  }

  /** Adds a line; returns false for blank lines (ignored). */
  push(line: string): boolean {
    const clean = line.trim();
    if (!clean) return false;
    // Redact before truncating so a cut can never leave half a credential behind.
    const safe = this.redact(clean);
    this.lines.push(safe.length > MAX_LINE_CHARS ? `${safe.slice(0, MAX_LINE_CHARS)}…` : safe);
    return true;
  }

  clear(): void {
    this.lines.clear();
  }

  toArray(): string[] {
    return this.lines.toArray();
  }
}

// Lines that say nothing about the cause.
const NOISE = [/^conversion failed!?$/i, /^exiting normally/i, /^error (while )?(opening|closing) (input|output) file/i];

/**
 * The most useful single line of an ffmpeg/ffprobe error log: the last line that is not generic noise, without
 * the `[tcp @ 0x55d…]` context prefix. Undefined when nothing useful was printed.
 */
export function summarizeFfmpegLog(lines: readonly string[]): string | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i].replace(/^\[[^\]]*@ ?0x[0-9a-f]+\]\s*/i, '').trim();
    if (line && !NOISE.some((re) => re.test(line))) return line;
  }
  return undefined;
}
