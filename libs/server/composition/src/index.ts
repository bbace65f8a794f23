// The module list shared by the api and pipeline processes (one composition, role-specific additions in each app).
export * from './lib/server-modules';
