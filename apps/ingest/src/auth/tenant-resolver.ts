/**
 * Decides which tenant a request belongs to, from its credential: a bearer token listed in the tokens file
 * (`<token> <tenant>` per line, `#` comments) names its tenant and wins over any header. Without a token,
 * and only when anonymous access is configured, `X-Scope-OrgID` (as Loki and Mimir use it) or the default
 * tenant applies. Tokens are compared in constant time.
 */
import { readFileSync } from 'node:fs';
import { timingSafeEqual } from 'node:crypto';

export const TENANT_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;

export class AuthError extends Error {
  constructor(
    message: string,
    readonly status: 401 | 400,
  ) {
    super(message);
  }
}

export interface TenantResolverOptions {
  tokens: Map<string, string>;
  anonymous: boolean;
  defaultTenant: string;
}

export function parseTokensFile(text: string, source = 'tokens file'): Map<string, string> {
  const tokens = new Map<string, string>();
  text.split(/\r?\n/).forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const parts = trimmed.split(/\s+/);
    if (parts.length !== 2 || !TENANT_PATTERN.test(parts[1] ?? '')) throw new Error(`${source}:${i + 1}: expected "<token> <tenant>"`);
    tokens.set(parts[0] as string, parts[1] as string);
  });
  return tokens;
}

export function loadTokensFile(path: string): Map<string, string> {
  return path === '' ? new Map() : parseTokensFile(readFileSync(path, 'utf8'), path);
}

export class TenantResolver {
  private readonly tokens: { token: Buffer; tenant: string }[];

  constructor(private readonly opts: TenantResolverOptions) {
    this.tokens = [...opts.tokens].map(([token, tenant]) => ({ token: Buffer.from(token), tenant }));
  }

  resolve(headers: Record<string, string | string[] | undefined>): string {
    const auth = first(headers['authorization']);
    if (auth !== undefined && auth !== '') {
      const m = /^Bearer\s+(\S+)$/i.exec(auth);
      if (!m) throw new AuthError('Authorization header must be "Bearer <token>"', 401);
      const given = Buffer.from(m[1] as string);
      let tenant: string | undefined;
      for (const t of this.tokens) {
        if (t.token.length === given.length && timingSafeEqual(t.token, given)) tenant = t.tenant;
      }
      if (tenant === undefined) throw new AuthError('unknown bearer token', 401);
      return tenant;
    }
    if (!this.opts.anonymous) throw new AuthError('missing bearer token', 401);
    const org = first(headers['x-scope-orgid']);
    if (org === undefined || org === '') return this.opts.defaultTenant;
    if (!TENANT_PATTERN.test(org)) throw new AuthError('X-Scope-OrgID must be 1-128 letters, digits, ".", "_" or "-"', 400);
    return org;
  }
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
