// Backups: ./crowdsafe backup / restore (pg_dump or the SQLite online backup + DATA_DIR state files), scheduled from the api.
export * from './lib/backup';
export * from './lib/backup.scheduler';
