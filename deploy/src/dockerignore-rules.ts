/**
 * Reads .dockerignore the way Docker applies it to the build context: patterns in order, the last one that
 * matches a path or one of its parent folders decides, `!` re-includes, `**` spans folders, `*` and `?` stay
 * within one path segment. Used to prove that every file the Dockerfile COPYs from the context is sent.
 */

/** One .dockerignore line. */
export interface IgnorePattern {
  /** Matches a context-relative path (no leading `./` or `/`). */
  regex: RegExp;
  /** `!pattern`: re-includes what earlier lines excluded. */
  exception: boolean;
}

function globToRegex(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i += 1) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      // `**/` matches zero or more folders; a trailing `**` matches everything below.
      out += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** The patterns of a .dockerignore text (comments and blank lines dropped). */
export function parseDockerignore(text: string): IgnorePattern[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const exception = l.startsWith('!');
      const glob = (exception ? l.slice(1) : l).trim().replace(/^\.?\//, '').replace(/\/$/, '');
      return { regex: globToRegex(glob), exception };
    });
}

/** True when `path` (relative to the context) is left out of the build context. */
export function isExcluded(path: string, patterns: readonly IgnorePattern[]): boolean {
  const clean = path.replace(/^\.?\//, '');
  const segments = clean.split('/');
  const prefixes = segments.map((_, i) => segments.slice(0, i + 1).join('/'));
  let excluded = false;
  for (const p of patterns) {
    // A line that names a folder covers what lies below it, for exclusions and exceptions alike.
    if (prefixes.some((x) => p.regex.test(x))) excluded = !p.exception;
  }
  return excluded;
}
