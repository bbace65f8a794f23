#!/usr/bin/env node
// Regenerates the Angular REST client from an OpenAPI 3 spec with ng-openapi-gen.
//
//   node libs/web/data-access/generate.mjs [spec.json] [outDir]
//     spec.json  default <workspace>/openapi.json
//     outDir     default libs/web/data-access/src/generated
//
// Equivalent to `npx ng-openapi-gen -c libs/web/data-access/ng-openapi-gen.json` run from the workspace root
// (paths in the config, the custom template folder included, are workspace-relative), plus a check that the spec
// has every operationId and schema the hand-written facades (src/lib/api) use. The custom index template exports
// every operation function by operationId, so the output the facades import does not depend on the api's tags.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const input = resolve(process.argv[2] ?? join(root, 'openapi.json'));
const output = process.argv[3] ? resolve(process.argv[3]) : null;

/** What the facades call; generation fails loudly if the spec lacks any of them. */
const REQUIRED_OPERATIONS = ['listCameras', 'getCamera', 'getCurrentMetrics', 'getMetrics', 'getHealth'];
const REQUIRED_SCHEMAS = ['CameraDto', 'CameraHealthDto', 'MetricPointDto', 'HealthDto'];

const spec = JSON.parse(readFileSync(input, 'utf8'));
const operationIds = new Set(
  Object.values(spec.paths ?? {}).flatMap((item) =>
    Object.values(item ?? {}).flatMap((op) => (op && typeof op === 'object' && op.operationId ? [op.operationId] : [])),
  ),
);
const missingOps = REQUIRED_OPERATIONS.filter((id) => !operationIds.has(id));
const missingSchemas = REQUIRED_SCHEMAS.filter((n) => !spec.components?.schemas?.[n]);
if (missingOps.length || missingSchemas.length) {
  console.error(
    `generate.mjs: ${relative(root, input)} lacks operationIds [${missingOps.join(', ')}] / schemas [${missingSchemas.join(', ')}]`,
  );
  process.exit(1);
}

const args = [
  join(root, 'node_modules', 'ng-openapi-gen', 'lib', 'index.js'),
  '--config',
  relative(root, join(here, 'ng-openapi-gen.json')),
  '--input',
  relative(root, input),
];
if (output) args.push('--output', relative(root, output));
// Start from an empty folder so operations removed from the spec leave no stale files behind.
rmSync(output ?? join(here, 'src/generated'), { recursive: true, force: true });
const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
if (result.status !== 0) {
  console.error('generate.mjs: ng-openapi-gen failed');
  process.exit(result.status ?? 1);
}
console.log(`generate.mjs: client generated from ${relative(root, input)} into ${relative(root, output ?? join(here, 'src/generated'))}`);
