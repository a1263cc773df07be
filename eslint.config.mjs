// House rules as lint rules. Module boundaries: apps never import apps; libs never import apps; domain libs
// (pure logic) import only other domain libs and never the Kafka client, NestJS, ClickHouse or Redis; a stage
// scope only reaches its own scope and shared libs. kafkajs is imported by libs/kafka alone.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

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
            { sourceTag: 'scope:ingest', onlyDependOnLibsWithTags: ['scope:ingest', 'scope:shared'] },
            { sourceTag: 'scope:parser', onlyDependOnLibsWithTags: ['scope:parser', 'scope:shared'] },
            { sourceTag: 'scope:sink', onlyDependOnLibsWithTags: ['scope:sink', 'scope:shared'] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { patterns: [{ group: ['kafkajs', 'kafkajs-*', '@kafkajs/*'], message: 'Only libs/kafka talks to the Kafka client.' }, { group: ['@sextant/*/src/*', '../../libs/*', '../../apps/*'], message: 'Import a lib through its index (@sextant/<lib>).' }] }],
    },
  },
  {
    files: ['libs/kafka/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['libs/contracts/**/*.ts', 'libs/otlp/**/*.ts', 'libs/parsing/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: frameworkImports, message: 'Domain libs know nothing of Kafka, NestJS, ClickHouse or Redis.' }] }],
    },
  },
);
