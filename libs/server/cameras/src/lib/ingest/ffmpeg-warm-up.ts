import ffmpeg from 'fluent-ffmpeg';

/**
 * Fills fluent-ffmpeg's process-wide capability cache (`ffmpeg -formats`, `ffmpeg -encoders`), which its first
 * command otherwise runs before spawning: a camera process does it at boot, so that the first camera it starts
 * (e.g. one taken over from a dead node) spawns ffmpeg at once instead of seconds later on a loaded host.
 * Resolves with the time it took; rejects when ffmpeg cannot be run (the camera start reports that itself).
 */
export function warmUpFfmpeg(ffmpegPath: string): Promise<number> {
  const t0 = Date.now();
  const cmd = ffmpeg().setFfmpegPath(ffmpegPath) as unknown as {
    availableFormats(cb: (err: Error | null) => void): void;
    availableEncoders(cb: (err: Error | null) => void): void;
  };
  const step = (fn: (cb: (err: Error | null) => void) => void) => new Promise<void>((resolve, reject) => fn((err) => (err ? reject(err) : resolve())));
  return step((cb) => cmd.availableFormats(cb))
    .then(() => step((cb) => cmd.availableEncoders(cb)))
    .then(() => Date.now() - t0);
}
