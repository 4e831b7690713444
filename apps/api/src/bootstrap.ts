/**
 * Builds the two processes. `createHttpApp` is what main.ts listens with and what the tests boot;
 * `createWorkerApp` is the worker entry point's context.
 */
import type { Server } from 'node:http';
import 'reflect-metadata';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { APP_FILTER, APP_PIPE, NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express from 'express';
import { Logger } from 'nestjs-pino';
import { cleanupOpenApiDoc, ZodValidationPipe } from 'nestjs-zod';
import { AppModule } from './app.module';
import type { AppConfig } from './config/env';
import { ErrorFilter, toErrorBody } from './errors/error.filter';
import { serveLabelerApp } from './labeler-app';
import { applySecurityHeaders } from './security-headers';
import { declareResponses } from './openapi-responses';
import { WorkerModule } from './worker.module';

export async function createHttpApp(config: AppConfig): Promise<INestApplication> {
  const module = AppModule.forRoot(config);
  module.providers = [
    ...(module.providers ?? []),
    { provide: APP_PIPE, useClass: ZodValidationPipe },
    { provide: APP_FILTER, useClass: ErrorFilter },
  ];
  const app = await NestFactory.create<NestExpressApplication>(module, { bodyParser: false, bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  applySecurityHeaders(app); // first, so that every response (errors, docs, app shell) has them
  // Only the proxies TRUST_PROXY names may set the client address (login throttling keys on it).
  app.set('trust proxy', config.trustProxy);
  // JSON bodies only where a route wants them; imports stream their body themselves.
  app.use(express.json({ limit: config.jsonBodyLimit, type: ['application/json', 'application/*+json'] }));

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Borda API')
      .setDescription('Active RLHF preference collection: campaigns, labeling, reward models, exports, simulations.')
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  // Response bodies from the shared contract; a route missing from the table is logged, and fails openapi.test.ts.
  const undeclared = declareResponses(document);
  if (undeclared.length > 0) app.get(Logger).warn({ msg: 'OpenAPI responses for missing routes', undeclared });
  SwaggerModule.setup('docs', app, cleanupOpenApiDoc(document), { jsonDocumentUrl: 'docs/openapi.json' });

  if (config.labelerDist && existsSync(path.join(config.labelerDist, 'index.html'))) {
    serveLabelerApp(app, config.labelerDist);
  }
  // Errors thrown by middleware before Nest's routing (body parser limits, bad JSON) get the same body.
  app.use((error: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (res.headersSent) return next(error);
    const { status, body } = toErrorBody(error);
    res.status(status).json(body);
  });
  // Idle keep-alive connections are closed by the client first (undici: after 4 s; proxies: after about
  // 60 s), never by the server just as a client reuses one: with Node's 5 s default, a request sent on a
  // socket the server was closing failed with ECONNRESET (seen when a busy event loop fired the timer late).
  const server = app.getHttpServer() as Server;
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return app;
}

export async function createWorkerApp(config: AppConfig): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  return app;
}
