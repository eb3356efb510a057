/**
 * Values of `Request.type` on the wire. Stable: never renumber, only add. A peer that
 * receives a type it does not know answers UNKNOWN_REQUEST_TYPE.
 */
export const MessageType = {
  GET: 1,
  PUT: 2,
  DELETE: 3,
  FIND_SUCCESSOR: 4,
  GET_PREDECESSOR: 5,
  NOTIFY: 6,
  GET_SUCCESSOR_LIST: 7,
  PING: 8,
  TRANSFER: 9,
  STATUS: 10,
  SCAN: 11,
  /** A peer leaving gracefully tells its predecessor and successor (issue 4). */
  LEAVE: 12,
  /** Bucket digests of a range (anti-entropy). */
  DIGEST: 13,
  /** A page of a range's records, tombstones included, on the RPC stream (repair). */
  FETCH_RANGE: 14,
  /** Apply a batch of versioned records (replica repair, hand-off on leave). */
  STORE_BATCH: 15,
  /**
   * A CASPaxos prepare or accept from a coordination key's proposer (its owner) to one of
   * the key's acceptors (its replicas); members of the key's replica set only.
   */
  PAXOS: 16,
  /** A coordination operation (read, cas, lock) on a register, routed to the key's owner. */
  REGISTER: 17,
  /**
   * One message of a Bully election among a named group of members (election, coordinator,
   * heartbeat); the answer to an election is its response. Members of the group only.
   */
  BULLY: 18,
  /**
   * Home logs (peer/src/homes): entries from a log's home to a member of its replica set;
   * a replica refuses epochs below the one it promised. Members of the replica set only.
   */
  LOG_APPEND: 19,
  /** A new home of a log seals it: the replica promises the epoch and answers its tail. */
  LOG_SEAL: 20,
  /** A page of a log's entries from a replica (a new home catching up). Replica set only. */
  LOG_READ: 21,
  /** Publish a message on a topic; routed to the topic's home. */
  TOPIC_PUBLISH: 22,
  /** Read a topic's messages from a sequence number (waiting for new ones); routed to the home. */
  TOPIC_READ: 23,
  /** Read the changes of a key from its watch log; routed to the key's owner. */
  WATCH_READ: 24,
  /** Add a task to a work queue; routed to the queue's home (peer/src/tasks). */
  QUEUE_ENQUEUE: 25,
  /** A work queue's counts and settings, and its home; routed to the queue's home. */
  QUEUE_STATS: 26,
  /** Configure a queue, list or replay its dead letters; routed to the queue's home. */
  QUEUE_ADMIN: 27,
  /** A worker registers with the queue's home (on the tasks protocol, to the home itself). */
  QUEUE_JOIN: 28,
  /** A worker's free slot: answered with a task leased to it, or none in time (tasks protocol). */
  QUEUE_TAKE: 29,
  /** A worker acks or nacks a task it holds under a lease token (tasks protocol). */
  QUEUE_SETTLE: 30,
  /** Set a topic's retention (by count, by age); routed to the topic's home. */
  TOPIC_CONFIGURE: 31,
} as const

export type MessageType = (typeof MessageType)[keyof typeof MessageType]

const NAMES = new Map<number, string>(
  Object.entries(MessageType).map(([name, value]) => [value, name]),
)

export function isMessageType(value: number): value is MessageType {
  return NAMES.has(value)
}

/** The name of a message type for logs; 'UNKNOWN(n)' for values this version does not know. */
export function messageTypeName(value: number): string {
  return NAMES.get(value) ?? `UNKNOWN(${value})`
}
