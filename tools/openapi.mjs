#!/usr/bin/env node
// Contract first: the api's OpenAPI document is committed as openapi.json and the Angular client in
// libs/web/data-access/src/generated is generated from it.
//   node tools/openapi.mjs           regenerate openapi.json and the client
//   node tools/openapi.mjs --check   fail if either differs from what the code produces (CI)
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
process.chdir(root);
const check = process.argv.includes('--check');
const tmp = join(root, 'tmp', 'openapi');
rmSync(tmp, { recursive: true, force: true });
mkdirSync(tmp, { recursive: true });

function sh(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const specOut = join(tmp, 'openapi.json');
sh('node', ['-r', './tools/ts-register.js', 'tools/openapi/export.ts', specOut]);

const generatedDir = 'libs/web/data-access/src/generated';
const clientOut = join(tmp, 'generated');
const genConfig = JSON.parse(readFileSync('libs/web/data-access/ng-openapi-gen.json', 'utf8'));
writeFileSync(join(tmp, 'ng-openapi-gen.json'), JSON.stringify({ ...genConfig, $schema: undefined, input: specOut, output: clientOut }, null, 2));
sh('npx', ['ng-openapi-gen', '-c', join(tmp, 'ng-openapi-gen.json')]);

function files(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

if (check) {
  const problems = [];
  if (!existsSync('openapi.json') || readFileSync('openapi.json', 'utf8') !== readFileSync(specOut, 'utf8'))
    problems.push('openapi.json differs from the api code');
  const want = new Map(files(clientOut).map((f) => [relative(clientOut, f), readFileSync(f, 'utf8')]));
  const have = new Map(files(generatedDir).map((f) => [relative(generatedDir, f), readFileSync(f, 'utf8')]));
  for (const [f, text] of want) if (have.get(f) !== text) problems.push(`${generatedDir}/${f} is stale`);
  for (const f of have.keys()) if (!want.has(f)) problems.push(`${generatedDir}/${f} should not exist`);
  if (problems.length) {
    console.error(`OpenAPI drift:\n  ${problems.slice(0, 20).join('\n  ')}\nRun ./crowdsafe openapi and commit the result.`);
    process.exit(1);
  }
  console.log('openapi.json and the generated client match the api.');
} else {
  cpSync(specOut, 'openapi.json');
  rmSync(generatedDir, { recursive: true, force: true });
  cpSync(clientOut, generatedDir, { recursive: true });
  console.log(`wrote openapi.json and ${generatedDir}`);
}
