export * from './fidt-counter';
export * from './threaded-fidt-counter';
export * from './density-census';
