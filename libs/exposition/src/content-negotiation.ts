/**
 * What a scraper asks for and how it reads the answer, as Prometheus 3 does. The Accept header lists the
 * configured scrape protocols with falling q-values and then `*\/*`; the response's Content-Type picks the
 * parser; a missing, malformed or unknown Content-Type fails the scrape unless a fallback protocol is
 * configured (`fallback_scrape_protocol`), which is then used with a warning.
 */
import type { ExpositionFormat } from './exposition.model';
import { goQuote } from './go-quote';
import { parseMediaType } from './parse-media-type';

/** Prometheus's scrape protocol names (the values of `scrape_protocols` and `fallback_scrape_protocol`). */
export type ScrapeProtocol = 'PrometheusProto' | 'PrometheusText0.0.4' | 'PrometheusText1.0.0' | 'OpenMetricsText0.0.1' | 'OpenMetricsText1.0.0' | 'OpenMetricsText2.0.0';

/** The media type each protocol is requested with. */
export const SCRAPE_PROTOCOL_MEDIA_TYPES: Readonly<Record<ScrapeProtocol, string>> = Object.freeze({
  PrometheusProto: 'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited',
  'PrometheusText0.0.4': 'text/plain;version=0.0.4',
  'PrometheusText1.0.0': 'text/plain;version=1.0.0',
  'OpenMetricsText0.0.1': 'application/openmetrics-text;version=0.0.1',
  'OpenMetricsText1.0.0': 'application/openmetrics-text;version=1.0.0',
  'OpenMetricsText2.0.0': 'application/openmetrics-text;version=2.0.0',
});

/** Prometheus's default `scrape_protocols`, most wanted first (when native histograms are not scraped). */
export const DEFAULT_SCRAPE_PROTOCOLS: readonly ScrapeProtocol[] = Object.freeze(['OpenMetricsText1.0.0', 'OpenMetricsText0.0.1', 'PrometheusText1.0.0', 'PrometheusText0.0.4']);

/** How metric names that are not legacy names are to be sent (`escaping=` in the Accept header). */
export type NameEscapingScheme = 'allow-utf-8' | 'underscores' | 'dots' | 'values';

/** The protocols that carry an `escaping` parameter (the newer text formats). */
const ESCAPING_PROTOCOLS: ReadonlySet<ScrapeProtocol> = new Set(['PrometheusText1.0.0', 'OpenMetricsText1.0.0', 'OpenMetricsText2.0.0']);

/**
 * The Accept header for `protocols`: each protocol's media type (with `;escaping=<scheme>` on the newer text
 * formats) and `;q=0.N`, N counting down from the number of known protocols + 1, then `*\/*` with the next q.
 */
export function acceptHeader(protocols: readonly ScrapeProtocol[] = DEFAULT_SCRAPE_PROTOCOLS, escaping: NameEscapingScheme = 'allow-utf-8'): string {
  let weight = Object.keys(SCRAPE_PROTOCOL_MEDIA_TYPES).length + 1;
  const values = protocols.map((protocol) => {
    const escapingParam = ESCAPING_PROTOCOLS.has(protocol) ? `;escaping=${escaping}` : '';
    return `${SCRAPE_PROTOCOL_MEDIA_TYPES[protocol]}${escapingParam};q=0.${weight--}`;
  });
  values.push(`*/*;q=0.${weight}`);
  return values.join(',');
}

/** The Accept header Prometheus 3 sends by default. */
export const DEFAULT_ACCEPT_HEADER = acceptHeader();

export interface ParserSelectionOptions {
  /** Protocol assumed when the Content-Type is missing, malformed or not one Prometheus knows. Default none. */
  readonly fallbackProtocol?: ScrapeProtocol;
}

export type ParserSelection =
  /** Parse with `format`. `warning` says why the fallback protocol was used, when it was. */
  | { readonly ok: true; readonly format: ExpositionFormat; readonly mediaType: string; readonly version: string; readonly warning?: string }
  /** The scrape fails with `error` (Prometheus's wording). */
  | { readonly ok: false; readonly error: string };

/**
 * The parser for a response's Content-Type, as Prometheus picks it: `text/plain` (any version) → Prometheus
 * text; `application/openmetrics-text` (any version but 2.0.0) → OpenMetrics 1.0. OpenMetrics 2.0 (behind a
 * feature flag in Prometheus) counts as unsupported. Protobuf is recognized but has no parser here, so it
 * fails with its own message, also when it is the fallback.
 */
export function selectParser(contentType: string | undefined, options: ParserSelectionOptions = {}): ParserSelection {
  const fallback = options.fallbackProtocol === undefined ? '' : (SCRAPE_PROTOCOL_MEDIA_TYPES[options.fallbackProtocol].split(';')[0] ?? '');
  const choose = (mediaType: string, version: string, warning?: string): ParserSelection => {
    if (mediaType === 'text/plain') return withWarning({ ok: true, format: 'prometheus-text', mediaType, version }, warning);
    if (mediaType === 'application/openmetrics-text') return withWarning({ ok: true, format: 'openmetrics-text', mediaType, version }, warning);
    return { ok: false, error: `Content-Type ${mediaType} (protobuf exposition) is not supported by this parser` };
  };
  const useFallback = (noFallback: string, withFallback: string): ParserSelection =>
    fallback === '' ? { ok: false, error: noFallback } : choose(fallback, '', withFallback);

  if (contentType === undefined || contentType === '') {
    return useFallback(
      'non-compliant scrape target sending blank Content-Type and no fallback_scrape_protocol specified for target',
      `non-compliant scrape target sending blank Content-Type, using fallback_scrape_protocol ${goQuote(fallback)}`,
    );
  }
  const parsed = parseMediaType(contentType);
  if (parsed instanceof Error) {
    return useFallback(
      `cannot parse Content-Type ${goQuote(contentType)} and no fallback_scrape_protocol for target\n${parsed.message}`,
      `could not parse received Content-Type ${goQuote(contentType)}, using fallback_scrape_protocol ${goQuote(fallback)}\n${parsed.message}`,
    );
  }
  const version = parsed.params.get('version') ?? '';
  if (parsed.type === 'application/openmetrics-text' && version === '2.0.0') {
    return useFallback(
      `received OpenMetrics 2.0 Content-Type ${goQuote(contentType)}, but the openmetrics2 feature flag is not enabled and no fallback_scrape_protocol specified for target`,
      `received OpenMetrics 2.0 Content-Type ${goQuote(contentType)}, but the openmetrics2 feature flag is not enabled, using fallback_scrape_protocol ${goQuote(fallback)}`,
    );
  }
  if (parsed.type === 'text/plain' || parsed.type === 'application/openmetrics-text' || parsed.type === 'application/vnd.google.protobuf') {
    return choose(parsed.type, version);
  }
  return useFallback(
    `received unsupported Content-Type ${goQuote(contentType)} and no fallback_scrape_protocol specified for target`,
    `received unsupported Content-Type ${goQuote(contentType)}, using fallback_scrape_protocol ${goQuote(fallback)}`,
  );
}

function withWarning(selection: ParserSelection & { ok: true }, warning: string | undefined): ParserSelection {
  return warning === undefined ? selection : { ...selection, warning };
}
