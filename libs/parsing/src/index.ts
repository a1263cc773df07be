/**
 * @sextant/parsing: the parser stage's body parsing (JSON objects, plain text), as pure functions on
 * LogRecords. Knows nothing of Kafka or the service around it.
 */
export { BODY_PARSERS, parseLogRecord } from './parse-log-record';
export { NOT_APPLICABLE, trimLineEnd, type BodyParseOutcome, type BodyParser } from './body-parser';
export {
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_PROMOTED_ATTRIBUTES,
  DEFAULT_PARSE_OPTIONS,
  resolveParseOptions,
  type ParseOptions,
} from './parsing.config';
export { ParseFlag } from './parse-flags';
export {
  JSON_BODY_PARSER,
  LEVEL_KEYS,
  MESSAGE_KEYS,
  parseJsonBody,
  SPAN_ID_KEYS,
  TIME_KEYS,
  TRACE_ID_KEYS,
} from './parse-json-body';
export { detectLeadingLevel, parsePlainBody, PLAIN_BODY_PARSER } from './parse-plain-body';
export { SeverityNumber, severityOfNumericLevel, severityOfWord } from './parse-severity';
export { parseEpochNumber, parseRfc3339, parseTimestamp } from './parse-timestamp';
export {
  encodeJsonValue,
  isJsonObject,
  JsonBigNumber,
  JsonSyntaxError,
  MAX_JSON_DEPTH,
  parseJsonText,
  type JsonObject,
  type JsonValue,
} from './parse-json-text';
export { truncateUtf8 } from './truncate-utf8';
