import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { AppConfig } from '@crowdsafe/server-config';
import { StartupAwareLogger } from '@crowdsafe/server-core';
import { AppModule } from './app.module';
import { VERSION } from './version';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const doc = new DocumentBuilder()
    .setTitle('CrowdSafe API')
    .setDescription(
      'Crowd-safety monitoring: cameras, live people counts and crowd metrics. Live events (metrics_update, frame, ' +
        'camera_status) are pushed over socket.io on namespace /live (path /socket.io).',
    )
    .setVersion(VERSION)
    .build();
  return SwaggerModule.createDocument(app, doc, { operationIdFactory: (_c, method) => method });
}

/** Creates (but does not start listening) the api application for a validated configuration. */
export async function createApp(config: AppConfig, opts: { logger?: boolean } = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger: opts.logger === false ? false : new StartupAwareLogger(config.logLevel),
    abortOnError: false,
    bodyParser: false,
  });
  app.useBodyParser('json', { limit: '1mb' });
  app.useBodyParser('urlencoded', { limit: '64kb', extended: false });
  app.setGlobalPrefix('api');
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.enableShutdownHooks();
  app.disable('x-powered-by');
  if (config.web.corsOrigins.length) app.enableCors({ origin: config.web.corsOrigins, credentials: true });

  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json', useGlobalPrefix: false });

  // In production the api also serves the built Angular console (SPA: unknown non-API paths get index.html).
  const web = config.web.dist;
  if (web && existsSync(join(web, 'index.html'))) {
    app.use(express.static(web, { index: false, maxAge: '1h' }));
    app.use((req: Request, res: Response, next: NextFunction) => {
      if (req.method !== 'GET' || req.path.startsWith('/api') || req.path.startsWith('/socket.io')) return next();
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(join(web, 'index.html'));
    });
  }
  return app;
}
