export * from './lmds';
export * from './fusion';
