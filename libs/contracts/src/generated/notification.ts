// Generated from schemas/notification.avsc by tools/avro-codegen.mjs. Do not edit.
/** Alertmanager notification status of a group or alert. */
export type FiringStatus = 'FIRING' | 'RESOLVED';
/** One alert as the notification presented it. */
export interface NotifiedAlert {
  /** Alert fingerprint, 16 lowercase hex digits. */
  fingerprint: string;
  /** Whether this alert fires or resolved. */
  status: FiringStatus;
  /** Alert labels. */
  labels: Record<string, string>;
  /** Alert annotations. */
  annotations: Record<string, string>;
  /** When the alert started, milliseconds since the Unix epoch. */
  startsAtMs: bigint;
  /** When the alert resolved, milliseconds since the Unix epoch; 0 while it fires. */
  endsAtMs: bigint;
  /** Link back to the alert's generator. */
  generatorURL: string;
}
/** What happened to a notification attempt. */
export type NotificationOutcome = 'SENT' | 'FAILED' | 'SUPPRESSED_STORM_LIMIT' | 'SUPPRESSED_DUPLICATE' | 'SUPPRESSED_MUTED';
/** One notification attempt of one alert group to one receiver, and its outcome. Value schema of the notifications topic: the audit trail of what receivers were sent (or why they were not). The alerts list is what the Alertmanager v4 webhook payload carried. Times are milliseconds, as in Alertmanager. */
export interface Notification {
  /** Tenant the alerts belong to. */
  tenant: string;
  /** Receiver name from the routing configuration. */
  receiver: string;
  /** Integration of the receiver that was used: webhook, ... */
  integration: string;
  /** Alertmanager group key: the route path and the values of the group_by labels. */
  groupKey: string;
  /** The group_by labels and their values. */
  groupLabels: Record<string, string>;
  /** FIRING when at least one alert of the group fires, RESOLVED when all resolved. */
  status: FiringStatus;
  /** Alerts of the group included in the notification. */
  alerts: NotifiedAlert[];
  /** Alerts left out because of the receiver's max_alerts. */
  truncatedAlerts: number;
  /** Key of this notification in the shared notification log (tenant, receiver, group key and the alert set); replicas and restarts skip a key already sent. */
  idempotencyKey: string;
  /** Delivery attempt number, 1 for the first try. */
  attempt: number;
  /** When the attempt finished (or was suppressed), milliseconds since the Unix epoch. */
  sentAtMs: bigint;
  /** SENT: the receiver accepted it. FAILED: the attempt failed (see errorMessage; retried while attempts remain). SUPPRESSED_STORM_LIMIT: over the receiver's storm limit. SUPPRESSED_DUPLICATE: the notification log shows it was already sent. SUPPRESSED_MUTED: an active mute time interval held it back. */
  outcome: NotificationOutcome;
  /** HTTP status the receiver answered, 0 when none (network error, suppressed). */
  responseStatus: number;
  /** Why the attempt failed, empty otherwise. */
  errorMessage: string;
}
/** The Avro schema of schemas/notification.avsc, as registered for its topics. */
export const NOTIFICATION_SCHEMA = {
  "type": "record",
  "name": "Notification",
  "namespace": "io.sextant.alerting",
  "doc": "One notification attempt of one alert group to one receiver, and its outcome. Value schema of the notifications topic: the audit trail of what receivers were sent (or why they were not). The alerts list is what the Alertmanager v4 webhook payload carried. Times are milliseconds, as in Alertmanager.",
  "fields": [
    {
      "name": "tenant",
      "type": "string",
      "doc": "Tenant the alerts belong to."
    },
    {
      "name": "receiver",
      "type": "string",
      "doc": "Receiver name from the routing configuration."
    },
    {
      "name": "integration",
      "type": "string",
      "default": "webhook",
      "doc": "Integration of the receiver that was used: webhook, ..."
    },
    {
      "name": "groupKey",
      "type": "string",
      "doc": "Alertmanager group key: the route path and the values of the group_by labels."
    },
    {
      "name": "groupLabels",
      "type": {
        "type": "map",
        "values": "string"
      },
      "default": {},
      "doc": "The group_by labels and their values."
    },
    {
      "name": "status",
      "type": {
        "type": "enum",
        "name": "FiringStatus",
        "doc": "Alertmanager notification status of a group or alert.",
        "symbols": [
          "FIRING",
          "RESOLVED"
        ]
      },
      "doc": "FIRING when at least one alert of the group fires, RESOLVED when all resolved."
    },
    {
      "name": "alerts",
      "type": {
        "type": "array",
        "items": {
          "type": "record",
          "name": "NotifiedAlert",
          "doc": "One alert as the notification presented it.",
          "fields": [
            {
              "name": "fingerprint",
              "type": "string",
              "doc": "Alert fingerprint, 16 lowercase hex digits."
            },
            {
              "name": "status",
              "type": "FiringStatus",
              "doc": "Whether this alert fires or resolved."
            },
            {
              "name": "labels",
              "type": {
                "type": "map",
                "values": "string"
              },
              "default": {},
              "doc": "Alert labels."
            },
            {
              "name": "annotations",
              "type": {
                "type": "map",
                "values": "string"
              },
              "default": {},
              "doc": "Alert annotations."
            },
            {
              "name": "startsAtMs",
              "type": "long",
              "doc": "When the alert started, milliseconds since the Unix epoch."
            },
            {
              "name": "endsAtMs",
              "type": "long",
              "default": 0,
              "doc": "When the alert resolved, milliseconds since the Unix epoch; 0 while it fires."
            },
            {
              "name": "generatorURL",
              "type": "string",
              "default": "",
              "doc": "Link back to the alert's generator."
            }
          ]
        }
      },
      "default": [],
      "doc": "Alerts of the group included in the notification."
    },
    {
      "name": "truncatedAlerts",
      "type": "int",
      "default": 0,
      "doc": "Alerts left out because of the receiver's max_alerts."
    },
    {
      "name": "idempotencyKey",
      "type": "string",
      "doc": "Key of this notification in the shared notification log (tenant, receiver, group key and the alert set); replicas and restarts skip a key already sent."
    },
    {
      "name": "attempt",
      "type": "int",
      "default": 1,
      "doc": "Delivery attempt number, 1 for the first try."
    },
    {
      "name": "sentAtMs",
      "type": "long",
      "doc": "When the attempt finished (or was suppressed), milliseconds since the Unix epoch."
    },
    {
      "name": "outcome",
      "type": {
        "type": "enum",
        "name": "NotificationOutcome",
        "doc": "What happened to a notification attempt.",
        "symbols": [
          "SENT",
          "FAILED",
          "SUPPRESSED_STORM_LIMIT",
          "SUPPRESSED_DUPLICATE",
          "SUPPRESSED_MUTED"
        ]
      },
      "doc": "SENT: the receiver accepted it. FAILED: the attempt failed (see errorMessage; retried while attempts remain). SUPPRESSED_STORM_LIMIT: over the receiver's storm limit. SUPPRESSED_DUPLICATE: the notification log shows it was already sent. SUPPRESSED_MUTED: an active mute time interval held it back."
    },
    {
      "name": "responseStatus",
      "type": "int",
      "default": 0,
      "doc": "HTTP status the receiver answered, 0 when none (network error, suppressed)."
    },
    {
      "name": "errorMessage",
      "type": "string",
      "default": "",
      "doc": "Why the attempt failed, empty otherwise."
    }
  ]
} as const;
