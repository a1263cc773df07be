// Generated from schemas/alert.avsc by tools/avro-codegen.mjs. Do not edit.
/** Lifecycle state of an alert (Prometheus rule states plus RESOLVED). */
export type AlertState = 'INACTIVE' | 'PENDING' | 'FIRING' | 'RESOLVED';
/** Where an alert came from. */
export type AlertSource = 'RULE' | 'API';
/** One state change of one alert. Value schema of the alerts topic, keyed by fingerprint: the topic is the durable, replayable history of every alert, whether a Sextant rule raised it or a client posted it to the Alertmanager API. Times are milliseconds, as in Alertmanager. */
export interface Alert {
  /** Tenant the alert belongs to. */
  tenant: string;
  /** Alertmanager fingerprint of labels: 16 lowercase hex digits (alertFingerprint of @sextant/contracts). */
  fingerprint: string;
  /** Identifying labels, alertname included. */
  labels: Record<string, string>;
  /** Annotations (summary, description, runbook_url, ...), templates expanded. */
  annotations: Record<string, string>;
  /** State after this change. PENDING: the condition holds but not yet for the rule's for duration. FIRING: active. RESOLVED: stopped firing (endsAtMs set). INACTIVE: dropped from pending without firing. */
  state: AlertState;
  /** When the alert started (became pending, or was first posted), milliseconds since the Unix epoch. */
  startsAtMs: bigint;
  /** When the alert resolved, or the time it is assumed resolved if not refreshed (resolve_timeout), milliseconds since the Unix epoch; 0 when unknown. */
  endsAtMs: bigint;
  /** When this state change happened, milliseconds since the Unix epoch. */
  updatedAtMs: bigint;
  /** Link back to the rule or system that generated the alert. */
  generatorURL: string;
  /** RULE: evaluated by Sextant's alerting from metrics or logs. API: posted by an external client (Prometheus, amtool) to /api/v2/alerts. */
  source: AlertSource;
  /** Name of the alerting rule, empty for API alerts. */
  ruleName: string;
  /** Rule group of the rule, empty for API alerts. */
  ruleGroup: string;
  /** Value of the rule expression when the state changed ($value), null for API alerts. */
  value: number | null;
  /** Ids of the silences muting the alert. */
  silencedBy: string[];
  /** Fingerprints of the firing alerts that inhibit this one. */
  inhibitedBy: string[];
  /** Receivers the routing tree sends the alert to. */
  receivers: string[];
  /** Who acknowledged the alert (muting it until it resolves), empty when nobody did. */
  acknowledgedBy: string;
  /** When it was acknowledged, milliseconds since the Unix epoch; 0 when not. */
  acknowledgedAtMs: bigint;
}
/** The Avro schema of schemas/alert.avsc, as registered for its topics. */
export const ALERT_SCHEMA = {
  "type": "record",
  "name": "Alert",
  "namespace": "io.sextant.alerting",
  "doc": "One state change of one alert. Value schema of the alerts topic, keyed by fingerprint: the topic is the durable, replayable history of every alert, whether a Sextant rule raised it or a client posted it to the Alertmanager API. Times are milliseconds, as in Alertmanager.",
  "fields": [
    {
      "name": "tenant",
      "type": "string",
      "doc": "Tenant the alert belongs to."
    },
    {
      "name": "fingerprint",
      "type": "string",
      "doc": "Alertmanager fingerprint of labels: 16 lowercase hex digits (alertFingerprint of @sextant/contracts)."
    },
    {
      "name": "labels",
      "type": {
        "type": "map",
        "values": "string"
      },
      "doc": "Identifying labels, alertname included."
    },
    {
      "name": "annotations",
      "type": {
        "type": "map",
        "values": "string"
      },
      "default": {},
      "doc": "Annotations (summary, description, runbook_url, ...), templates expanded."
    },
    {
      "name": "state",
      "type": {
        "type": "enum",
        "name": "AlertState",
        "doc": "Lifecycle state of an alert (Prometheus rule states plus RESOLVED).",
        "symbols": [
          "INACTIVE",
          "PENDING",
          "FIRING",
          "RESOLVED"
        ]
      },
      "doc": "State after this change. PENDING: the condition holds but not yet for the rule's for duration. FIRING: active. RESOLVED: stopped firing (endsAtMs set). INACTIVE: dropped from pending without firing."
    },
    {
      "name": "startsAtMs",
      "type": "long",
      "doc": "When the alert started (became pending, or was first posted), milliseconds since the Unix epoch."
    },
    {
      "name": "endsAtMs",
      "type": "long",
      "default": 0,
      "doc": "When the alert resolved, or the time it is assumed resolved if not refreshed (resolve_timeout), milliseconds since the Unix epoch; 0 when unknown."
    },
    {
      "name": "updatedAtMs",
      "type": "long",
      "doc": "When this state change happened, milliseconds since the Unix epoch."
    },
    {
      "name": "generatorURL",
      "type": "string",
      "default": "",
      "doc": "Link back to the rule or system that generated the alert."
    },
    {
      "name": "source",
      "type": {
        "type": "enum",
        "name": "AlertSource",
        "doc": "Where an alert came from.",
        "symbols": [
          "RULE",
          "API"
        ]
      },
      "default": "RULE",
      "doc": "RULE: evaluated by Sextant's alerting from metrics or logs. API: posted by an external client (Prometheus, amtool) to /api/v2/alerts."
    },
    {
      "name": "ruleName",
      "type": "string",
      "default": "",
      "doc": "Name of the alerting rule, empty for API alerts."
    },
    {
      "name": "ruleGroup",
      "type": "string",
      "default": "",
      "doc": "Rule group of the rule, empty for API alerts."
    },
    {
      "name": "value",
      "type": [
        "null",
        "double"
      ],
      "default": null,
      "doc": "Value of the rule expression when the state changed ($value), null for API alerts."
    },
    {
      "name": "silencedBy",
      "type": {
        "type": "array",
        "items": "string"
      },
      "default": [],
      "doc": "Ids of the silences muting the alert."
    },
    {
      "name": "inhibitedBy",
      "type": {
        "type": "array",
        "items": "string"
      },
      "default": [],
      "doc": "Fingerprints of the firing alerts that inhibit this one."
    },
    {
      "name": "receivers",
      "type": {
        "type": "array",
        "items": "string"
      },
      "default": [],
      "doc": "Receivers the routing tree sends the alert to."
    },
    {
      "name": "acknowledgedBy",
      "type": "string",
      "default": "",
      "doc": "Who acknowledged the alert (muting it until it resolves), empty when nobody did."
    },
    {
      "name": "acknowledgedAtMs",
      "type": "long",
      "default": 0,
      "doc": "When it was acknowledged, milliseconds since the Unix epoch; 0 when not."
    }
  ]
} as const;
