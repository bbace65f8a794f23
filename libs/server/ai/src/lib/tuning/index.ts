export * from './session-tuning';
export * from './session-tuner';
