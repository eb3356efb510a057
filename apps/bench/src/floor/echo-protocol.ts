/** The protocol of the floor's echo service: one length-prefixed frame back for each in. */
export const ECHO_PROTOCOL = '/ringdht-bench/echo/1.0.0'

/** Streams the echo service accepts per connection; above the workload's concurrency. */
export const ECHO_MAX_STREAMS = 1_024
