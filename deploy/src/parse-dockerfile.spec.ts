import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDockerfile, substitute } from './parse-dockerfile';

const SAMPLE = `# syntax=docker/dockerfile:1
ARG BASE=node:20-bookworm-slim
ARG TAG

FROM \${BASE} AS build
RUN npm ci \\
  # a comment inside a continued instruction
  --omit=optional \\
 && echo done
copy . .

FROM --platform=linux/amd64 $BASE
USER 10001:10001
CMD ["node", "main.js"]
`;

describe('parseDockerfile', () => {
  const parsed = parseDockerfile(SAMPLE);

  it('keeps ARGs before the first FROM as global', () => {
    assert.deepEqual(parsed.globalArgs.map((a) => a.args), ['BASE=node:20-bookworm-slim', 'TAG']);
  });

  it('splits stages, names them and resolves FROM from global ARG defaults', () => {
    assert.deepEqual(
      parsed.stages.map((s) => [s.from, s.resolvedFrom, s.name]),
      [
        ['${BASE}', 'node:20-bookworm-slim', 'build'],
        ['$BASE', 'node:20-bookworm-slim', null],
      ],
    );
  });

  it('joins continuation lines, skipping comments inside them, and upper-cases keywords', () => {
    assert.deepEqual(
      parsed.stages[0].instructions.map((i) => [i.keyword, i.args, i.line]),
      [
        ['RUN', 'npm ci --omit=optional && echo done', 6],
        ['COPY', '. .', 10],
      ],
    );
  });

  it('leaves unknown variables as written', () => {
    assert.equal(substitute('a/${X}/$Y/${Z}', new Map([['Z', 'z']])), 'a/${X}/$Y/z');
  });
});
