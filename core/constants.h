#pragma once
// Every limit and tunable default of the node, in one place. Units come last in names.

#include <cstddef>
#include <cstdint>

namespace ringcache::constants {

// --- protocol limits (RESP) --------------------------------------------------------------------
// Largest bulk string a client may send (redis.conf proto-max-bulk-len default: 512 MB).
inline constexpr int64_t proto_max_bulk_len_default = 512LL * 1024 * 1024;
// The smallest value CONFIG SET accepts for proto-max-bulk-len (Redis: 1 MB).
inline constexpr int64_t proto_max_bulk_len_min = 1024 * 1024;
// Most arguments in one multibulk request (Redis: 1024*1024*1024; we are stricter).
inline constexpr int64_t multibulk_args_max = 1024 * 1024;
// Longest inline command line and longest multibulk/bulk header line (Redis: 64 KB).
inline constexpr size_t inline_line_bytes_max = 64 * 1024;
// Query buffer cap per client (Redis client-query-buffer-limit default: 1 GB).
inline constexpr size_t query_buffer_bytes_max = 1024ULL * 1024 * 1024;
// Bytes requested from the socket per read.
inline constexpr size_t read_chunk_bytes = 16 * 1024;
// Pending reply bytes at which the connection flushes before parsing more pipelined commands.
inline constexpr size_t reply_flush_bytes = 64 * 1024;
// The cron's query buffer rules (Redis' clientsCronResizeQueryBuffer): a client waiting for
// input longer than this gives its buffer back; a buffer over the threshold and twice the
// largest request held since the last cron tick shrinks to one read's room.
inline constexpr int64_t query_buffer_idle_release_ms = 2000;
inline constexpr size_t query_buffer_resize_threshold_bytes = 32 * 1024;
static_assert(read_chunk_bytes < query_buffer_resize_threshold_bytes);
// Reply buffer capacity an idle connection keeps; more (left by one large reply) is freed.
inline constexpr size_t reply_buffer_idle_bytes_max = 256 * 1024;
static_assert(reply_flush_bytes <= reply_buffer_idle_bytes_max);
static_assert(inline_line_bytes_max < query_buffer_bytes_max);
static_assert(proto_max_bulk_len_min <= proto_max_bulk_len_default);

// --- protocol limits (HTTP front end) ------------------------------------------------------------
// Request line (method, target, version): a longer one is refused with 414 URI Too Long.
inline constexpr size_t http_request_line_bytes_max = 16 * 1024;
// Request line plus headers up to the blank line, and the number of header fields: more is
// refused with 431 Request Header Fields Too Large.
inline constexpr size_t http_head_bytes_max = 32 * 1024;
inline constexpr size_t http_headers_max = 64;
// Request body (Content-Length): more is refused with 413 Content Too Large. Values larger than
// this travel over RESP.
inline constexpr size_t http_body_bytes_max = 16 * 1024 * 1024;
// A key after percent-decoding: a longer one is refused with 414.
inline constexpr size_t http_key_bytes_max = 8 * 1024;
// Nesting of arrays and objects in a JSON body: deeper is a 400.
inline constexpr size_t json_depth_max = 32;
// Values (scalars, arrays, objects) in one JSON body: bounds the tree a small body can expand
// into, and the duplicate-key check within an object.
inline constexpr size_t json_values_max = 4096;
static_assert(http_request_line_bytes_max <= http_head_bytes_max);
static_assert(http_key_bytes_max < http_request_line_bytes_max);
static_assert(http_body_bytes_max < query_buffer_bytes_max);

// --- datagrams (Runtime::open_datagram) -----------------------------------------------------------
// Largest message: what one UDP datagram over IPv4 carries.
inline constexpr size_t datagram_bytes_max = 65507;

// --- clients ------------------------------------------------------------------------------------
inline constexpr int64_t maxclients_default = 10000;
// client-query-buffer-limit: default (Redis: 1 GB) and the range CONFIG SET accepts (Redis:
// 1 MB and up). Above query_buffer_bytes_max, that hard cap applies.
inline constexpr int64_t client_query_buffer_limit_default_bytes = 1024LL * 1024 * 1024;
inline constexpr int64_t client_query_buffer_limit_min_bytes = 1024 * 1024;
static_assert(client_query_buffer_limit_min_bytes <= client_query_buffer_limit_default_bytes);
static_assert(client_query_buffer_limit_default_bytes <=
              static_cast<int64_t>(query_buffer_bytes_max));
// client-output-buffer-limit defaults, as redis.conf: normal clients unlimited, replicas
// 256mb 64mb 60, pub/sub subscribers 32mb 8mb 60.
inline constexpr uint64_t obuf_normal_hard_bytes_default = 0;
inline constexpr uint64_t obuf_normal_soft_bytes_default = 0;
inline constexpr int64_t obuf_normal_soft_seconds_default = 0;
inline constexpr uint64_t obuf_replica_hard_bytes_default = 256ULL * 1024 * 1024;
inline constexpr uint64_t obuf_replica_soft_bytes_default = 64ULL * 1024 * 1024;
inline constexpr int64_t obuf_replica_soft_seconds_default = 60;
inline constexpr uint64_t obuf_pubsub_hard_bytes_default = 32ULL * 1024 * 1024;
inline constexpr uint64_t obuf_pubsub_soft_bytes_default = 8ULL * 1024 * 1024;
inline constexpr int64_t obuf_pubsub_soft_seconds_default = 60;
static_assert(obuf_replica_soft_bytes_default <= obuf_replica_hard_bytes_default);
static_assert(obuf_pubsub_soft_bytes_default <= obuf_pubsub_hard_bytes_default);
// tls-session-cache-size and -timeout defaults (Redis: 20480 sessions, 300 s).
inline constexpr int64_t tls_session_cache_size_default = 20480;
inline constexpr int64_t tls_session_cache_timeout_default_seconds = 300;
inline constexpr size_t client_name_bytes_max = 1024;

// --- pub/sub, client-side caching, transactions ------------------------------------------------
// Pending pushes (pub/sub messages, invalidations) plus unsent output past which a client is
// disconnected: Redis' client-output-buffer-limit pubsub hard limit (32 MB).
inline constexpr size_t push_output_bytes_max = 32ULL * 1024 * 1024;
// Keys remembered for CLIENT TRACKING's default mode (tracking-table-max-keys default); past it
// the oldest are invalidated and forgotten. 0 in the config means no limit, as in Redis.
inline constexpr int64_t tracking_table_keys_max_default = 1'000'000;
// Distinct error kinds INFO errorstats counts (Redis' ERROR_STATS_NUMBER); later kinds are not
// counted, so a client inventing error words cannot grow the table without bound.
inline constexpr size_t info_error_kinds_max = 128;
// Bytes of argv a client may queue between MULTI and EXEC; past it the transaction is refused
// (Redis has no limit below the query buffer's; this keeps one client from taking all memory).
inline constexpr size_t multi_queued_bytes_max = 256ULL * 1024 * 1024;
static_assert(push_output_bytes_max < query_buffer_bytes_max);

// --- keyspace -----------------------------------------------------------------------------------
// Largest string value (Redis: 512 MB).
inline constexpr int64_t string_bytes_max = 512LL * 1024 * 1024;
// A string grown in place (APPEND, SETRANGE) gets room to double up to this size, and this much
// room beyond it (Redis' SDS_MAX_PREALLOC: 1 MB).
inline constexpr size_t string_grow_doubling_bytes_max = 1024 * 1024;
// Hash table sizing: initial bucket count (power of two) and the load factor that starts a grow.
inline constexpr size_t table_initial_buckets = 16;
// Entries per bucket at which the table doubles (Redis: 1), and the fill below which it shrinks
// (fewer than one entry per table_shrink_fill_ratio buckets; Redis 7.2: 8).
inline constexpr size_t table_load_factor_max = 1;
inline constexpr size_t table_shrink_fill_ratio = 8;
// Records per chunk of the expiry side array (ExpireSet): 16 bytes each, so 16 KiB chunks.
inline constexpr size_t expire_chunk_records = 1024;
// Buckets moved per incremental rehash step on each table operation.
inline constexpr size_t rehash_steps_per_op = 1;
// Empty buckets visited at most per rehash step before giving up (bounds one step's work).
inline constexpr size_t rehash_empty_visits_max = 10;
// Keys of pipelined requests whose table slots and entries are prefetched before a batch runs.
inline constexpr size_t prefetch_keys_max = 32;

// --- collections (lists, sets, sorted sets, hashes) ---------------------------------------------
// Compact-encoding thresholds, as redis.conf's *-max-listpack-* defaults (Redis 7.0): a value
// stays compact while it has at most this many elements, each at most this many bytes.
inline constexpr int64_t hash_max_listpack_entries_default = 128;
inline constexpr int64_t hash_max_listpack_value_default = 64;
inline constexpr int64_t zset_max_listpack_entries_default = 128;
inline constexpr int64_t zset_max_listpack_value_default = 64;
// Stream nodes (blocks): a new one starts when the last would reach this many bytes in Redis'
// listpack form, or holds this many entries (deleted ones included), as redis.conf's defaults.
inline constexpr int64_t stream_node_max_bytes_default = 4096;
inline constexpr int64_t stream_node_max_entries_default = 100;
// Redis caps a stream node at 1 GiB whatever stream-node-max-bytes says; also the ceiling of an
// approximate trim's default LIMIT.
inline constexpr int64_t stream_node_bytes_max = int64_t{1} << 30;
// An approximate trim without LIMIT stops after this many nodes' worth of entries, or after
// stream_trim_limit_fallback entries when nodes have no entry cap.
inline constexpr int64_t stream_trim_limit_nodes = 100;
inline constexpr int64_t stream_trim_limit_fallback = 10000;
// XAUTOCLAIM: COUNT by default, and how many pending entries it may scan per entry claimed.
inline constexpr int64_t stream_autoclaim_count_default = 100;
inline constexpr int64_t stream_autoclaim_attempts_factor = 10;
// Entries a blocked XREAD/XREADGROUP without COUNT takes when woken, as Redis.
inline constexpr int64_t stream_blocked_read_count_default = 1000;
// XINFO STREAM FULL without COUNT: entries and pending entries shown.
inline constexpr int64_t stream_info_full_count_default = 10;
// Longest stream ID argument Redis reads (it copies it into a 128-byte buffer).
inline constexpr size_t stream_id_text_bytes_max = 127;
inline constexpr int64_t set_max_intset_entries_default = 512;
// list-max-listpack-size: > 0 elements per list node, -1..-5 node bytes 4/8/16/32/64 KiB.
inline constexpr int64_t list_max_listpack_size_default = -2;
inline constexpr int64_t list_compress_depth_default = 0;
// Elements per command when a collection is written out as commands (AOF rewrite, replica
// sync; Redis' AOF_REWRITE_ITEMS_PER_CMD).
inline constexpr size_t rebuild_items_per_command_max = 64;
// Compact encodings up to this many bytes live inside their key's Entry, after the collection
// object (store/compact_storage.h): one allocation for a small value. Larger ones keep a buffer
// of their own, so a write does not copy a large entry.
inline constexpr size_t collection_inline_bytes_max = 1024;
// Growth room of a compact encoding inline in its Entry: when a write outgrows the room, the
// entry is re-packed with that room and a quarter more (at least what the value needs), so a run
// of one-element writes re-packs it O(log n) times rather than once a write; room beyond a
// quarter of the value's bytes is given back (Entry::collection_repack_wanted). A quarter, as
// the spacing of jemalloc's size classes that Redis' listpacks grow in: a 5-field hash grown one
// field at a time ends in the chunk of one written whole (docs/memory.md).
inline constexpr size_t collection_room_growth_divisor = 4;

// --- lists (quicklist nodes) -------------------------------------------------------------------
// Node bytes for list-max-listpack-size -1 (each step down doubles it, to 64 KiB at -5), and the
// most a node holds when the option counts elements (Redis' SIZE_SAFETY_LIMIT).
inline constexpr size_t list_node_bytes_base = 4096;
inline constexpr int64_t list_node_size_class_min = -5;
inline constexpr size_t list_node_safety_bytes = 8192;

// --- blocking commands -------------------------------------------------------------------------
// A BLPOP-style timeout longer than this (in ms, about 31 years) waits forever: the deadline
// would not fit the monotonic clock's nanoseconds.
inline constexpr int64_t block_timeout_ms_max = 1'000'000'000'000;
// --- hashes and sets -----------------------------------------------------------------------------
// The full encoding's open-addressing table (store/field_table.h): smallest size in slots; it
// grows past 3/4 full and shrinks below 1/8.
inline constexpr size_t field_table_slots_min = 8;
// HRANDFIELD/SRANDMEMBER with a positive count take distinct elements by copying and removing
// when the count is above 1/this of the size (Redis' SRANDMEMBER_SUB_STRATEGY_MUL), else by
// sampling until enough distinct ones are found.
inline constexpr int64_t random_distinct_copy_ratio = 3;

// --- sorted sets --------------------------------------------------------------------------------
// Most members ZRANDMEMBER with a negative count (repeats allowed) replies: Redis has no bound
// and would build a reply of any size; past this we refuse with "value is out of range".
inline constexpr size_t zrandmember_count_max = size_t{1} << 22;
// Entries per block of a big sorted set's order (core/store/zset_order.h): a descent reads about
// log_16(n) blocks, each searched in a few cache lines, where a binary tree misses the cache
// once per level. Blocks below a quarter full are merged or refilled from a neighbour.
inline constexpr int zset_order_fanout = 32;
inline constexpr int zset_order_fill_min = zset_order_fanout / 4;
inline constexpr int zset_order_height_max = 16;  // 8^16 members: far past any memory
static_assert(zset_order_fill_min >= 2 && zset_order_fanout % 2 == 0);

// --- active expiry (like Redis' activeExpireCycle) ---------------------------------------------
inline constexpr int hz_default = 10;
inline constexpr int hz_min = 1;
inline constexpr int hz_max = 500;
// Keys sampled per loop of the expiry cycle, and the stale share that makes it loop again.
inline constexpr int expire_keys_per_loop = 20;
inline constexpr int expire_acceptable_stale_percent = 10;
// Share of each cron period the active expiry cycle may spend (Redis: 25%).
inline constexpr int expire_cycle_cpu_percent = 25;

// --- eviction -----------------------------------------------------------------------------------
inline constexpr int maxmemory_samples_default = 5;
inline constexpr int maxmemory_samples_max = 64;
inline constexpr int eviction_pool_size = 16;
inline constexpr int lfu_log_factor_default = 10;
inline constexpr int lfu_decay_time_default = 1;  // minutes
inline constexpr int lfu_init_val = 5;
// Keys evicted at most per make_room call; if still over maxmemory the write goes ahead and later
// calls (commands, cron) carry on, as Redis' time-boxed eviction does (EVICT_RUNNING).
inline constexpr int evictions_per_command_max = 1024;
// RANDOMKEY on a replica, which hides expired keys without deleting them: draws of hidden keys
// before it answers nil rather than loop over a table of stale keys.
inline constexpr size_t random_key_hidden_draws_max = 100;

// --- eviction lab: the shapes of the policy cores (core/store/policies/) ------------------------
// S3-FIFO: the small FIFO's and the ghost FIFO's shares of the capacity, and the reads in the
// small FIFO that earn a key its place in main (libCacheSim's defaults).
inline constexpr double s3fifo_small_ratio = 0.10;
inline constexpr double s3fifo_ghost_ratio = 0.90;
inline constexpr int s3fifo_move_to_main_threshold = 2;
// W-TinyLFU: window share, protected share of the main SLRU, and the hill climber of the adaptive
// variant (Caffeine's: step 6.25% of the capacity, decay 0.98, restart on a 5% hit-ratio change,
// window at most 80% of the capacity).
inline constexpr double wtinylfu_window_ratio = 0.01;
inline constexpr double wtinylfu_protected_ratio = 0.80;
inline constexpr double wtinylfu_climb_step_ratio = 0.0625;
inline constexpr double wtinylfu_climb_step_decay = 0.98;
inline constexpr double wtinylfu_climb_restart_threshold = 0.05;
inline constexpr double wtinylfu_window_max_ratio = 0.80;
// The node's adapter of these cores (core/store/core_eviction.h) keeps a key's slot number + 1 in
// the entry's 24-bit access field: slots up to this one; later ones spill into a side map (the
// field then holds eviction_slot_spilled).
inline constexpr uint32_t eviction_slot_spilled = (1u << 24) - 1;
inline constexpr uint32_t eviction_direct_slots_max = eviction_slot_spilled - 1;
// The request rate a replay of Redis' sampled policies stands for (their clocks count seconds and
// minutes; a replay counts requests): ringcache-trace --request-rate.
inline constexpr uint64_t replay_requests_per_second_default = 1000;
// Keys the frequency sketch is first sized for, at most (2 bytes each).
inline constexpr uint64_t sketch_items_initial_max = 1 << 20;

// --- commands -----------------------------------------------------------------------------------
inline constexpr int64_t debug_sleep_seconds_max = 3600;
// CLIENT PAUSE timeouts above this (a year, in ms) pause as long as this: the deadline stays far
// from overflowing the clock.
inline constexpr int64_t client_pause_ms_max = 365LL * 24 * 3600 * 1000;
inline constexpr int64_t scan_count_max = 1 << 20;
// Longest text parsed as a long double (INCRBYFLOAT; Redis' MAX_LONG_DOUBLE_CHARS).
inline constexpr size_t long_double_chars_max = 5 * 1024;

// --- slow log and latency monitor (Redis 7.0 defaults and shapes) -----------------------------
// slowlog-log-slower-than (microseconds; negative: off, 0: every command) and slowlog-max-len.
inline constexpr int64_t slowlog_log_slower_than_us_default = 10000;
inline constexpr int64_t slowlog_max_len_default = 128;
// A slow-log entry keeps at most this many arguments (the last says how many more there were)
// and this many bytes of each (Redis' SLOWLOG_ENTRY_MAX_ARGC / _MAX_STRING).
inline constexpr size_t slowlog_entry_args_max = 32;
inline constexpr size_t slowlog_entry_arg_bytes_max = 128;
// latency-monitor-threshold (milliseconds; 0: off) and the samples kept per event (one per
// second at most: Redis' LATENCY_TS_LEN).
inline constexpr int64_t latency_monitor_threshold_ms_default = 0;
inline constexpr size_t latency_history_samples = 160;

// --- server ------------------------------------------------------------------------------------
inline constexpr uint16_t port_default = 6379;
// Pause of the accept loop after a failed accept (e.g. out of file descriptors), so it does not
// spin while the condition lasts.
inline constexpr int64_t accept_error_backoff_ms = 10;
inline constexpr const char* bind_default = "127.0.0.1";
// The Redis version HELLO and INFO report, so clients enable the features we support.
inline constexpr const char* redis_compat_version = "7.0.15";
// The same version as one number, 0x00MMmmpp (redis.REDIS_VERSION_NUM in scripts).
inline constexpr int redis_compat_version_num = 0x0007000f;
inline constexpr const char* ringcache_version = "0.1.0";
// RESP protocol versions HELLO accepts.
inline constexpr int resp_version_min = 2;
inline constexpr int resp_version_max = 3;
// Before AUTH, requests are kept small so an unauthenticated peer cannot make the node buffer a
// lot (Redis' limits for unauthenticated multibulk requests).
inline constexpr int64_t unauthenticated_multibulk_args_max = 10;
inline constexpr int64_t unauthenticated_bulk_bytes_max = 16 * 1024;

// --- persistence: the append-only file (core/persistence, docs/aof-format.md) -------------------
// auto-aof-rewrite-min-size default, as Redis.
inline constexpr int64_t aof_rewrite_min_size_default = 64 * 1024 * 1024;
// A record's payload is at most this long: a longer length field is damage, not a record.
inline constexpr uint32_t aof_record_bytes_max = 1024 * 1024 * 1024;
// The rewrite cuts the base file into records of about this size, and writes one out whenever
// its buffer holds this much (bounds the rewrite's extra memory).
inline constexpr size_t aof_rewrite_record_bytes = 64 * 1024;
// Keys the rewrite serialises per step before letting clients run.
inline constexpr size_t aof_rewrite_keys_per_step = 256;
// everysec: the fsync interval, and how far fsyncs may fall behind before writes wait for them
// (Redis postpones for up to 2 s, then blocks).
inline constexpr int64_t aof_everysec_interval_ms = 1000;
inline constexpr int64_t aof_fsync_lag_max_ms = 2000;
// After a failed write or fsync the writer retries after this pause.
inline constexpr int64_t aof_retry_backoff_ms = 100;
// How often the AOF's control fiber looks at appendonly and the auto-rewrite thresholds.
inline constexpr int64_t aof_control_period_ms = 100;
// A record whose checksum fails is read again this many times before it counts as damage (a
// flipped bit in a read buffer is not damage on disk).
inline constexpr int aof_read_retries = 3;
// The loader replays this many records before yielding, so -LOADING replies keep flowing.
inline constexpr size_t aof_load_records_per_step = 256;
// A manifest longer than this is damage (it lists a base and a few incremental files).
inline constexpr uint64_t aof_manifest_bytes_max = 64 * 1024;
// Bytes the loader reads from a file at once.
inline constexpr size_t aof_load_read_bytes = 256 * 1024;

// --- DUMP / RESTORE payloads (core/persistence/dump_payload.h, restore_payload.h) ---------------
// The most one byte of LZF input can expand to: a three-byte back reference copies at most
// 7 + 255 + 2 = 264 bytes. A compressed string claiming more than this many times its compressed
// size is damage, refused before anything is allocated.
inline constexpr uint64_t lzf_expansion_max = 88;
// Longest string a payload may hold after decompression: Redis' largest string value
// (proto-max-bulk-len's default).
inline constexpr uint64_t dump_string_bytes_max = 512ULL * 1024 * 1024;
// DUMP cuts a list into listpack nodes of about this many bytes: what Redis' default
// list-max-listpack-size (-2) gives, since Redis keeps the nodes it loads as they come.
inline constexpr size_t dump_list_node_bytes = 8192;
// DUMP cuts a stream into nodes of at most this many entries, or once a node holds about this
// many bytes: Redis' stream-node-max-entries and stream-node-max-bytes defaults.
inline constexpr size_t dump_stream_node_entries = 100;
inline constexpr size_t dump_stream_node_bytes = 4096;
static_assert(dump_string_bytes_max == static_cast<uint64_t>(proto_max_bulk_len_default));

// --- cluster: slots and ring (core/cluster) ------------------------------------------------------
// Hash slots, as Redis Cluster: a key's slot is CRC16(key or hash tag) modulo this.
inline constexpr uint32_t cluster_slots = 16384;
// A shard id is 40 lowercase hex characters, as a Redis node id.
inline constexpr size_t cluster_shard_id_chars = 40;
// cluster-vnodes: ring tokens per shard. More tokens even out the arcs shards own, up to the
// floor 16384 slots set at 100 shards; more also mean more, shorter slot ranges. At 512 the ring
// alone stays within the load cap at 3 shards and nearly always at 10, and a join or leave moves
// within 10% of 1/N in 95% of trials at 3 and 10 shards (bench/ring.sh, bench/README.md).
inline constexpr uint32_t cluster_vnodes_default = 512;
inline constexpr uint32_t cluster_vnodes_min = 1;
inline constexpr uint32_t cluster_vnodes_max = 4096;
// No shard owns more than this times the mean slots per shard: the ring alone cannot promise it
// at 100 shards (bench/README.md), so slots past the cap pass to the next shard clockwise.
inline constexpr double cluster_slot_load_max_ratio = 1.15;
// Shards in one slot map (Redis' suggested upper bound on cluster size).
inline constexpr size_t cluster_shards_max = 1000;
static_assert(cluster_vnodes_min <= cluster_vnodes_default);
static_assert(cluster_vnodes_default <= cluster_vnodes_max);
static_assert(cluster_slots <= 65536, "a slot fits 16 bits");
static_assert(cluster_shards_max <= 65535, "a slot's owner index fits 16 bits");
static_assert(cluster_shards_max * cluster_vnodes_max <= (1u << 22), "tokens fit in memory");
// --- cluster: bus and membership (core/cluster, docs/cluster-bus.md) ---------------------------
// cluster-node-timeout default, as Redis: a node silent this long is suspected.
inline constexpr int64_t cluster_node_timeout_ms_default = 5000;
inline constexpr int64_t cluster_node_timeout_ms_min = 100;
// The node wiring calls Membership::tick this often; every timer below is checked on a tick.
inline constexpr int64_t cluster_tick_interval_ms = 100;
// A node pings a peer once its last round trip with it (a ping of its own answered) is this
// percentage of the node timeout old, plus a random jitter of up to cluster_ping_jitter_pct (so
// pings spread over time), and again every cluster_ping_retry_pct while none is answered. Each
// node of a pair thus pings the other every ~0.7 node timeout, and a lost ping or pong is
// retried before the round trip is a node timeout old (quorum contact counts round trips).
inline constexpr int64_t cluster_ping_after_silence_pct = 60;
inline constexpr int64_t cluster_ping_jitter_pct = 20;
inline constexpr int64_t cluster_ping_retry_pct = 15;
// Quorum contact: a node serves its slots only while a majority of the configuration's
// primaries answered a ping it sent within this percentage of the node timeout. Replacing a node
// takes a full node timeout of silence, so a primary cut off from the majority stops this much
// sooner than it could be replaced, which bounds the writes a partition can lose.
inline constexpr int64_t cluster_contact_window_pct = 70;
// To keep that contact fresh a node pings its quorum peers (enough primaries for a majority with
// itself, plus cluster_quorum_spare_peers) at a quicker cadence: once the round trip is this
// percentage of the node timeout old, plus a jitter of up to cluster_quorum_ping_jitter_pct. A
// lost ping or pong is retried (after cluster_ping_retry_pct) well within the window, and a second
// retry leaves by its end.
inline constexpr int64_t cluster_quorum_ping_after_silence_pct = 30;
inline constexpr int64_t cluster_quorum_ping_jitter_pct = 10;
inline constexpr size_t cluster_quorum_spare_peers = 2;
// A suspicion report (PFAIL) counts toward FAIL for twice the node timeout (Redis' validity).
inline constexpr int64_t cluster_fail_report_validity_mult = 2;
// Nodes that collect suspicion reports about a node: its successors in node id order.
inline constexpr size_t cluster_fail_collectors = 3;
// A changed node table entry rides on this many messages per log2(nodes + 1) (SWIM's lambda).
inline constexpr int cluster_gossip_retransmit_mult = 3;
// Gossip entries piggybacked on one PING or PONG.
inline constexpr size_t cluster_gossip_entries_per_message = 4;
// A proposal that has not gathered a majority of votes in this time is retried at a higher epoch.
inline constexpr int64_t cluster_vote_timeout_ms = 2000;
// A member that voted for a proposal stops serving until it holds that configuration (or a
// later one), or until this long after its vote, when the proposal can no longer commit (the
// proposer drops it at a tick once cluster_vote_timeout_ms has passed since it started, which
// was before the vote): the proposal may give its slots to another node, which serves them as
// soon as it learns the commit.
inline constexpr int64_t cluster_vote_hold_ms =
    cluster_vote_timeout_ms + 2 * cluster_tick_interval_ms;
// FAILOVER (outside cluster mode): once the primary follows its target, the target must have
// taken over (answered PSYNC ... FAILOVER) within this time, or the primary is one again.
inline constexpr int64_t replication_failover_handover_ms = 5000;
// CLUSTER FAILOVER (without FORCE): the replica gives up when its primary has not paused, or it
// has not caught up and been voted in, within this time; the primary holds its writes for twice
// as long, so that the replica's attempt is over (won or abandoned) before writes resume there.
inline constexpr int64_t cluster_manual_failover_timeout_ms = 5000;
inline constexpr int64_t cluster_manual_failover_pause_ms = 2 * cluster_manual_failover_timeout_ms;
// Failed and departed nodes stay in the table as tombstones this long (so old gossip cannot
// bring them back), then are forgotten.
inline constexpr int64_t cluster_tombstone_ttl_ms = 60 * 1000;
// Bus message format limits.
inline constexpr uint32_t cluster_bus_magic = 0x31425352;  // "RSB1" as little-endian bytes
// Version 2: configuration members carry their state (active, joining, leaving).
inline constexpr uint8_t cluster_bus_version = 3;
inline constexpr size_t cluster_bus_header_bytes = 16;
inline constexpr size_t cluster_node_id_hex_chars = 40;
inline constexpr size_t cluster_node_id_bytes = cluster_node_id_hex_chars / 2;
// The longest textual IP address (an IPv6 address with an embedded IPv4 one).
inline constexpr size_t cluster_ip_chars_max = 46;
// Nodes a node tracks (live and tombstones) and members a configuration may hold.
inline constexpr size_t cluster_nodes_max = 1000;
inline constexpr size_t cluster_config_members_max = 500;
// Largest encoded member or gossip entry, and largest message: one UDP datagram.
inline constexpr size_t cluster_member_bytes_max =
    2 * cluster_node_id_bytes + 1 + 1 + cluster_ip_chars_max + 2 + 2;
inline constexpr size_t cluster_gossip_entry_bytes_max = cluster_member_bytes_max + 1 + 8;
inline constexpr size_t cluster_config_member_bytes_max = cluster_member_bytes_max + 1;
inline constexpr size_t cluster_bus_message_bytes_max = 65000;
static_assert(cluster_config_members_max <= cluster_nodes_max);
static_assert(cluster_bus_header_bytes + 2 * 256 +
                  cluster_config_members_max * cluster_config_member_bytes_max <=
              cluster_bus_message_bytes_max);
static_assert(cluster_gossip_entries_per_message * cluster_gossip_entry_bytes_max + 512 <
              cluster_bus_message_bytes_max);
static_assert(cluster_ping_after_silence_pct + cluster_ping_jitter_pct +
                  cluster_ping_retry_pct < 100);
static_assert(cluster_quorum_ping_after_silence_pct + cluster_quorum_ping_jitter_pct +
                  2 * cluster_ping_retry_pct <=
              cluster_contact_window_pct);
static_assert(cluster_contact_window_pct < 100);
static_assert(cluster_tick_interval_ms * 10 <= cluster_node_timeout_ms_default);
static_assert(cluster_node_timeout_ms_min >= cluster_tick_interval_ms);
static_assert(cluster_shard_id_chars == cluster_node_id_hex_chars, "a shard is named by a node id");

// --- cluster: node wiring (core/node/cluster_bus.cpp, core/commands/cluster*.cpp) ---------------
// cluster-port 0 (the default, as Redis) puts the bus on the client port plus this.
inline constexpr uint32_t cluster_port_offset = 10000;
// cluster-config-file default, inside `dir`: the node's id, incarnation, vote and configuration.
inline constexpr const char* cluster_config_file_default = "nodes.conf";
// Bytes of the cluster config file read at start; a bigger file is refused as corrupt.
inline constexpr size_t cluster_config_file_bytes_max = 256 * 1024;
// The first seed of a new cluster waits this long for an answer from the other seeds before it
// creates the cluster: restarted without its config file, it joins the running cluster instead.
inline constexpr int64_t cluster_bootstrap_wait_ms = 1000;
static_assert(cluster_bootstrap_wait_ms >= 5 * cluster_tick_interval_ms,
              "a few rounds of MEET before giving up on the other seeds");
// CLUSTER GETKEYSINSLOT returns at most this many keys, whatever count asks for.
inline constexpr int64_t cluster_getkeysinslot_count_max = 1 << 20;

// --- cluster: slot migration (core/node/slot_migration.cpp, docs/cluster.md) --------------------
// cluster-migration-rate default: bytes per second a node streams to the new owners of its slots
// (0: no limit). Modest, so the clients of both nodes keep their latency during a move.
inline constexpr uint64_t cluster_migration_rate_default = 16ull * 1024 * 1024;
// Keys are sent in batches, each applied at once on the target; a batch closes once it holds
// this many bytes or keys (a single larger key is a batch of its own).
inline constexpr size_t cluster_migration_batch_bytes = 256 * 1024;
inline constexpr size_t cluster_migration_batch_keys = 512;
// A batch travels in commands of at most this many bytes of payload (large values in chunks),
// paced by the rate limit between chunks.
inline constexpr size_t cluster_migration_chunk_bytes = 64 * 1024;
// Keys the walk visits per scan step; steps per batch at most (a batch is sent once it is full
// or after that many steps; an empty one yields to clients instead).
inline constexpr size_t cluster_migration_scan_keys_per_step = 64;
inline constexpr size_t cluster_migration_scan_steps_per_batch = 64;
// A source repeats "no keys left for you" this often until the configuration changes, so a
// target that lost it or restarted still learns it.
inline constexpr int64_t cluster_migration_done_repeat_ms = 300;
// After a failed connection or a refused batch, the source waits this long before trying again.
inline constexpr int64_t cluster_migration_retry_ms = 200;
// A batch not acknowledged in this time is abandoned (the connection is closed; its keys stay
// here and unlocked) — a target alive but stuck must not hold clients of the source forever.
inline constexpr int64_t cluster_migration_batch_timeout_ms = 10 * 1000;
// A source with replicas online moves keys only to a target with as many (so a key WAIT
// confirmed here survives one failure there too): before a pass and after each batch it asks the
// target to WAIT for that many replicas, this long at most. A target short of them is waited
// for up to the second bound per configuration; then the keys move anyway (a shard whose
// replica is gone for good must not stop every move).
inline constexpr int64_t cluster_migration_replica_wait_ms = 1000;
inline constexpr int64_t cluster_migration_replica_patience_ms = 10 * 1000;
static_assert(cluster_migration_replica_wait_ms < cluster_migration_batch_timeout_ms);
static_assert(cluster_migration_replica_wait_ms < cluster_migration_replica_patience_ms);
// A target holds one batch being received per source connection, at most this big.
inline constexpr size_t cluster_migration_staging_bytes_max = 512ull * 1024 * 1024;
static_assert(cluster_migration_chunk_bytes <= cluster_migration_batch_bytes);
static_assert(cluster_migration_done_repeat_ms >= cluster_tick_interval_ms);

// --- replication (core/replication, core/node/replica_*, docs/replication.md) ------------------
// repl-backlog-size default and bounds, as Redis (1 MB; at least 16 KB).
inline constexpr int64_t repl_backlog_size_default_bytes = 1024 * 1024;
inline constexpr int64_t repl_backlog_size_min_bytes = 16 * 1024;
// repl-backlog-ttl default: a primary without replicas frees its backlog after this long.
inline constexpr int64_t repl_backlog_ttl_default_seconds = 3600;
// repl-ping-replica-period and repl-timeout defaults, as Redis: the primary puts a PING in the
// stream this often, and either end drops a link silent for repl-timeout.
inline constexpr int64_t repl_ping_replica_period_default_seconds = 10;
inline constexpr int64_t repl_timeout_default_seconds = 60;
static_assert(repl_ping_replica_period_default_seconds * 2 <= repl_timeout_default_seconds,
              "a healthy link carries a PING well within the timeout");
// A replica acknowledges its offset this often (Redis: once a second), and at once after it
// applied writes.
inline constexpr int64_t repl_ack_period_ms = 1000;
// A replica retries a lost or refused link to its primary after this pause.
inline constexpr int64_t repl_reconnect_backoff_ms = 1000;
// min-replicas-max-lag default (seconds), as Redis.
inline constexpr int64_t min_replicas_max_lag_default_seconds = 10;
// What the stream may grow by while a replica's full sync is being sent (kept for that replica
// apart from the backlog); past it the replica is dropped and starts over, as Redis' replica
// output buffer hard limit (client-output-buffer-limit replica 256mb).
inline constexpr size_t repl_sync_buffer_bytes_max = 256ULL * 1024 * 1024;
// Bytes the primary copies from the backlog into one write to a replica.
inline constexpr size_t repl_send_chunk_bytes = 64 * 1024;
// A replica's pending stream bytes (a unit being received) beyond which the link is dropped:
// no unit the primary sends is larger than a query a client may send.
inline constexpr size_t repl_pending_bytes_max = query_buffer_bytes_max;
// The longest line of the handshake replies (+FULLRESYNC <id> <offset>, errors).
inline constexpr size_t repl_handshake_line_bytes_max = 4 * 1024;
// A replication id: 40 hex characters, as Redis' run ids.
inline constexpr size_t repl_id_chars = 40;
// The feeder of a replica looks for a closed link or shutdown at least this often while the
// stream is idle.
inline constexpr int64_t repl_feed_idle_check_ms = 1000;
static_assert(repl_backlog_size_min_bytes <= repl_backlog_size_default_bytes);

// --- scripting (core/scripting/, commands/scripting/) ----------------------------------------
// A script longer than this lets other clients in, answered -BUSY (redis.conf
// busy-reply-threshold / lua-time-limit, ms).
inline constexpr int64_t busy_reply_threshold_ms_default = 5000;
// Lua instructions between two checks of the time limit and of SCRIPT KILL (Redis: 100000).
inline constexpr int lua_hook_instructions = 100000;
// The Lua heap may not grow past this while a script runs: the script ends in "not enough
// memory" instead of taking the node's memory.
inline constexpr size_t lua_heap_bytes_max = 256ULL * 1024 * 1024;
// A full garbage collection of the Lua heap every this many scripts (Redis: 50).
inline constexpr uint64_t lua_gc_period_runs = 50;
// A library's code gets this long to load (FUNCTION LOAD; Redis: 500 ms), on the node's clock.
inline constexpr int64_t function_load_timeout_ms = 500;
// Deepest nesting of tables a script's reply may have (a table that contains itself ends here).
inline constexpr int lua_reply_depth_max = 1000;
static_assert(lua_heap_bytes_max < query_buffer_bytes_max);
// struct (core/scripting/lua_struct.cpp): the widest integer option, i32 (Redis' limit, which its
// error names), and what '!' without a number aligns to (a double's alignment on Redis' builds).
inline constexpr int lua_struct_integer_bytes_max = 32;
inline constexpr int lua_struct_align_default_bytes = 8;

// --- ACL (core/server/acl/, commands/server/server_acl.cpp) -------------------------------------
// ACL LOG keeps this many entries unless acllog-max-len says otherwise (Redis' default).
inline constexpr int64_t acllog_max_len_default = 128;
// A refusal within this window of a like one counts into it rather than adding an entry.
inline constexpr int64_t acl_log_grouping_window_ms = 60'000;
// ACL GENPASS: bits of randomness by default and at most (Redis' bounds).
inline constexpr int64_t acl_genpass_bits_default = 256;
inline constexpr int64_t acl_genpass_bits_max = 4096;
static_assert(acl_genpass_bits_default <= acl_genpass_bits_max);

}  // namespace ringcache::constants
