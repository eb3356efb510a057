/** Request/response RPC: one long-lived stream per pair of peers, many requests on it. */
export const RPC_PROTOCOL = '/ringdht/rpc/1.0.0'

/** Bulk range transfer (join hand-over): one short-lived stream, pages pulled one by one. */
export const TRANSFER_PROTOCOL = '/ringdht/transfer/1.0.0'

export const PROTOCOLS: readonly string[] = [RPC_PROTOCOL, TRANSFER_PROTOCOL]
