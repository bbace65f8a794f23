import { Controller, Get, HttpException, Inject, NotFoundException, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '@crowdsafe/server-config';
import { Public } from '@crowdsafe/server-core';
import { metricsAccessChecker } from './metrics-access';
import { MetricsCollector } from './metrics-collector';

/**
 * GET /metrics (outside /api, Prometheus' default path) in the Prometheus text format. Not a user route: it is
 * @Public for the JWT guard and protected by its own rules instead — METRICS_ALLOWED_NETWORKS and/or METRICS_TOKEN.
 */
@ApiExcludeController()
@Controller()
export class PrometheusController {
  private readonly check: ReturnType<typeof metricsAccessChecker>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly collector: MetricsCollector,
  ) {
    this.check = metricsAccessChecker(config.ops.metricsEndpoint);
  }

  @Get('metrics')
  @Public()
  async metrics(@Req() req: Request, @Res() res: Response): Promise<void> {
    if (!this.config.ops.metricsEndpoint.enabled) throw new NotFoundException('Metrics endpoint disabled (METRICS_ENDPOINT_ENABLED=false)');
    const d = this.check(req.ip ?? req.socket.remoteAddress, req.headers.authorization);
    if (!d.ok) throw new HttpException(d.message, d.status);
    const body = await this.collector.scrape();
    res.setHeader('Cache-Control', 'no-store');
    res.type(this.collector.metrics.registry.contentType).send(body);
  }
}
