// Two tiers run by jest: `unit` (*.spec.ts, no services) and `medium` (*.medium-spec.ts, real PostgreSQL,
// Redis, ffmpeg and ONNX). The third tier, browser e2e, is Playwright under e2e/.
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [`^${alias}$`, `<rootDir>/${target}`]),
);
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
        target: 'es2022',
      },
      module: { type: 'commonjs' },
    },
  ],
};
const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform,
  moduleNameMapper,
  moduleFileExtensions: ['ts', 'js', 'json'],
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/tools', '<rootDir>/migrations'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/apps/web/', '/libs/web/'],
};
// The console (apps/web, libs/web): Angular's TestBed in jsdom, zoneless like the app. Its project is also named
// `unit`, so `--selectProjects unit` (the suite's unit tier) runs it with the server's unit specs.
const { createCjsPreset } = require('jest-preset-angular/presets');
const web = {
  ...createCjsPreset({ tsconfig: '<rootDir>/tools/jest/tsconfig.web-spec.json' }),
  rootDir: __dirname,
  displayName: { name: 'unit', color: 'magenta' },
  // ng2-charts imports lodash-es (ESM only): the CommonJS build of the same functions.
  moduleNameMapper: { ...moduleNameMapper, '^lodash-es$': 'lodash' },
  roots: ['<rootDir>/apps/web', '<rootDir>/libs/web'],
  testMatch: ['**/*.spec.ts'],
  setupFilesAfterEnv: ['<rootDir>/tools/jest/web-test-setup.ts'],
};
module.exports = {
  // Per-project testTimeout is ignored by jest; medium specs set jest.setTimeout, the medium tier passes --testTimeout.
  projects: [
    { ...common, displayName: 'unit', testMatch: ['**/*.spec.ts'] },
    web,
    {
      ...common,
      displayName: 'medium',
      testMatch: ['**/*.medium-spec.ts'],
      // onnxruntime-node returns typed arrays from the main realm; make jest's sandbox agree (see the file).
      setupFiles: ['<rootDir>/libs/server/ai/src/testing/ort-jest-realm.test-util.ts'],
    },
  ],
};
