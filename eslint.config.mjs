// House rules as lint rules. Module boundaries: apps never import apps; libs never import apps; domain libs
// (pure logic) import only other domain libs and never the Kafka client, NestJS, ClickHouse or Redis; a stage
// scope only reaches its own scope and shared libs. kafkajs is imported by libs/kafka alone.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// One scope per app folder (each a declared stage: deploy/src/stage-declaration.spec.ts checks the two agree).
const appsDir = join(dirname(fileURLToPath(import.meta.url)), 'apps');
const stageScopes = readdirSync(appsDir).filter((d) => existsSync(join(appsDir, d, 'project.json'))).sort();

const frameworkImports = ['kafkajs', 'kafkajs-*', '@kafkajs/*', '@nestjs/*', '@clickhouse/*', 'chdb', 'chdb/*', 'ioredis'];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.nx/**', '.sextant/**', '**/generated/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'kind:domain', onlyDependOnLibsWithTags: ['kind:domain'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            ...stageScopes.map((s) => ({ sourceTag: `scope:${s}`, onlyDependOnLibsWithTags: [`scope:${s}`, 'scope:shared'] })),
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { patterns: [{ group: ['kafkajs', 'kafkajs-*', '@kafkajs/*'], message: 'Only libs/kafka talks to the Kafka client.' }, { group: ['@sextant/*/src/*', '../../libs/*', '../../apps/*'], message: 'Import a lib through its index (@sextant/<lib>).' }] }],
    },
  },
  {
    // libs/kafka loads KafkaJS's values through src/kafkajs.ts alone, which installs its corrections first.
    files: ['libs/kafka/**/*.ts'],
    ignores: ['libs/kafka/src/kafkajs.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [{ name: 'kafkajs', allowTypeImports: true, message: "Import KafkaJS's values from './kafkajs' (it installs Sextant's corrections first)." }] }],
      'no-restricted-imports': 'off',
    },
  },
  {
    files: ['libs/kafka/src/kafkajs.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['libs/contracts/**/*.ts', 'libs/otlp/**/*.ts', 'libs/parsing/**/*.ts', 'libs/exposition/**/*.ts', 'libs/remote-write/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: frameworkImports, message: 'Domain libs know nothing of Kafka, NestJS, ClickHouse or Redis.' }] }],
    },
  },
);
