export type UserRole = 'admin' | 'operator' | 'viewer';
export const USER_ROLES: readonly UserRole[] = ['admin', 'operator', 'viewer'];

export type RiskLevel = 'SAFE' | 'CAUTION' | 'WARNING' | 'CRITICAL';
export const RISK_LEVELS: readonly RiskLevel[] = ['SAFE', 'CAUTION', 'WARNING', 'CRITICAL'];

export type AlertStatus = 'open' | 'acknowledged' | 'resolved';
export const ALERT_STATUSES: readonly AlertStatus[] = ['open', 'acknowledged', 'resolved'];

export type AlertChannel = 'dashboard' | 'email' | 'sms' | 'push' | 'webhook';
export const ALERT_CHANNELS: readonly AlertChannel[] = ['dashboard', 'email', 'sms', 'push', 'webhook'];

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
