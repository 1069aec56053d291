/**
 * Prometheus metrics: one registry per app instance (tests build several), default process
 * metrics, and HTTP request duration by route template (never by raw URL, which holds ids).
 */
import type { RequestHandler } from 'express';
import client from 'prom-client';

export interface Metrics {
  registry: client.Registry;
  httpDuration: client.Histogram<'method' | 'route' | 'status'>;
  /** Counter/histogram factories bound to this registry, for feature modules. */
  counter<T extends string>(name: string, help: string, labelNames: readonly T[]): client.Counter<T>;
  gauge<T extends string>(name: string, help: string, labelNames: readonly T[], collect?: (this: client.Gauge<T>) => void | Promise<void>): client.Gauge<T>;
  histogram<T extends string>(name: string, help: string, labelNames: readonly T[], buckets?: number[]): client.Histogram<T>;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new client.Registry();
  if (options.defaultMetrics !== false) client.collectDefaultMetrics({ register: registry, prefix: 'kiungo_' });
  const httpDuration = new client.Histogram({
    name: 'kiungo_http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
    registers: [registry],
  });
  const existing = <M>(name: string): M | undefined => registry.getSingleMetric(name) as M | undefined;
  return {
    registry,
    httpDuration,
    counter: (name, help, labelNames) =>
      existing(name) ?? new client.Counter({ name, help, labelNames: [...labelNames], registers: [registry] }),
    gauge: (name, help, labelNames, collect) =>
      existing(name) ?? new client.Gauge({ name, help, labelNames: [...labelNames], registers: [registry], ...(collect ? { collect } : {}) }),
    histogram: (name, help, labelNames, buckets) =>
      existing(name) ?? new client.Histogram({ name, help, labelNames: [...labelNames], registers: [registry], ...(buckets ? { buckets } : {}) }),
  };
}

/** Times every request; the route label is the matched template, or `unmatched`. */
export function httpMetricsMiddleware(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const stop = metrics.httpDuration.startTimer();
    res.on('finish', () => {
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      stop({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
}
