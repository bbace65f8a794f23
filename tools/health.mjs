// ./crowdsafe health --role api|pipeline|worker: exit 0 when this host's process of that role is healthy, else 1.
// Meant for container health checks (docker-compose.yml). No dependencies, no compilation: it starts fast.
//   api       GET http://127.0.0.1:$PORT/api/health answers 200 (HEALTH_URL overrides the address)
//   pipeline  its heartbeat file is fresh (written every 5 s while Redis answers) and GET /api/health answers 200
//   worker    its heartbeat file is fresh (written every 5 s while Redis answers)
// The heartbeat file: $TMPDIR/crowdsafe-health/<role>.json (libs/server/observability process-heartbeat.ts).
import { readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const STALE_MS = 30_000;
const args = process.argv.slice(2);
const at = args.indexOf('--role');
const role = at >= 0 ? args[at + 1] : (args.find((a) => a.startsWith('--role='))?.slice(7) ?? process.env.CROWDSAFE_ROLE ?? 'api');
if (!['api', 'pipeline', 'worker'].includes(role)) {
  console.error(`error: --role must be api, pipeline or worker (got ${role})`);
  process.exit(2);
}

function heartbeat() {
  const file = join(tmpdir(), 'crowdsafe-health', `${role}.json`);
  try {
    const age = Date.now() - statSync(file).mtimeMs;
    const beat = JSON.parse(readFileSync(file, 'utf8'));
    if (age > STALE_MS) return `${role}: last heartbeat ${Math.round(age / 1000)} s ago (pid ${beat.pid}): hung, or Redis unreachable`;
    return null;
  } catch {
    return `${role}: no heartbeat file at ${file} (not started yet, or exited)`;
  }
}

async function http() {
  const url = process.env.HEALTH_URL ?? `http://127.0.0.1:${process.env.PORT ?? '3000'}/api/health`;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(4000) });
    return res.ok ? null : `${role}: ${url} answered ${res.status}`;
  } catch (e) {
    return `${role}: ${url}: ${e instanceof Error ? e.message : String(e)}`;
  }
}

const problem = role === 'api' ? await http() : role === 'worker' ? heartbeat() : (heartbeat() ?? (await http()));
if (problem) {
  console.error(`unhealthy: ${problem}`);
  process.exit(1);
}
console.log(`${role}: healthy`);
