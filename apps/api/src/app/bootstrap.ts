import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type INestApplication, RequestMethod, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { AppConfig } from '@crowdsafe/server-config';
import { StartupAwareLogger, withRoleDescriptions } from '@crowdsafe/server-core';
import { WsAuthAdapter } from '@crowdsafe/server-auth';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { httpMetricsMiddleware, PrometheusMetrics } from '@crowdsafe/server-observability';
import { applyHttpSecurity, bodyParserErrorHandler, cspNonce, spaIndexRenderer } from '@crowdsafe/server-security';
import { AppModule } from './app.module';
import { VERSION } from './version';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const doc = new DocumentBuilder()
    .setTitle('CrowdSafe API')
    .setDescription(
      'Crowd-safety monitoring: cameras, live people counts and crowd metrics, risk, alerts, settings and users. ' +
        'Every route except health, login, refresh, the sign-in providers and SSO needs a Bearer access token (POST ' +
        '/api/auth/login); each operation lists its security, its 401/403 answers and the role it needs ' +
        '(x-required-roles). Live events ' +
        '(metrics_update, frame, camera_status, alert) are pushed over socket.io on namespace /live (path /socket.io); ' +
        'connect with auth: { token }, acknowledge alerts with the acknowledge_alert event.',
    )
    .setVersion(VERSION)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Access token from POST /api/auth/login or /api/auth/refresh' })
    .addApiKey({ type: 'apiKey', in: 'query', name: 'ticket', description: 'Live-view ticket from POST /api/cameras/{id}/live-ticket (60 s, one camera)' }, 'live-ticket')
    .addApiKey({ type: 'apiKey', in: 'query', name: 'ticket', description: 'Media ticket from POST /api/recordings/{id}/ticket or /api/live-hls/{cameraId}/ticket (short-lived, one recording or camera)' }, 'media-ticket')
    .addCookieAuth('cs_refresh', { type: 'apiKey', in: 'cookie', name: 'cs_refresh', description: 'httpOnly refresh-token cookie (with header X-CSRF: 1)' }, 'cs_refresh')
    .build();
  // The access decorators declare security/401/403/roles per operation; this makes sure the role text survives.
  return withRoleDescriptions(SwaggerModule.createDocument(app, doc, { operationIdFactory: (_c, method) => method }));
}

/** Creates (but does not start listening) the api application for a validated configuration. */
export async function createApp(config: AppConfig, opts: { logger?: boolean } = {}): Promise<NestExpressApplication> {
  // LOG_FORMAT=json: nestjs-pino (ObservabilityModule) takes over once the module graph is built; until then lines are buffered.
  const json = config.ops.logFormat === 'json' && opts.logger !== false;
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger: opts.logger === false ? false : new StartupAwareLogger(config.logLevel),
    bufferLogs: json,
    abortOnError: false,
    bodyParser: false,
  });
  if (json) app.useLogger(app.get(PinoNestLogger));
  // Security (libs/server/security): trust proxy, helmet + CSP, CSRF for cookie-authenticated requests; then the body
  // parsers, whose refusals (bad JSON, too large) become JSON 400/413 instead of HTML pages.
  app.use(httpMetricsMiddleware(app.get(PrometheusMetrics)));
  applyHttpSecurity(app, config);
  app.useBodyParser('json', { limit: '1mb' });
  app.useBodyParser('urlencoded', { limit: '64kb', extended: false });
  app.use(bodyParserErrorHandler());
  app.setGlobalPrefix('api', { exclude: [{ path: 'metrics', method: RequestMethod.GET }] }); // Prometheus' default path
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.enableShutdownHooks();
  // socket.io handshakes need auth.token (libs/server/auth); revoked/expired sessions are disconnected.
  app.useWebSocketAdapter(new WsAuthAdapter(app));
  app.disable('x-powered-by');
  if (config.web.corsOrigins.length) app.enableCors({ origin: config.web.corsOrigins, credentials: true });

  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json', useGlobalPrefix: false });

  // In production the api also serves the built Angular console (SPA: unknown non-API paths get index.html).
  const web = config.web.dist;
  if (web && existsSync(join(web, 'index.html'))) {
    // index.html carries this response's CSP nonce (ngCspNonce), so it is rendered per request, never served statically.
    const renderIndex = spaIndexRenderer(readFileSync(join(web, 'index.html'), 'utf8'));
    const sendIndex = (res: Response) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.type('html').send(renderIndex(cspNonce(res)));
    };
    app.use((req: Request, res: Response, next: NextFunction) => (req.method === 'GET' && req.path === '/index.html' ? sendIndex(res) : next()));
    app.use(express.static(web, { index: false, maxAge: '1h' }));
    app.use((req: Request, res: Response, next: NextFunction) => {
      if (req.method !== 'GET' || req.path.startsWith('/api') || req.path.startsWith('/socket.io') || req.path === '/metrics') return next();
      sendIndex(res);
    });
  }
  return app;
}
