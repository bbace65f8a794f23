// Annotated alert snapshots on disk: DATA_DIR/snapshots/<cameraId>/<epoch ms>_<alertId>.jpg, bounded per camera by
// count and by age (oldest deleted first).
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { isUuidLike } from './alert-view';

const FILE_RE = /^(\d{13})_([0-9a-f-]{36})\.jpg$/i;

/** Which files to delete: beyond the newest `maxCount`, or older than `cutoffMs` (names carry the time). Pure. */
export function snapshotsToPrune(names: readonly string[], maxCount: number, cutoffMs: number): string[] {
  const ours = names.filter((n) => FILE_RE.test(n)).sort(); // fixed-width epoch ms: lexical = chronological
  const excess = Math.max(0, ours.length - maxCount);
  return ours.filter((n, i) => i < excess || Number(n.slice(0, 13)) < cutoffMs);
}

export class SnapshotStore {
  private readonly root: string;

  constructor(
    dir: string,
    private readonly maxPerCamera: number,
    private readonly retentionMs: number,
  ) {
    this.root = resolve(dir);
  }

  /** Writes the JPEG and prunes the camera's folder; returns the absolute path. */
  async save(cameraId: string, alertId: string, at: number, jpeg: Buffer): Promise<string> {
    if (!isUuidLike(cameraId) || !isUuidLike(alertId)) throw new Error('snapshot ids must be uuids');
    const dir = join(this.root, cameraId);
    await mkdir(dir, { recursive: true });
    const path = join(dir, `${String(Math.max(0, Math.trunc(at))).padStart(13, '0')}_${alertId}.jpg`);
    await writeFile(path, jpeg);
    await this.prune(cameraId, Date.now());
    return path;
  }

  /** The JPEG at `path` if it lies under the snapshots folder and still exists, else null. */
  async read(path: string | null): Promise<Buffer | null> {
    if (!path) return null;
    const abs = resolve(path);
    const rel = relative(this.root, abs);
    if (!rel || rel.startsWith('..') || rel.includes(`..${sep}`)) return null;
    try {
      return await readFile(abs);
    } catch {
      return null;
    }
  }

  /** Deletes one camera's snapshots beyond the count / age limits; returns how many. */
  async prune(cameraId: string, now: number): Promise<number> {
    if (!isUuidLike(cameraId)) return 0;
    const dir = join(this.root, cameraId);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return 0;
    }
    const doomed = snapshotsToPrune(names, this.maxPerCamera, now - this.retentionMs);
    for (const n of doomed) await rm(join(dir, n), { force: true });
    return doomed.length;
  }

  /** Prunes every camera folder (periodic / boot). */
  async pruneAll(now: number): Promise<number> {
    let names: string[];
    try {
      names = await readdir(this.root);
    } catch {
      return 0;
    }
    let n = 0;
    for (const cam of names) {
      if (!isUuidLike(cam)) continue;
      const s = await stat(join(this.root, cam)).catch(() => null);
      if (s?.isDirectory()) n += await this.prune(cam, now);
    }
    return n;
  }
}
