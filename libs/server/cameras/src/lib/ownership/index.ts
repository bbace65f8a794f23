export * from './camera-leases';
export * from './camera-ownership';
export * from './rendezvous';
export * from './adopt-alerts';
export * from './probe-memo';
