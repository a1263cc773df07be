/** Injection tokens of the sink stage. */
export const SINK_RESOURCES = Symbol('SINK_RESOURCES');
