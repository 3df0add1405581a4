"""Replicas in a ringcache cluster of real processes on loopback: three primaries form a cluster
and a fourth node started with --cluster-replica-of joins the first primary's shard without
moving a slot; CLUSTER NODES/SLOTS/SHARDS show it as Redis shows a replica; it follows the
primary's stream (ROLE connected, WAIT 1 returns 1 on the primary); it answers -MOVED to the
primary except for reads from a READONLY client, which see the primary's writes; CLUSTER
REPLICATE moves it to another primary; after kill -9 of the primary the replica takes its shard
over (no slot moves) with every write WAIT 1 confirmed, and prints how long that took; restarted
on its data directory, the killed primary comes back as a replica of the node that replaced it;
CLUSTER FAILOVER sent to the replica under writes hands the shard over with every acknowledged
write kept, the old primary following the new one.
Every node still answers PING at the end; every wait is a bounded poll."""

import logging
import os
import signal
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import procutil  # noqa: E402

procutil.use_python_with_redis_module()
import redis  # noqa: E402
from redis.cluster import RedisCluster  # noqa: E402

# RedisCluster logs every redirect it follows with a traceback; a failover makes many.
logging.getLogger("redis.cluster").setLevel(logging.CRITICAL)

NODE_TIMEOUT_MS = 1000
FORM_TIMEOUT_S = 60.0
KEYS = 500


def node_lines(port):
    """CLUSTER NODES as {id: fields}."""
    code, text, err = procutil.run_cli(port, "cluster", "nodes")
    assert code == 0, err
    return {line.split(" ")[0]: line.split(" ") for line in text.splitlines() if line}


class Node:
    def __init__(self, seeds, bus_port, extra=(), port=None):
        self.seeds, self.bus_port = seeds, bus_port
        self.server = procutil.Server([
            "--cluster-enabled", "yes", "--cluster-port", str(bus_port),
            "--cluster-node-timeout", str(NODE_TIMEOUT_MS), "--cluster-seeds", seeds
        ] + list(extra), port=port)
        self.port = self.server.port

    def restarted(self):
        """The same node (port, bus port, node file) started again on its data directory."""
        return Node(self.seeds, self.bus_port, ["--dir", self.server.workdir], port=self.port)

    def command(self, *args):
        return redis.Redis(port=self.port, socket_timeout=5).execute_command(*args)

    def my_id(self):
        return self.command("CLUSTER", "MYID").decode()


class ClusterReplicasTest(unittest.TestCase):

    def setUp(self):
        bus_ports = [procutil.free_udp_port() for _ in range(4)]
        seeds = ",".join("127.0.0.1:%d" % port for port in bus_ports[:3])
        self.primaries = [Node(seeds, bus_ports[i]) for i in range(3)]
        for node in self.primaries:
            self.addCleanup(node.server.stop)  # also when setUp fails half way
            node.server.wait_ready()
        self.wait_cluster(self.primaries)
        self.slots_before = self.slot_owners(self.primaries[1])
        self.replica = Node(seeds, bus_ports[3],
                            ["--cluster-replica-of", "127.0.0.1:%d" % self.primaries[0].port])
        self.addCleanup(self.replica.server.stop)
        self.replica.server.wait_ready()
        self.nodes = self.primaries + [self.replica]
        self.wait_cluster(self.nodes)
        self.wait_following(self.primaries[0])

    def wait_cluster(self, nodes):
        def ok():
            for node in nodes:
                info = procutil.cluster_info(node.port)
                if (info.get("cluster_state") != "ok" or info.get("cluster_size") != "3" or
                        info.get("cluster_known_nodes") != str(len(nodes))):
                    return False
            return True

        procutil.poll(ok, FORM_TIMEOUT_S, "cluster_state:ok, 3 shards, %d nodes" % len(nodes))

    def wait_following(self, primary):
        def following():
            role = self.replica.command("ROLE")
            return (role[0] == b"slave" and role[2] == primary.port and role[3] == b"connected")

        procutil.poll(following, FORM_TIMEOUT_S, "the replica connected to port %d" % primary.port)

    def slot_owners(self, node):
        """{slot range start: primary id} from CLUSTER SLOTS."""
        return {entry[0]: entry[2][2] for entry in node.command("CLUSTER", "SLOTS")}

    def keys_of(self, node, count):
        """`count` keys whose slots `node` serves."""
        ranges = [(first, last) for first, last, primary, *_ in node.command("CLUSTER", "SLOTS")
                  if primary[1] == node.port]
        keys = []
        for i in range(100000):
            key = "key:%d" % i
            slot = node.command("CLUSTER", "KEYSLOT", key)
            if any(first <= slot <= last for first, last in ranges):
                keys.append(key)
                if len(keys) == count:
                    return keys
        raise AssertionError("no keys for port %d" % node.port)

    def key_of(self, node):
        return self.keys_of(node, 1)[0]

    def test_replica_joins_a_shard_follows_it_and_serves_readonly_reads(self):
        primary, replica = self.primaries[0], self.replica
        primary_id, replica_id = primary.my_id(), replica.my_id()
        # A replica moves no slot.
        self.assertEqual(self.slot_owners(self.primaries[1]), self.slots_before)
        for node in self.nodes:
            fields = node_lines(node.port)[replica_id]
            self.assertIn("slave", fields[2].split(","))
            self.assertEqual(fields[3], primary_id)
            self.assertEqual(len(fields), 8, fields)  # no slots
        listed = [entry for entry in primary.command("CLUSTER", "SLOTS") if len(entry) == 4]
        self.assertTrue(listed)
        for entry in listed:
            self.assertEqual(entry[2][1], primary.port)
            self.assertEqual(entry[3][1], replica.port)

        client = RedisCluster(host="127.0.0.1", port=self.primaries[1].port, socket_timeout=5)
        for i in range(KEYS):
            client.set("k:%d" % i, "v:%d" % i)
        key = self.key_of(primary)
        conn = redis.Redis(port=primary.port, socket_timeout=5)
        conn.set(key, "confirmed")
        self.assertEqual(conn.execute_command("WAIT", 1, 5000), 1)

        reader = redis.Redis(port=replica.port, socket_timeout=5)
        with self.assertRaises(redis.exceptions.ResponseError) as moved:
            reader.get(key)
        self.assertIn("MOVED", str(moved.exception))
        self.assertIn("127.0.0.1:%d" % primary.port, str(moved.exception))
        self.assertTrue(reader.execute_command("READONLY"))
        self.assertEqual(reader.get(key), b"confirmed")
        with self.assertRaises(redis.exceptions.ResponseError) as write:
            reader.set(key, "no")
        self.assertIn("MOVED", str(write.exception))
        # The replica holds exactly its primary's keys.
        procutil.poll(lambda: replica.command("DBSIZE") == primary.command("DBSIZE"), 10.0,
                      "the replica caught up")
        for node in self.nodes:
            self.assertTrue(procutil.ping(node.port))

    def test_killed_primary_is_replaced_by_its_replica_keeping_every_wait_confirmed_write(self):
        primary, replica = self.primaries[0], self.replica
        conn = redis.Redis(port=primary.port, socket_timeout=5)
        confirmed = {}
        for key in self.keys_of(primary, 50):
            conn.set(key, "v-" + key)
            if conn.execute_command("WAIT", 1, 5000) == 1:
                confirmed[key] = "v-" + key
        self.assertEqual(len(confirmed), 50)
        probe = next(iter(confirmed))
        killed_at = time.monotonic()
        primary.server.signal(signal.SIGKILL)
        survivors = self.primaries[1:] + [replica]

        def replica_serves_writes():
            try:
                return replica.command("SET", "{%s}:after" % probe, "x") in (True, b"OK")
            except redis.exceptions.RedisError:
                return False

        procutil.poll(replica_serves_writes, FORM_TIMEOUT_S, "the replica took the shard over")
        took_s = time.monotonic() - killed_at
        print("\nfailover (kill -9 to writes accepted, node timeout %d ms): %.2f s" %
              (NODE_TIMEOUT_MS, took_s), file=sys.stderr)
        self.assertEqual(replica.command("ROLE")[0], b"master")
        # No slot moved: the shard kept its name, now served by the promoted replica.
        owners = {first: entry[1] for first, _, entry, *_ in
                  self.primaries[1].command("CLUSTER", "SLOTS")}
        self.assertEqual(set(owners), set(self.slots_before))
        self.assertNotIn(primary.port, owners.values())
        for key, value in confirmed.items():
            self.assertEqual(replica.command("GET", key), value.encode(), key)
        self.wait_cluster(survivors)

        back = primary.restarted()
        self.addCleanup(back.server.stop)
        back.server.wait_ready()

        def follows_its_successor():
            role = back.command("ROLE")
            return role[0] == b"slave" and role[2] == replica.port and role[3] == b"connected"

        procutil.poll(follows_its_successor, FORM_TIMEOUT_S,
                      "the old primary came back as a replica of its successor")
        self.wait_cluster(survivors + [back])
        self.assertEqual(node_lines(replica.port)[back.my_id()][3], replica.my_id())
        procutil.poll(lambda: back.command("DBSIZE") == replica.command("DBSIZE"), 10.0,
                      "the old primary resynced")
        for node in survivors + [back]:
            self.assertTrue(procutil.ping(node.port))

    def test_cluster_failover_hands_the_shard_over_under_writes_losing_none(self):
        primary, replica = self.primaries[0], self.replica
        with self.assertRaises(redis.exceptions.ResponseError) as refused:
            primary.command("CLUSTER", "FAILOVER")
        self.assertIn("You should send CLUSTER FAILOVER to a replica", str(refused.exception))
        with self.assertRaises(redis.exceptions.ResponseError) as bad:
            replica.command("CLUSTER", "FAILOVER", "SOON")
        self.assertIn("syntax error", str(bad.exception))

        keys = self.keys_of(primary, 20)
        acknowledged = {}
        stop = threading.Event()
        errors = []

        def write_until_stopped():
            client = RedisCluster(host="127.0.0.1", port=self.primaries[1].port,
                                  socket_timeout=5)
            counter = 0
            while not stop.is_set():
                counter += 1
                key = keys[counter % len(keys)]
                try:
                    client.set(key, counter)
                    acknowledged[key] = counter
                except redis.exceptions.RedisError as error:
                    errors.append(str(error))

        writer = threading.Thread(target=write_until_stopped)
        writer.start()
        try:
            procutil.poll(lambda: len(acknowledged) == len(keys), 10.0, "writes under way")
            asked_at = time.monotonic()
            self.assertEqual(replica.command("CLUSTER", "FAILOVER"), b"OK")
            procutil.poll(lambda: replica.command("ROLE")[0] == b"master", FORM_TIMEOUT_S,
                          "the replica took the shard over")
            took_s = time.monotonic() - asked_at
            print("\nmanual failover (CLUSTER FAILOVER to the replica's ROLE master): %.2f s" %
                  took_s, file=sys.stderr)
            written_after = max(acknowledged.values())
            procutil.poll(lambda: max(acknowledged.values()) > written_after + 10, 10.0,
                          "writes go on against the new primary")
        finally:
            stop.set()
            writer.join()
        # Every acknowledged write is on the new primary: its own value, or a later one that
        # reached the server without its reply reaching the writer.
        for key, value in acknowledged.items():
            self.assertGreaterEqual(int(replica.command("GET", key)), value, key)

        def follows_its_successor():
            role = primary.command("ROLE")
            return role[0] == b"slave" and role[2] == replica.port and role[3] == b"connected"

        procutil.poll(follows_its_successor, FORM_TIMEOUT_S,
                      "the old primary follows the replica that took over")
        self.assertEqual(self.slot_owners(self.primaries[1]).keys(), self.slots_before.keys())
        with self.assertRaises(redis.exceptions.ResponseError) as moved:
            primary.command("SET", keys[0], "stale")
        self.assertIn("MOVED", str(moved.exception))
        self.assertIn("127.0.0.1:%d" % replica.port, str(moved.exception))
        for node in self.nodes:
            self.assertTrue(procutil.ping(node.port))

    def test_cluster_replicate_moves_the_replica_to_another_primary(self):
        other = self.primaries[2]
        other_id = other.my_id()
        self.assertEqual(self.replica.command("CLUSTER", "REPLICATE", other_id), b"OK")
        procutil.poll(lambda: node_lines(self.primaries[1].port)[self.replica.my_id()][3] ==
                      other_id, FORM_TIMEOUT_S, "the configuration moved the replica")
        self.wait_following(other)
        with self.assertRaises(redis.exceptions.ResponseError) as refused:
            self.primaries[1].command("CLUSTER", "REPLICATE", other_id)
        self.assertIn("must be empty and without assigned slots", str(refused.exception))
        for node in self.nodes:
            self.assertTrue(procutil.ping(node.port))


if __name__ == "__main__":
    unittest.main()
