#!/usr/bin/env node
// Line coverage of the jest tiers, per area: the server libs, the console's libs and the console app. The suite
// (tools/test-all.mjs) runs the unit and medium tiers with `coverageArgs(tier)` and prints `summaryLines()`;
// standalone: `node tools/coverage-summary.mjs` after such runs. V8 coverage (no instrumentation pass), so the
// unit tier stays fast; files no test loads count as 0 %.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';

const require = createRequire(import.meta.url);
const root = new URL('..', import.meta.url).pathname;
export const coverageDir = (tier) => join(root, 'tmp', 'test-results', `coverage-${tier}`);

/** Areas, first match wins; `exclude` never counts (tests, test utilities, generated code, benchmarks). */
export const AREAS = [
  { name: 'server libs', glob: 'libs/server/*/src/**/*.ts', re: /^libs\/server\/[^/]+\/src\// },
  { name: 'web libs', glob: 'libs/web/*/src/**/*.ts', re: /^libs\/web\/[^/]+\/src\// },
  { name: 'web app', glob: 'apps/web/src/**/*.ts', re: /^apps\/web\/src\// },
];
const EXCLUDE = ['**/*.spec.ts', '**/*.medium-spec.ts', '**/*.test-util.ts', '**/testing/**', '**/bench/**', '**/generated/**', '**/*.d.ts', '**/index.ts', 'apps/web/src/main.ts'];

export function coverageArgs(tier) {
  return [
    '--coverage',
    '--coverageProvider=v8',
    '--coverageReporters=json',
    `--coverageDirectory=${coverageDir(tier)}`,
    ...AREAS.map((a) => `--collectCoverageFrom=${a.glob}`),
    ...EXCLUDE.map((e) => `--collectCoverageFrom=!${e}`),
  ];
}

function load(tier) {
  const f = join(coverageDir(tier), 'coverage-final.json');
  return existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : null;
}

/** { area: { covered, total } } of a coverage map. */
function byArea(map) {
  const out = Object.fromEntries(AREAS.map((a) => [a.name, { covered: 0, total: 0 }]));
  for (const file of map.files()) {
    const rel = relative(root, file);
    const area = AREAS.find((a) => a.re.test(rel));
    if (!area) continue;
    const s = map.fileCoverageFor(file).toSummary().lines;
    out[area.name].covered += s.covered;
    out[area.name].total += s.total;
  }
  return out;
}

const pct = (c) => (c && c.total ? `${((100 * c.covered) / c.total).toFixed(1)} %` : 'n/a');

/** One line per area: unit, medium and both together (merged per file), e.g. "coverage (lines) server libs: …". */
export function summaryLines(tiers = ['unit', 'medium']) {
  const { createCoverageMap } = require('istanbul-lib-coverage');
  const maps = {};
  const all = createCoverageMap({});
  for (const t of tiers) {
    const raw = load(t);
    if (!raw) continue;
    maps[t] = byArea(createCoverageMap(raw));
    all.merge(raw);
  }
  if (!Object.keys(maps).length) return ['coverage: no coverage data (run the unit or medium tier)'];
  const merged = byArea(all);
  return AREAS.map((a) => {
    const parts = Object.keys(maps).map((t) => `${t} ${pct(maps[t][a.name])}`);
    if (Object.keys(maps).length > 1) parts.push(`together ${pct(merged[a.name])}`);
    return `coverage (lines) ${a.name}: ${parts.join(', ')} (${merged[a.name].covered}/${merged[a.name].total} lines)`;
  });
}

if (import.meta.url === `file://${process.argv[1]}`) for (const l of summaryLines()) console.log(l);
