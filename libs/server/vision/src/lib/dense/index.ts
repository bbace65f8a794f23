export * from './lmds';
export * from './fusion';
export * from './density-scale';
