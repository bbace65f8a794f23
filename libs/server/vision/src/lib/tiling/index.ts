export * from './tile-plan';
export * from './tile-merge';
