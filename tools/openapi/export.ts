// Writes the api's OpenAPI document to the file given as argv[2]. Uses Nest's preview mode: the module graph is
// scanned (controllers and DTO metadata) but no provider is instantiated, so no database, Redis or model is needed.
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@crowdsafe/server-config';
import { AppModule } from '../../apps/api/src/app/app.module';
import { buildOpenApiDocument } from '../../apps/api/src/app/bootstrap';

async function main(): Promise<void> {
  const target = process.argv[2];
  if (!target) throw new Error('usage: export.ts <out.json>');
  const config = loadConfig({ CAMERAS_ENABLED: 'false', SAMPLE_CAMERA: 'false' });
  const app = await NestFactory.create(AppModule.forRoot(config), { preview: true, logger: false, abortOnError: false });
  app.setGlobalPrefix('api');
  const doc = buildOpenApiDocument(app);
  writeFileSync(target, JSON.stringify(doc, null, 2) + '\n');
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
