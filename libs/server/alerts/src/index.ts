export * from './lib/alerts.module';
export * from './lib/alerts.service';
export * from './lib/alert-commands.service';
export * from './lib/alert-delivery-recorder';
export * from './lib/alert-view';
export * from './lib/recipient-validation';
export * from './lib/snapshot-store';
export * from './lib/alerts.dto';
