/** Injection tokens of the aggregator stage. */
export const AGGREGATOR_RESOURCES = Symbol('AGGREGATOR_RESOURCES');
