"""Replication with real processes: a ringcache primary and a ringcache replica (REPLICAOF).
Thousands of writes of every type reach the replica, whose keyspace then equals the primary's;
WAIT 1 returns 1; a replica whose link drops, or that is shut down and restarted on its AOF,
resumes with a partial resync (sync_partial_ok on the primary), one killed with -9 and started
afresh takes a full sync; REPLICAOF NO ONE promotes it and the old primary then follows it with
a partial resync; writes on a
replica are refused with READONLY; a full sync runs while the primary keeps taking writes.
Every server still answers PING at the end."""

import os
import random
import signal
import threading
import time
import unittest

import procutil

procutil.use_python_with_redis_module()
import redis  # noqa: E402

WRITES = 3000
KEYS = 300


def info(client, section="replication"):
    return client.info(section)


def dump(client):
    """Every key: type, value (order-free for sets and hashes), expiry in whole seconds."""
    out = {}
    for key in client.scan_iter(count=1000):
        kind = client.type(key)
        if kind == "string":
            value = client.get(key)
        elif kind == "list":
            value = tuple(client.lrange(key, 0, -1))
        elif kind == "set":
            value = tuple(sorted(client.smembers(key)))
        elif kind == "hash":
            value = tuple(sorted(client.hgetall(key).items()))
        elif kind == "zset":
            value = tuple(client.zrange(key, 0, -1, withscores=True))
        else:
            value = kind
        out[key] = (kind, value, client.execute_command("PEXPIRETIME", key))
    return out


def random_write(pipe, rng, i):
    key = "k%d" % rng.randrange(KEYS)
    kind = int(key[1:]) % 6  # one type per key, so writes rarely clash
    choice = rng.randrange(4)
    if kind == 0:
        [pipe.set(key, "v%d" % i), pipe.incr(key + ":n"), pipe.append(key, "x"),
         pipe.set(key, i, px=60000)][choice]
    elif kind == 1:
        [pipe.rpush(key, i, i + 1), pipe.lpush(key, i), pipe.lpop(key), pipe.ltrim(key, 0, 20)][choice]
    elif kind == 2:
        [pipe.sadd(key, i % 50, "m"), pipe.srem(key, i % 50), pipe.spop(key), pipe.sadd(key, i)][choice]
    elif kind == 3:
        [pipe.hset(key, "f%d" % (i % 20), i), pipe.hdel(key, "f%d" % (i % 20)),
         pipe.hincrby(key, "n", 1), pipe.hincrbyfloat(key, "x", 0.5)][choice]
    elif kind == 4:
        [pipe.zadd(key, {"m%d" % (i % 30): i}), pipe.zincrby(key, 1.5, "m1"),
         pipe.zrem(key, "m%d" % (i % 30)), pipe.zpopmin(key)][choice]
    else:
        [pipe.expire(key + ":n", 100), pipe.delete("k%d" % rng.randrange(KEYS)),
         pipe.setex(key, 5, "short"), pipe.persist(key)][choice]


def write_load(client, count, seed):
    rng = random.Random(seed)
    done = 0
    while done < count:
        pipe = client.pipeline(transaction=(done // 100) % 3 == 0)  # some MULTI/EXEC blocks
        for i in range(done, min(count, done + 100)):
            random_write(pipe, rng, i)
        pipe.execute(raise_on_error=False)
        done += 100


class ReplicationTest(unittest.TestCase):
    def setUp(self):
        self.servers = []
        self.primary = self.start()
        self.p = redis.Redis(port=self.primary.port, decode_responses=True)

    def tearDown(self):
        failures = []
        for server in self.servers:
            try:
                server.stop()
            except AssertionError as error:
                failures.append(str(error))
        self.assertEqual(failures, [])

    def start(self, args=()):
        server = procutil.start_server(list(args))
        self.servers.append(server)
        return server

    def attach_replica(self, args=()):
        replica = self.start(args)
        r = redis.Redis(port=replica.port, decode_responses=True)
        self.assertTrue(r.replicaof("127.0.0.1", self.primary.port))
        self.wait_online(r)
        return replica, r

    def wait_online(self, r):
        procutil.poll(lambda: info(r)["master_link_status"] == "up", what="replica link up")

    def wait_caught_up(self, r):
        procutil.poll(lambda: info(r)["slave_repl_offset"] == info(self.p)["master_repl_offset"],
                      what="replica caught up")

    def test_replica_converges_under_writes_of_every_type(self):
        write_load(self.p, WRITES // 3, seed=1)  # before the replica: the full sync carries it
        replica, r = self.attach_replica()
        write_load(self.p, WRITES, seed=2)       # after: the stream carries it
        self.p.set("last", "write")
        self.assertEqual(self.p.execute_command("WAIT", 1, 5000), 1)
        self.wait_caught_up(r)
        primary_keys = dump(self.p)
        self.assertGreater(len(primary_keys), KEYS // 2)
        self.assertEqual(dump(r), primary_keys)
        self.assertEqual(info(r)["role"], "slave")
        self.assertEqual(info(r)["master_replid"], info(self.p)["master_replid"])
        slave0 = info(self.p)["slave0"]
        self.assertEqual(slave0["state"], "online")
        self.assertEqual(int(slave0["port"]), replica.port)
        self.assertEqual(self.p.execute_command("ROLE")[0], "master")
        self.assertEqual(r.execute_command("ROLE")[:2], ["slave", "127.0.0.1"])

    def test_replica_refuses_writes_and_hides_nothing_the_primary_has(self):
        _, r = self.attach_replica()
        with self.assertRaises(redis.exceptions.ReadOnlyError) as refused:
            r.set("x", "1")
        self.assertIn("You can't write against a read only replica", str(refused.exception))
        self.p.set("x", "1")
        self.p.execute_command("WAIT", 1, 5000)
        self.assertEqual(r.get("x"), "1")

    def test_expired_keys_go_through_the_primary(self):
        _, r = self.attach_replica()
        self.p.set("soon", "v", px=200)
        self.p.execute_command("WAIT", 1, 5000)
        # Past its TTL the replica hides the key by its own clock, even before the primary's DEL.
        procutil.poll(lambda: r.get("soon") is None, what="key hidden on the replica")
        procutil.poll(lambda: self.p.get("soon") is None, what="key expired on the primary")
        procutil.poll(lambda: r.dbsize() == self.p.dbsize(), what="the DEL replicated")

    def test_killed_replica_resumes_with_a_partial_resync(self):
        replica, r = self.attach_replica()
        write_load(self.p, 500, seed=3)
        self.wait_caught_up(r)
        ids = info(r)
        self.assertEqual(self.p.info("stats")["sync_partial_ok"], 0)
        # The replica's link drops (its primary sees the connection close) and comes back: it asks
        # to continue from its offset, within the backlog.
        kill_replica_connections(self.p)
        write_load(self.p, 200, seed=4)
        procutil.poll(lambda: self.p.info("stats")["sync_partial_ok"] >= 1,
                      what="a partial resync")
        self.wait_caught_up(r)
        self.assertEqual(info(r)["master_replid"], ids["master_replid"])
        self.assertEqual(dump(r), dump(self.p))
        self.assertEqual(self.p.info("stats")["sync_full"], 1)

    def test_replica_restarted_cleanly_on_its_aof_resumes_with_a_partial_resync(self):
        args = ["--appendonly", "yes", "--replicaof", "127.0.0.1", str(self.primary.port)]
        replica = self.start(args)
        r = redis.Redis(port=replica.port, decode_responses=True)
        self.wait_online(r)
        write_load(self.p, 500, seed=8)
        self.wait_caught_up(r)
        replica.signal(signal.SIGTERM)
        self.assertEqual(replica.wait_exit(), 0)
        write_load(self.p, 200, seed=9)  # made while the replica is down: within the backlog
        again = self.start(args + ["--dir", replica.workdir])
        r2 = redis.Redis(port=again.port, decode_responses=True)
        self.wait_online(r2)
        self.wait_caught_up(r2)
        stats = self.p.info("stats")
        self.assertEqual((stats["sync_full"], stats["sync_partial_ok"]), (1, 1))
        self.assertEqual(dump(r2), dump(self.p))

    def test_restarted_replica_process_gets_a_full_sync(self):
        replica, r = self.attach_replica()
        write_load(self.p, 300, seed=5)
        self.wait_caught_up(r)
        replica.signal(signal.SIGKILL)
        replica.process.wait(timeout=10)
        self.servers.remove(replica)
        write_load(self.p, 300, seed=6)
        again, r2 = self.attach_replica()
        self.wait_caught_up(r2)
        self.assertEqual(dump(r2), dump(self.p))
        self.assertEqual(self.p.info("stats")["sync_full"], 2)

    def test_replicaof_no_one_promotes_and_keeps_the_old_history(self):
        _, r = self.attach_replica()
        write_load(self.p, 300, seed=7)
        self.wait_caught_up(r)
        before = info(r)
        self.assertTrue(r.replicaof("NO", "ONE"))
        after = info(r)
        self.assertEqual(after["role"], "master")
        self.assertNotEqual(after["master_replid"], before["master_replid"])
        self.assertEqual(after["master_replid2"], before["master_replid"])
        self.assertEqual(after["second_repl_offset"], before["slave_repl_offset"] + 1)
        r.set("promoted", "yes")
        self.assertEqual(r.get("promoted"), "yes")
        # The old primary follows the promoted one and continues from the second id: a partial
        # resync, no full one.
        self.assertTrue(self.p.replicaof("127.0.0.1", self.servers[1].port))
        procutil.poll(lambda: info(self.p)["master_link_status"] == "up", what="old primary follows")
        procutil.poll(lambda: self.p.get("promoted") == "yes", what="write reached the old primary")
        self.assertEqual(r.info("stats")["sync_partial_ok"], 1)
        self.assertEqual(r.info("stats")["sync_full"], 0)

    def test_failover_hands_over_to_the_replica_losing_no_acknowledged_write(self):
        replica, r = self.attach_replica()
        acknowledged = {}
        stop = threading.Event()

        def write_until_stopped():
            client = redis.Redis(port=self.primary.port, socket_timeout=10)
            counter = 0
            while not stop.is_set():
                counter += 1
                key = "acked:%d" % (counter % 50)
                try:
                    client.set(key, counter)
                    acknowledged[key] = counter
                except redis.exceptions.ResponseError:
                    pass  # -READONLY once the primary became a replica

        writer = threading.Thread(target=write_until_stopped)
        writer.start()
        try:
            procutil.poll(lambda: len(acknowledged) == 50, what="writes under way")
            self.assertTrue(self.p.execute_command("FAILOVER"))
            procutil.poll(lambda: info(r)["role"] == "master", what="the replica took over")
            procutil.poll(lambda: info(self.p).get("master_link_status") == "up",
                          what="the old primary follows the new one")
        finally:
            stop.set()
            writer.join()
        self.assertEqual(info(self.p)["master_port"], replica.port)
        self.assertEqual(info(self.p)["master_failover_state"], "no-failover")
        for key, value in acknowledged.items():
            self.assertGreaterEqual(int(r.get(key)), value, key)
        # The old primary resumed from the new one's second id: no full sync.
        self.assertEqual(r.info("stats")["sync_partial_ok"], 1)
        self.assertEqual(r.info("stats")["sync_full"], 0)
        with self.assertRaises(redis.exceptions.ResponseError) as read_only:
            self.p.set("after", "x")
        self.assertIn("read only replica", str(read_only.exception))

    def test_failover_refusals_in_redis_words(self):
        def refusal(client, *args):
            with self.assertRaises(redis.exceptions.ResponseError) as refused:
                client.execute_command("FAILOVER", *args)
            return str(refused.exception)

        self.assertEqual(refusal(self.p), "FAILOVER requires connected replicas.")
        self.assertEqual(refusal(self.p, "ABORT"), "No failover in progress.")
        _, r = self.attach_replica()
        self.assertEqual(refusal(r), "FAILOVER is not valid when server is a replica.")
        self.assertEqual(refusal(self.p, "FORCE"), "FAILOVER with force option requires both a "
                         "timeout and target HOST and IP.")
        self.assertEqual(refusal(self.p, "TO", "127.0.0.1", 1),
                         "FAILOVER target HOST and PORT is not a replica.")
        self.assertEqual(refusal(self.p, "TIMEOUT", 0), "FAILOVER timeout must be greater than 0")
        self.assertEqual(refusal(self.p, "SOON"), "syntax error")
        self.assertEqual(info(self.p)["master_failover_state"], "no-failover")

    def test_failover_gives_up_when_the_replica_does_not_catch_up(self):
        replica, r = self.attach_replica()
        replica.signal(signal.SIGSTOP)  # it acknowledges nothing more
        try:
            self.p.set("unacknowledged", "1")
            self.assertTrue(self.p.execute_command("FAILOVER", "TIMEOUT", 300))
            self.assertEqual(info(self.p)["master_failover_state"], "waiting-for-sync")
            procutil.poll(lambda: info(self.p)["master_failover_state"] == "no-failover",
                          what="the failover timed out")
            self.assertEqual(info(self.p)["role"], "master")
            self.assertTrue(self.p.set("after", "1"))  # writes resume
            # And ABORT ends a failover that waits.
            self.assertTrue(self.p.execute_command("FAILOVER"))
            self.assertEqual(info(self.p)["master_failover_state"], "waiting-for-sync")
            self.assertTrue(self.p.execute_command("FAILOVER", "ABORT"))
            self.assertEqual(info(self.p)["master_failover_state"], "no-failover")
            self.assertTrue(self.p.set("after-abort", "1"))
        finally:
            replica.signal(signal.SIGCONT)
        self.wait_caught_up(r)
        self.assertEqual(r.get("after-abort"), "1")

    def test_wait_counts_acknowledgements_and_times_out(self):
        self.assertEqual(self.p.execute_command("WAIT", 1, 100), 0)  # no replica: times out
        _, r = self.attach_replica()
        self.p.set("a", "1")
        self.assertEqual(self.p.execute_command("WAIT", 1, 0), 1)
        self.assertEqual(self.p.execute_command("WAIT", 2, 200), 1)
        with self.assertRaises(redis.exceptions.ResponseError):
            r.execute_command("WAIT", 1, 10)

    def test_min_replicas_to_write_refuses_writes_without_good_replicas(self):
        self.p.config_set("min-replicas-to-write", 1)
        with self.assertRaises(redis.exceptions.ResponseError) as refused:
            self.p.set("x", "1")
        self.assertIn("NOREPLICAS", str(refused.exception))
        self.assertIsNone(self.p.get("x"))  # reads are not refused
        _, r = self.attach_replica()
        procutil.poll(lambda: try_set(self.p, "x", "1"), what="write accepted with a good replica")
        self.p.execute_command("WAIT", 1, 5000)
        self.assertEqual(r.get("x"), "1")

    def test_full_sync_while_the_primary_serves(self):
        pipe = self.p.pipeline(transaction=False)
        for i in range(100000):
            pipe.set("bulk:%d" % i, "value-%d" % i)
        pipe.execute()
        stop = threading.Event()
        writer = threading.Thread(target=lambda: keep_writing(self.primary.port, stop), daemon=True)
        writer.start()
        started = time.monotonic()
        replica = self.start()
        r = redis.Redis(port=replica.port, decode_responses=True)
        r.replicaof("127.0.0.1", self.primary.port)
        self.wait_online(r)
        sync_s = time.monotonic() - started
        stop.set()
        writer.join(timeout=10)
        self.wait_caught_up(r)
        self.assertEqual(r.dbsize(), self.p.dbsize())
        self.assertEqual(dump_keys_sample(r), dump_keys_sample(self.p))
        print("full sync of 100k keys under writes: %.2f s" % sync_s)


def kill_replica_connections(client):
    """Closes the primary's end of every replica link (their last command was PSYNC)."""
    killed = 0
    for entry in client.client_list():
        if entry.get("cmd") in ("psync", "sync"):
            client.execute_command("CLIENT", "KILL", "ID", entry["id"])
            killed += 1
    assert killed > 0, "no replica connection to kill"



def try_set(client, key, value):
    try:
        return client.set(key, value)
    except redis.exceptions.ResponseError:
        return False


def keep_writing(port, stop):
    c = redis.Redis(port=port)
    i = 0
    while not stop.is_set():
        c.set("live:%d" % (i % 1000), i)
        i += 1


def dump_keys_sample(client):
    return {k: client.get(k) for k in ["bulk:0", "bulk:99999", "bulk:500"] +
            ["live:%d" % i for i in range(0, 1000, 97)]}


if __name__ == "__main__":
    unittest.main()
