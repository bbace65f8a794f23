// Settings API: a registry of known categories/keys (validators, defaults), the SettingsService (typed reads,
// validated versioned writes with history, change stream) and its controller.
export * from './lib/registry';
export * from './lib/alert-policy';
export * from './lib/settings.service';
export * from './lib/settings.dto';
export * from './lib/settings.controller';
export * from './lib/settings.module';
export * from './lib/settings-retention';
