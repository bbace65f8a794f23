// Per-camera detection scheduling: person-size map -> slice plan -> slices per frame under a compute budget.
export * from './person-size-map';
export * from './slice-planner';
export * from './pass-budget';
export * from './pass-capacity';
export * from './detection-scheduler';
