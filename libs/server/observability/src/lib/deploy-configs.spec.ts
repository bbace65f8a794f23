// The deployment files this lib's endpoint is scraped through (docker-compose.yml, Prometheus, Grafana, nginx TLS)
// parse and agree with each other. Docker/nginx cannot run here: this checks what can be checked without them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const root = join(__dirname, '../../../../..');
const read = (p: string) => readFileSync(join(root, p), 'utf8');

describe('deployment configs', () => {
  interface Service {
    image?: string;
    command?: string[];
    ports?: string[];
    volumes?: string[];
    environment?: Record<string, string>;
    healthcheck?: { test: string[] };
    depends_on?: Record<string, { condition: string }>;
    deploy?: { replicas?: number };
  }
  // merge: the roles share one environment through a YAML anchor and merge keys (`<<: *env`), as Compose reads them.
  const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };

  it('docker-compose.yml: nginx on 80 + 443 with the certs, Prometheus and a provisioned Grafana', () => {
    const s = compose.services;
    expect(Object.keys(s)).toEqual(expect.arrayContaining(['api', 'worker', 'nginx', 'prometheus', 'grafana']));
    expect(s['nginx']?.ports).toEqual(['80:80', '443:443']);
    expect(s['nginx']?.volumes).toContain('./docker/certs:/etc/nginx/certs:ro');
    expect(s['grafana']?.volumes).toEqual(expect.arrayContaining(['./docker/grafana/provisioning:/etc/grafana/provisioning:ro', './docker/grafana/dashboards:/var/lib/grafana/dashboards:ro']));
    expect(s['api']?.environment).toMatchObject({ AUTH_COOKIE_SECURE: 'always', METRICS_ALLOWED_NETWORKS: 'uniquelocal' });
    expect(s['api']?.ports).toBeUndefined(); // only nginx is published
  });

  it('roles from one image: api x2 (stateless), pipeline x2 (cameras), worker x2, each with a health check it can answer', () => {
    const s = compose.services;
    const roles = { api: 'apps/api', pipeline: 'apps/pipeline', worker: 'apps/worker' } as const;
    for (const [role, app] of Object.entries(roles)) {
      const svc = s[role] as Service;
      expect(svc.image).toBe('crowdsafe:latest');
      expect(svc.command).toEqual(['node', `dist/server/${app}/src/main.js`]);
      expect(svc.deploy?.replicas).toBe(2);
      // Each role's own check: a worker has no HTTP port, so it must not inherit the api's HTTP check.
      expect(svc.healthcheck?.test).toEqual(['CMD', './crowdsafe', 'health', '--role', role]);
      expect(svc.environment).toMatchObject({ DATABASE_URL: expect.stringMatching(/^postgres:\/\//), REDIS_URL: 'redis://redis:6379', DB_MIGRATIONS_RUN: 'false' });
    }
    expect(s['api']?.environment?.['CAMERAS_ENABLED']).toBe('false');
    expect(s['pipeline']?.environment?.['CAMERAS_ENABLED']).toBe('true');
    expect(s['pipeline']?.ports).toBeUndefined();
    // The database is migrated once, before any api or pipeline starts; nginx waits for a healthy api.
    expect(s['migrate']?.command).toEqual(['./crowdsafe', 'migrate']);
    for (const role of ['api', 'pipeline']) expect(s[role]?.depends_on?.['migrate']).toEqual({ condition: 'service_completed_successfully' });
    expect(s['nginx']?.depends_on?.['api']).toEqual({ condition: 'service_healthy' });
    // The health command exists in the CLI and ships in the image.
    expect(read('crowdsafe')).toMatch(/^\s*health\) exec node tools\/health\.mjs "\$@" ;;$/m);
    expect(read('crowdsafe')).toMatch(/^\s*pipeline\) exec node dist\/server\/apps\/pipeline\/src\/main\.js "\$@" ;;$/m);
    expect(read('docker/Dockerfile')).toMatch(/^COPY --from=build \/app\/tools\/health\.mjs \.\/tools\/health\.mjs$/m);
    expect(read('docker/SCALING.md')).toMatch(/--scale pipeline=/);
  });

  it('Prometheus scrapes /metrics of every api replica and pipeline; Grafana reads that Prometheus', () => {
    const prom = parse(read('docker/prometheus/prometheus.yml')) as { scrape_configs: { job_name: string; metrics_path: string; dns_sd_configs: { names: string[]; port: number }[] }[] };
    expect(prom.scrape_configs).toMatchObject([
      { job_name: 'crowdsafe-api', metrics_path: '/metrics', dns_sd_configs: [{ names: ['api'], port: 3000 }] },
      { job_name: 'crowdsafe-pipeline', metrics_path: '/metrics', dns_sd_configs: [{ names: ['pipeline'], port: 3000 }] },
    ]);
    const ds = parse(read('docker/grafana/provisioning/datasources/prometheus.yml')) as { datasources: { uid: string; url: string }[] };
    expect(ds.datasources[0]).toMatchObject({ uid: 'crowdsafe-prometheus', url: 'http://prometheus:9090' });
    const prov = parse(read('docker/grafana/provisioning/dashboards/crowdsafe.yml')) as { providers: { options: { path: string } }[] };
    expect(prov.providers[0]?.options.path).toBe('/var/lib/grafana/dashboards');
  });

  it('the Grafana dashboard is valid JSON, uses the provisioned datasource and only exported series', () => {
    const d = JSON.parse(read('docker/grafana/dashboards/crowdsafe.json')) as { uid: string; panels: { id: number; datasource: { uid: string }; targets: { expr: string }[] }[] };
    expect(d.uid).toBe('crowdsafe-overview');
    expect(new Set(d.panels.map((p) => p.id)).size).toBe(d.panels.length);
    const exported = /\b(crowdsafe_[a-z0-9_]+|bullmq_job_count|nodejs_eventloop_lag_p99_seconds)\b/g;
    const known = /^(crowdsafe_camera_(people|density_people_per_m2|risk_level|alerts_open|up|frames_(decoded|processed|dropped)_total|ffmpeg_restarts_total)|crowdsafe_inference_latency_seconds_bucket|crowdsafe_http_request_duration_seconds_bucket|crowdsafe_inference_pending|crowdsafe_socket_clients|bullmq_job_count|nodejs_eventloop_lag_p99_seconds)$/;
    for (const p of d.panels) {
      expect(p.datasource.uid).toBe('crowdsafe-prometheus');
      for (const t of p.targets) for (const m of t.expr.match(exported) ?? []) expect(m).toMatch(known);
    }
  });

  it('nginx: HTTP only redirects, TLS from files, HSTS, the proxy headers the api trusts, websocket upgrade, no /metrics', () => {
    const conf = read('docker/nginx.conf').replace(/#.*$/gm, '');
    expect(conf.split('{').length).toBe(conf.split('}').length); // balanced blocks
    const servers = conf.split(/\bserver\s*\{/).slice(1);
    expect(servers).toHaveLength(2);
    const [http, https] = servers as [string, string];
    expect(http).toMatch(/listen 80;/);
    expect(http).toMatch(/return 301 https:\/\/\$host\$request_uri;/);
    expect(http).not.toMatch(/proxy_pass/);
    expect(https).toMatch(/listen 443 ssl;/);
    expect(https).toMatch(/ssl_certificate\s+\/etc\/nginx\/certs\/tls\.crt;/);
    expect(https).toMatch(/ssl_certificate_key\s+\/etc\/nginx\/certs\/tls\.key;/);
    expect(https).toMatch(/Strict-Transport-Security "max-age=31536000; includeSubDomains" always/);
    expect(https).toMatch(/location = \/metrics \{ return 404; \}/);
    expect(https.match(/proxy_set_header X-Forwarded-Proto https;/g)).toHaveLength(2);
    expect(https.match(/proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;/g)).toHaveLength(2);
    expect(https).toMatch(/proxy_set_header Upgrade \$http_upgrade;/);
    // Every api replica, re-resolved; sticky per client for socket.io's long-polling fallback.
    const upstream = /upstream crowdsafe_api \{([^}]*)\}/.exec(conf)?.[1] ?? '';
    expect(upstream).toMatch(/server api:3000 resolve;/);
    expect(upstream).toMatch(/zone crowdsafe_api \d+k;/);
    expect(upstream).toMatch(/hash \$remote_addr consistent;/);
    expect(conf).toMatch(/resolver 127\.0\.0\.11 valid=10s/);
    for (const line of conf.split('\n').map((l) => l.trim()).filter((l) => l && !l.endsWith('{') && !l.endsWith('}') && l !== '}')) expect(line).toMatch(/;$/);
  });
});
