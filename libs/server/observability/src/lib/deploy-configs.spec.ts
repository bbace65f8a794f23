// The deployment files this lib's endpoint is scraped through (docker-compose.yml, Prometheus, Grafana, nginx TLS)
// parse and agree with each other. Docker/nginx cannot run here: this checks what can be checked without them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const root = join(__dirname, '../../../../..');
const read = (p: string) => readFileSync(join(root, p), 'utf8');

describe('deployment configs', () => {
  const compose = parse(read('docker-compose.yml')) as { services: Record<string, { image?: string; ports?: string[]; volumes?: string[]; environment?: Record<string, string> }> };

  it('docker-compose.yml: nginx on 80 + 443 with the certs, Prometheus and a provisioned Grafana', () => {
    const s = compose.services;
    expect(Object.keys(s)).toEqual(expect.arrayContaining(['api', 'worker', 'nginx', 'prometheus', 'grafana']));
    expect(s['nginx']?.ports).toEqual(['80:80', '443:443']);
    expect(s['nginx']?.volumes).toContain('./docker/certs:/etc/nginx/certs:ro');
    expect(s['grafana']?.volumes).toEqual(expect.arrayContaining(['./docker/grafana/provisioning:/etc/grafana/provisioning:ro', './docker/grafana/dashboards:/var/lib/grafana/dashboards:ro']));
    expect(s['api']?.environment).toMatchObject({ AUTH_COOKIE_SECURE: 'always', METRICS_ALLOWED_NETWORKS: 'uniquelocal' });
    expect(s['api']?.ports).toBeUndefined(); // only nginx is published
  });

  it('Prometheus scrapes the api /metrics; Grafana reads that Prometheus', () => {
    const prom = parse(read('docker/prometheus/prometheus.yml')) as { scrape_configs: { metrics_path: string; static_configs: { targets: string[] }[] }[] };
    expect(prom.scrape_configs[0]).toMatchObject({ metrics_path: '/metrics', static_configs: [{ targets: ['api:3000'] }] });
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
    for (const line of conf.split('\n').map((l) => l.trim()).filter((l) => l && !l.endsWith('{') && !l.endsWith('}') && l !== '}')) expect(line).toMatch(/;$/);
  });
});
