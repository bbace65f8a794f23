import type { NextFunction, Request, Response } from 'express';
import type { PrometheusMetrics } from './prometheus-metrics';

/**
 * Express middleware timing every request into crowdsafe_http_request_duration_seconds, labelled by the matched
 * route TEMPLATE (`/api/cameras/:id`, never the concrete path, so the series stay bounded), method and status.
 * Requests no route matched are `static` (console files, GET outside /api) or `unmatched`.
 */
export function httpMetricsMiddleware(metrics: PrometheusMetrics): (req: Request, res: Response, next: NextFunction) => void {
  return (req, res, next) => {
    const t0 = process.hrtime.bigint();
    res.once('finish', () => {
      const template = (req.route as { path?: unknown } | undefined)?.path;
      const route =
        typeof template === 'string'
          ? `${req.baseUrl ?? ''}${template}`
          : req.method === 'GET' && !req.path.startsWith('/api') && !req.path.startsWith('/socket.io')
            ? 'static'
            : 'unmatched';
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      metrics.httpDuration.observe({ method: req.method, route, status: String(res.statusCode) }, seconds);
    });
    next();
  };
}
