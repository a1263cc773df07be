/**
 * A small Dockerfile reader, enough to check the rules of deploy/Dockerfile without a Docker engine: it drops
 * comments (parser directives included), joins `\` continuation lines, splits the file into the global part
 * (ARGs before the first FROM) and build stages, and resolves a FROM's `${ARG}` references from the global ARG
 * defaults. Heredocs (`RUN <<EOF`) and a custom escape directive are not supported; deploy/Dockerfile uses
 * neither.
 */

/** One instruction after continuation lines are joined. */
export interface DockerInstruction {
  /** Upper-cased keyword: FROM, RUN, COPY, ... */
  keyword: string;
  /** Everything after the keyword, trimmed, continuations joined with a space. */
  args: string;
  /** 1-based line where the instruction starts. */
  line: number;
}

/** One build stage: its FROM and the instructions up to the next FROM. */
export interface DockerStage {
  /** Base image as written, e.g. `${NODE_IMAGE}`. */
  from: string;
  /** Base image with global ARG defaults substituted. */
  resolvedFrom: string;
  /** Name given with `AS`, or null. */
  name: string | null;
  instructions: DockerInstruction[];
}

export interface ParsedDockerfile {
  /** ARG instructions before the first FROM. */
  globalArgs: DockerInstruction[];
  stages: DockerStage[];
}

function instructions(text: string): DockerInstruction[] {
  const out: DockerInstruction[] = [];
  let pending: { text: string; line: number } | null = null;
  text.split(/\r?\n/).forEach((raw, index) => {
    const trimmed = raw.trim();
    // Comment lines may sit inside a continued instruction; they never continue it themselves.
    if (trimmed.startsWith('#')) return;
    if (pending === null && trimmed === '') return;
    const continues = trimmed.endsWith('\\');
    const body = continues ? trimmed.slice(0, -1).trim() : trimmed;
    pending = pending === null ? { text: body, line: index + 1 } : { text: `${pending.text} ${body}`.trim(), line: pending.line };
    if (continues) return;
    const match = /^(\S+)\s*(.*)$/s.exec(pending.text);
    if (match) out.push({ keyword: match[1].toUpperCase(), args: match[2].trim(), line: pending.line });
    pending = null;
  });
  return out;
}

/** Defaults of `ARG NAME=value` instructions. */
export function argDefaults(args: readonly DockerInstruction[]): Map<string, string> {
  const defaults = new Map<string, string>();
  for (const arg of args) {
    const eq = arg.args.indexOf('=');
    if (eq > 0) defaults.set(arg.args.slice(0, eq).trim(), arg.args.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1'));
  }
  return defaults;
}

/** Replaces `$NAME` and `${NAME}` with their values; unknown names stay as written. */
export function substitute(text: string, values: ReadonlyMap<string, string>): string {
  return text.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced: string | undefined, bare: string | undefined) => values.get(braced ?? bare ?? '') ?? whole);
}

/** Reads a Dockerfile's text into its global ARGs and stages. */
export function parseDockerfile(text: string): ParsedDockerfile {
  const parsed: ParsedDockerfile = { globalArgs: [], stages: [] };
  let defaults = new Map<string, string>();
  for (const instruction of instructions(text)) {
    if (instruction.keyword === 'FROM') {
      const words = instruction.args.split(/\s+/).filter((w) => !w.startsWith('--'));
      const from = words[0] ?? '';
      const name = words.length >= 3 && words[1].toUpperCase() === 'AS' ? words[2] : null;
      parsed.stages.push({ from, resolvedFrom: substitute(from, defaults), name, instructions: [] });
    } else if (parsed.stages.length === 0) {
      if (instruction.keyword === 'ARG') {
        parsed.globalArgs.push(instruction);
        defaults = argDefaults(parsed.globalArgs);
      }
    } else {
      parsed.stages[parsed.stages.length - 1].instructions.push(instruction);
    }
  }
  return parsed;
}
