export * from './lib/types';
export * from './lib/levels';
export * from './lib/triggers';
export * from './lib/routing';
export * from './lib/engine';
