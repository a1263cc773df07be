/**
 * The rules docker-compose.yml must keep, checked on `docker-compose config` output: every service runs a
 * pinned image or is built here, has a healthcheck and a restart policy; stateful infrastructure keeps its data
 * in named volumes; the Sextant services (the ones built from deploy/Dockerfile) start only once every piece of
 * infrastructure is healthy and get the configuration the config lib reads. Returns problems as sentences, so a
 * failing check says what to fix.
 */
import { isPinnedImage } from './pinned-image';

/** One service of `docker-compose config` output (only the fields the rules read). */
export interface ComposeService {
  image?: string;
  build?: { context?: string; dockerfile?: string; args?: Record<string, string> };
  healthcheck?: { test?: string[] | string; disable?: boolean };
  restart?: string;
  depends_on?: Record<string, { condition?: string }> | string[];
  environment?: Record<string, string | null>;
  ports?: Array<{ published?: number | string; target?: number } | string>;
  volumes?: Array<string | { type?: string; source?: string; target?: string }>;
}

/** `docker-compose config` output. */
export interface ComposeConfig {
  services?: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** What a compose file must provide. */
export interface ComposeExpectations {
  /** Services built from deploy/Dockerfile, by name; each is built with `APP=<name>`. */
  apps: readonly string[];
  /** Infrastructure services whose data must live in a named volume. */
  stateful: readonly string[];
  /** Ports the host must reach. */
  hostPorts: readonly number[];
  /** Environment every app must get. */
  appEnv: readonly string[];
}

/** The Dockerfile every app is built from, relative to the build context (the repository root). */
export const APP_DOCKERFILE = 'deploy/Dockerfile';

const RESTART_POLICIES = new Set(['always', 'unless-stopped', 'on-failure']);

function namedVolumeSources(service: ComposeService): string[] {
  return (service.volumes ?? []).flatMap((v) => {
    if (typeof v === 'string') {
      const source = v.split(':')[0];
      return source && !source.startsWith('/') && !source.startsWith('.') && v.includes(':') ? [source] : [];
    }
    return v.type === 'volume' && v.source ? [v.source] : [];
  });
}

function publishedPorts(service: ComposeService): number[] {
  return (service.ports ?? []).flatMap((p) => {
    if (typeof p === 'string') {
      const parts = p.split(':');
      return parts.length > 1 ? [Number(parts[parts.length - 2])] : [];
    }
    return p.published === undefined ? [] : [Number(p.published)];
  });
}

function healthyDependencies(service: ComposeService): Set<string> {
  const deps = service.depends_on;
  if (deps === undefined || Array.isArray(deps)) return new Set();
  return new Set(Object.entries(deps).filter(([, d]) => d.condition === 'service_healthy').map(([name]) => name));
}

/** Problems of one compose configuration against `expect`; empty when it keeps every rule. */
export function composeProblems(config: ComposeConfig, expect: ComposeExpectations): string[] {
  const problems: string[] = [];
  const services = config.services ?? {};
  const infra = Object.keys(services).filter((name) => !expect.apps.includes(name));
  const declaredVolumes = new Set(Object.keys(config.volumes ?? {}));

  for (const [name, service] of Object.entries(services)) {
    if (service.build === undefined && (service.image === undefined || !isPinnedImage(service.image))) {
      problems.push(`${name}: image '${service.image ?? ''}' is not pinned to a tag or digest (and nothing builds it)`);
    }
    const test = service.healthcheck?.test;
    const testText = Array.isArray(test) ? test.join(' ') : (test ?? '');
    if (service.healthcheck === undefined || service.healthcheck.disable === true || testText === '' || testText.startsWith('NONE')) {
      problems.push(`${name}: has no healthcheck`);
    }
    if (!RESTART_POLICIES.has(service.restart ?? '')) problems.push(`${name}: restart policy '${service.restart ?? ''}' does not restart it`);
    for (const source of namedVolumeSources(service)) {
      if (!declaredVolumes.has(source)) problems.push(`${name}: volume '${source}' is not declared under volumes`);
    }
  }

  for (const name of expect.stateful) {
    const service = services[name];
    if (service === undefined) problems.push(`${name}: stateful service is missing`);
    else if (namedVolumeSources(service).length === 0) problems.push(`${name}: keeps its data in no named volume`);
  }

  for (const name of expect.apps) {
    const service = services[name];
    if (service === undefined) {
      problems.push(`${name}: service is missing`);
      continue;
    }
    if (service.build?.dockerfile !== APP_DOCKERFILE) problems.push(`${name}: is not built from ${APP_DOCKERFILE}`);
    if (service.build?.args?.APP !== name) problems.push(`${name}: build arg APP is '${service.build?.args?.APP ?? ''}', expected '${name}'`);
    const healthy = healthyDependencies(service);
    for (const dep of infra) {
      if (!healthy.has(dep)) problems.push(`${name}: does not wait for ${dep} to be healthy (depends_on condition service_healthy)`);
    }
    const env = service.environment ?? {};
    for (const key of expect.appEnv) {
      if (env[key] === undefined || env[key] === null) problems.push(`${name}: environment lacks ${key}`);
    }
    if ((env.SEXTANT_SCHEMA_REGISTRY_URL ?? '').includes('/apis/ccompat')) {
      problems.push(`${name}: SEXTANT_SCHEMA_REGISTRY_URL points at Apicurio's ccompat path; Confluent's registry serves the root`);
    }
  }

  const published = new Set(Object.values(services).flatMap(publishedPorts));
  for (const port of expect.hostPorts) {
    if (!published.has(port)) problems.push(`host port ${port} is not published by any service`);
  }
  return problems;
}
