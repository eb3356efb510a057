/** Request/response RPC: one long-lived stream per pair of peers, many requests on it. */
export const RPC_PROTOCOL = '/ringdht/rpc/1.0.0'

/** Bulk range transfer (join hand-over): one short-lived stream, pages pulled one by one. */
export const TRANSFER_PROTOCOL = '/ringdht/transfer/1.0.0'

/**
 * Work queue workers (peer/src/tasks): one long-lived stream from a worker to its queue's
 * home, on which the worker registers, holds one TAKE per free slot (the home answers
 * each with a task: back-pressure), and acks or nacks what it ran.
 */
export const TASKS_PROTOCOL = '/ringdht/tasks/1.0.0'

export const PROTOCOLS: readonly string[] = [RPC_PROTOCOL, TRANSFER_PROTOCOL, TASKS_PROTOCOL]
