import { isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Relative paths (stored in recordings.file_path / thumbnail_path) of a clip, under the recordings directory. */
export function clipPaths(cameraId: string, recordingId: string): { mp4: string; thumbnail: string; list: string } {
  if (!UUID.test(cameraId) || !UUID.test(recordingId)) throw new Error('camera and recording ids must be uuids');
  const dir = join('clips', cameraId.toLowerCase());
  return { mp4: join(dir, `${recordingId}.mp4`), thumbnail: join(dir, `${recordingId}.jpg`), list: join(dir, `${recordingId}.ffconcat`) };
}

/**
 * The absolute path of a stored relative path, or null when it would leave `root` (absolute paths, `..`, anything
 * that normalises outside): files are only ever read or deleted inside DATA_DIR/recordings.
 */
export function insideRoot(root: string, rel: string | null): string | null {
  if (!rel || isAbsolute(rel) || rel.includes('\0')) return null;
  const abs = resolve(root, normalize(rel));
  const back = relative(root, abs);
  if (!back || back.startsWith('..') || isAbsolute(back) || !abs.startsWith(resolve(root) + sep)) return null;
  return abs;
}
