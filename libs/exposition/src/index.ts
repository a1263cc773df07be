export type { CommentEntry, Exemplar, ExpositionEntry, ExpositionFormat, FamilyMetadata, HelpEntry, Label, MetricType, SeriesEntry, TypeEntry, UnitEntry } from './exposition.model';
export { METRIC_NAME_LABEL } from './exposition.model';
export { ExpositionError } from './exposition.error';
export { DEFAULT_EXPOSITION_LIMITS, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_LINE_BYTES, resolveExpositionLimits, type ExpositionLimits } from './exposition.config';
export { ExpositionParser, parseExposition, parseExpositionText, type ExpositionBody, type ExpositionParseOptions } from './exposition-parser';
export {
  acceptHeader,
  DEFAULT_ACCEPT_HEADER,
  DEFAULT_SCRAPE_PROTOCOLS,
  SCRAPE_PROTOCOL_MEDIA_TYPES,
  selectParser,
  type NameEscapingScheme,
  type ParserSelection,
  type ParserSelectionOptions,
  type ScrapeProtocol,
} from './content-negotiation';
export { parseMediaType, type MediaType } from './parse-media-type';
export { EXPORTED_LABEL_PREFIX, mergeTargetLabels } from './merge-target-labels';
export { checkExemplar, checkSeriesLabels, EXEMPLAR_MAX_LABEL_SET_LENGTH, formatLabels, NO_LABEL_LIMITS, SampleLimiter, verifyLabelLimits, type LabelLimits } from './scrape-checks';
export { compareUtf8, sortLabels } from './label-order';
export { formatOpenMetricsFloat, parseFloatText } from './parse-float';
