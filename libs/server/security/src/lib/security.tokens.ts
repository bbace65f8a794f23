import type { AppConfig } from '@crowdsafe/server-config';

export type SecurityConfig = AppConfig['security'];
export const SECURITY_CONFIG = Symbol('SECURITY_CONFIG');
export const RATE_LIMIT_STORAGE = Symbol('RATE_LIMIT_STORAGE');
