import { createHash } from 'node:crypto';

/**
 * Rendezvous (highest-random-weight) hashing: a camera belongs to the live node with the highest hash of
 * (camera, node). Every node computes the same answer from the same node list, no coordination needed; adding a node
 * moves only the cameras it now wins (about 1/N of them), removing one moves only its own.
 */
export function rendezvousOwner(cameraId: string, nodes: readonly string[]): string | null {
  let best: string | null = null;
  let bestWeight = -1n;
  for (const node of nodes) {
    const w = weight(cameraId, node);
    if (w > bestWeight || (w === bestWeight && best !== null && node < best)) {
      best = node;
      bestWeight = w;
    }
  }
  return best;
}

function weight(cameraId: string, node: string): bigint {
  return createHash('sha256').update(cameraId).update('\0').update(node).digest().readBigUInt64BE(0);
}
