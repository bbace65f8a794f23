/** The fencing token this process holds for a camera now (CameraOwnership.fenceOf), undefined when it holds none. */
export type FenceOf = (cameraId: string) => number | undefined;

/**
 * One camera runtime's fence: the lease token it was started under, checked before each write. Writes made after the
 * token is gone (lease expired, camera taken over) are refused, counted, and warned about once.
 */
export class CameraFence {
  private refusedWrites = 0;
  private warned = false;

  constructor(
    readonly cameraId: string,
    readonly token: number,
    private readonly fenceOf: FenceOf,
    private readonly warn: (message: string) => void = () => undefined,
  ) {}

  /** Writes refused because the token was no longer held. */
  get refused(): number {
    return this.refusedWrites;
  }

  /** True while this process still holds the camera with the token this fence was created for. */
  holds(): boolean {
    return this.fenceOf(this.cameraId) === this.token;
  }

  /** Counts a refused write of `what` (e.g. 'metric rows') and warns the first time. */
  refuse(what: string): void {
    this.refusedWrites++;
    if (this.warned) return;
    this.warned = true;
    this.warn(`camera ${this.cameraId}: ${what} refused, fencing token ${this.token} is no longer held here (now ${String(this.fenceOf(this.cameraId) ?? 'none')})`);
  }
}
