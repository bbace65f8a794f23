/** The steps of a camera start, in order (fail-over time: where a camera's start goes). */
export const START_STEPS = ['spawned', 'firstFrame', 'firstDetection', 'firstSecond'] as const;
export type StartStep = (typeof START_STEPS)[number];

/**
 * Where one camera start's time goes: ms from the start (the lease taken, or the runtime's start) to each step, each
 * step marked once (the first time). Pure; the runtime marks it and logs `summary()` once the first second is out.
 */
export class StartTrace {
  private readonly at = new Map<StartStep, number>();

  constructor(
    readonly startedAt: number,
    /** Earlier steps measured outside the runtime (e.g. the lease taken, the record loaded), ms before startedAt; a note without ms. */
    private readonly before: ReadonlyArray<{ name: string; ms?: number }> = [],
  ) {}

  /** Marks a step (once); true when this call marked it. */
  mark(step: StartStep, nowMs: number): boolean {
    if (this.at.has(step)) return false;
    this.at.set(step, nowMs);
    return true;
  }

  has(step: StartStep): boolean {
    return this.at.has(step);
  }

  /** ms from the start to each marked step, in step order. */
  offsets(): Array<{ step: StartStep; ms: number }> {
    return START_STEPS.filter((s) => this.at.has(s)).map((step) => ({ step, ms: (this.at.get(step) as number) - this.startedAt }));
  }

  /** One log line: "before: a 12 ms, b 3 ms; spawned +850 ms, firstFrame +1200 ms, ...". */
  summary(): string {
    const before = this.before.map((b) => (b.ms === undefined ? b.name : `${b.name} ${Math.round(b.ms)} ms`)).join(', ');
    const steps = this.offsets().map((o) => `${o.step} +${Math.round(o.ms)} ms`).join(', ');
    return [before && `before the runtime: ${before}`, steps || 'no step yet'].filter(Boolean).join('; ');
  }
}
