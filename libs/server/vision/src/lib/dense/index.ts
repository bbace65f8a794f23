export * from './lmds';
export * from './grid-estimate';
export * from './fusion';
export * from './density-scale';
