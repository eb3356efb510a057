/** Monotonic counters reported by status(). */
export class Counters {
  requests = 0
  forwarded = 0
  /** Requests sent straight to the owner its owner cache named, and cache entries found stale. */
  ownerCacheHits = 0
  ownerCacheStale = 0
  /** Requests this member's RPC servers received (every protocol), and the frame bytes in and out. */
  rpcRequestsServed = 0
  rpcBytesIn = 0
  rpcBytesOut = 0
  routeFailures = 0
  gets = 0
  puts = 0
  deletes = 0
  keysReceived = 0
  keysTransferred = 0
  badFrames = 0
  /** Replica copies this peer sent as a write's coordinator and that were acknowledged. */
  replicaWrites = 0
  /** Writes that did not reach their write quorum. */
  quorumFailures = 0
  /** Replica copies sent to a member after the replica set because a replica failed (sloppy quorum). */
  hintedWrites = 0
  /** Gets answered by the owner's replicas because the owner did not answer. */
  readFallbacks = 0
  /** Gets this member answered from a read quorum (its own copy and its replicas'). */
  quorumReads = 0
  /** Stale or missing copies a quorum read sent the newest version to (read repair). */
  readRepairs = 0
  /** Quorum reads that got fewer answers than the read quorum. */
  readQuorumFailures = 0
  /** Gets refused after a restart: nothing found while the key's former replicas were not all back. */
  notReadyAfterRestart = 0
  /**
   * Gets that found nothing where nothing proves the key absent (a member unsure of its
   * range, the replicas of an unreachable owner): refused or routed on, never answered absent.
   */
  absentUnproven = 0
  /** Times this member returned (join, restart, new predecessor, pause) and caught up first. */
  catchUps = 0
  /** Records handed to successors by a graceful leave. */
  keysHandedOff = 0
  /** Records pulled from replicas by anti-entropy (newer than ours). */
  repairPulled = 0
  /** Records pushed to replicas by anti-entropy (they lacked them or held older versions). */
  repairPushed = 0
  /** Anti-entropy passes run, and range comparisons that found differences. */
  antiEntropyPasses = 0
  rangesRepaired = 0
  /** Neighbours dropped after failing `failureThreshold` requests in a row. */
  failuresDetected = 0
  /** Neighbours that announced they were leaving. */
  leavesReceived = 0
  tombstonesCollected = 0
  /** Records dropped because they lie outside every range this peer replicates. */
  strayRecordsDropped = 0
  /** Times this peer, left alone, found the ring again through a member it knew. */
  rejoins = 0
  /** Requests refused because the caller may not make them (a client, or a member outside the range). */
  refused = 0
  /** Records or versions refused because their timestamp was beyond the clock drift. */
  versionsRefused = 0
  /** Times a merge probe found a closer successor in another ring (a partition healed). */
  merges = 0
  /** Coordination operations this member decided as a key's proposer (CASPaxos rounds). */
  coordinationRounds = 0
  /**
   * Ring changes whose coordination keys are not carried over yet (a gauge, not a count):
   * while it is above 0, rounds use joint quorums, and a member of a set from before the
   * change that dies meanwhile can hold rounds up. Fault tests wait for 0 before a fault.
   */
  coordinationChangesOpen = 0
  /**
   * Topic reads this member served as a topic's home, and those it answered with "read
   * through a relay" (over the fan-out threshold); reads its relays answered from their
   * window, and those they passed to the home (below the window, or beyond it).
   */
  topicReadsServed = 0
  topicReadsRedirected = 0
  topicRelayReads = 0
  topicRelayProxied = 0
  /** Work queue tasks this member, as a queue's home, took in, leased, saw acked and nacked, and whose lease ran out. */
  tasksEnqueued = 0
  tasksLeased = 0
  tasksAcked = 0
  tasksNacked = 0
  leasesExpired = 0

  toJSON(): Record<string, number> {
    return { ...this } as unknown as Record<string, number>
  }
}
