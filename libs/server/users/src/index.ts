export * from './lib/password-policy';
export * from './lib/password-hasher';
export * from './lib/user-accounts.service';
export * from './lib/user-sessions.port';
export * from './lib/users.dto';
export * from './lib/users.controller';
export * from './lib/users.module';
