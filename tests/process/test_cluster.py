"""A ringcache cluster of real processes on loopback: three ringcache-server nodes form a cluster
from one seed list; redis-cli -c and python3-redis' RedisCluster write and read thousands of keys;
every node gives the same CLUSTER SLOTS/SHARDS/NODES; redis-cli --cluster check passes; after
kill -9 of one node the others keep serving their slots and the cluster is ok again once the
failure is declared (the dead shard's slots pass to the others, empty); a fourth node joins and
takes its share of the slots (empty as well: keys do not migrate yet). Every wait is a bounded
poll."""

import os
import signal
import socket
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import procutil  # noqa: E402

procutil.use_python_with_redis_module()
import redis  # noqa: E402
from redis.cluster import RedisCluster  # noqa: E402

NODE_TIMEOUT_MS = 1000
FORM_TIMEOUT_S = 60.0
KEYS = 3000
SLOTS = 16384


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cluster_info(port):
    """CLUSTER INFO as {field: text} ({} while the node does not answer)."""
    code, text, _ = procutil.run_cli(port, "cluster", "info")
    if code != 0:
        return {}
    return dict(line.strip().split(":", 1) for line in text.splitlines() if ":" in line)


def node_table(port):
    """CLUSTER NODES as {id: (address, slot ranges)}: what every node must agree on."""
    code, text, err = procutil.run_cli(port, "cluster", "nodes")
    assert code == 0, err
    table = {}
    for line in text.splitlines():
        fields = line.split(" ")
        if len(fields) > 8:
            table[fields[0]] = (fields[1], tuple(fields[8:]))
    return table


class ClusterNode:
    def __init__(self, seeds, bus_port):
        self.bus_port = bus_port
        self.server = procutil.Server([
            "--cluster-enabled", "yes", "--cluster-port", str(bus_port),
            "--cluster-node-timeout", str(NODE_TIMEOUT_MS), "--cluster-seeds", seeds
        ])
        self.port = self.server.port

    def info(self):
        return cluster_info(self.port)

    def command(self, *args):
        return redis.Redis(port=self.port, socket_timeout=5).execute_command(*args)


class ClusterTest(unittest.TestCase):

    def setUp(self):
        bus_ports = [free_udp_port() for _ in range(4)]
        self.seeds = ",".join("127.0.0.1:%d" % port for port in bus_ports[:3])
        self.spare_bus_port = bus_ports[3]
        self.nodes = [ClusterNode(self.seeds, bus_ports[i]) for i in range(3)]
        for node in self.nodes:
            node.server.wait_ready()
        self.wait_ok(self.nodes, shards=3)

    def tearDown(self):
        for node in self.nodes:
            node.server.stop()

    def wait_ok(self, nodes, shards):
        def all_ok():
            for node in nodes:
                info = node.info()
                if info.get("cluster_state") != "ok" or info.get("cluster_size") != str(shards):
                    return False
            return True

        procutil.poll(all_ok, FORM_TIMEOUT_S, "cluster_state:ok with %d shards" % shards)

    def client(self, node):
        return RedisCluster(host="127.0.0.1", port=node.port, socket_timeout=5)

    def assert_all_ping(self, nodes):
        for node in nodes:
            self.assertIsNone(node.server.process.poll(), "node on %d died" % node.port)
            self.assertTrue(procutil.ping(node.port), "node on %d does not answer" % node.port)

    def test_redis_cli_follows_redirects(self):
        code, out, err = procutil.run_cli(self.nodes[0].port, "-c", "set", "foo", "bar")
        self.assertEqual((code, out.strip()), (0, "OK"), err)
        for node in self.nodes[1:]:
            code, out, err = procutil.run_cli(node.port, "-c", "get", "foo")
            self.assertEqual((code, out.strip()), (0, "bar"), err)
        # Without -c the node that does not own the slot redirects.
        owner = [n for n in self.nodes if n.command("CLUSTER", "COUNTKEYSINSLOT", 12182) == 1]
        self.assertEqual(len(owner), 1)
        other = [n for n in self.nodes if n is not owner[0]][0]
        _, out, _ = procutil.run_cli(other.port, "get", "foo")
        self.assertIn("MOVED 12182 127.0.0.1:%d" % owner[0].port, out)
        self.assert_all_ping(self.nodes)

    def test_cluster_client_writes_and_reads_thousands_of_keys(self):
        client = self.client(self.nodes[1])
        for i in range(KEYS):
            client.set("key:%d" % i, "value:%d" % i)
        for i in range(KEYS):
            self.assertEqual(client.get("key:%d" % i), b"value:%d" % i)
        per_node = [node.command("DBSIZE") for node in self.nodes]
        self.assertEqual(sum(per_node), KEYS)
        for count in per_node:  # the ring spreads keys over every shard
            self.assertGreater(count, KEYS // 6, per_node)
        self.assert_all_ping(self.nodes)

    def test_every_node_gives_the_same_topology_and_cli_check_passes(self):
        slots = [node.command("CLUSTER", "SLOTS") for node in self.nodes]
        shards = [node.command("CLUSTER", "SHARDS") for node in self.nodes]
        tables = [node_table(node.port) for node in self.nodes]
        for i in range(1, 3):
            self.assertEqual(slots[i], slots[0])
            self.assertEqual(shards[i], shards[0])
            self.assertEqual(tables[i], tables[0])
        covered = sum(end - start + 1 for start, end, *_ in slots[0])
        self.assertEqual(covered, SLOTS)
        result = subprocess.run(
            ["redis-cli", "--cluster", "check", "127.0.0.1:%d" % self.nodes[0].port],
            capture_output=True, timeout=60)
        out = result.stdout.decode(errors="replace")
        self.assertEqual(result.returncode, 0, out + result.stderr.decode(errors="replace"))
        self.assertIn("[OK] All nodes agree about slots configuration.", out)
        self.assertIn("[OK] All 16384 slots covered.", out)
        self.assert_all_ping(self.nodes)

    def test_killed_node_loses_its_keys_and_the_others_keep_serving(self):
        client = self.client(self.nodes[0])
        for i in range(KEYS):
            client.set("key:%d" % i, i)
        victim = self.nodes[2]
        victim_keys = {k.decode() for k in victim.command("KEYS", "*")}
        self.assertTrue(victim_keys)
        victim.server.process.send_signal(signal.SIGKILL)
        victim.server.process.wait(timeout=10)
        survivors = self.nodes[:2]
        # Right away, before the failure is declared, the survivors' own keys are served.
        for node in survivors:
            for key in node.command("KEYS", "*")[:50]:
                self.assertIsNotNone(node.command("GET", key))
        self.wait_ok(survivors, shards=2)
        client = self.client(self.nodes[0])
        lost = 0
        for i in range(KEYS):
            value = client.get("key:%d" % i)
            if "key:%d" % i in victim_keys:
                self.assertIsNone(value)  # its slots passed on, empty
                lost += 1
            else:
                self.assertEqual(value, b"%d" % i)
        self.assertEqual(lost, len(victim_keys))
        client.set("after", "failover")
        self.assertEqual(client.get("after"), b"failover")
        self.assert_all_ping(survivors)

    def test_fourth_node_joins_and_takes_its_share_of_slots(self):
        newcomer = ClusterNode(self.seeds, self.spare_bus_port)
        self.nodes.append(newcomer)
        newcomer.server.wait_ready()
        self.wait_ok(self.nodes, shards=4)
        my_id = newcomer.command("CLUSTER", "MYID").decode()
        table = node_table(self.nodes[0].port)
        self.assertIn(my_id, table)
        owned = 0
        for slot_range in table[my_id][1]:
            first, _, last = slot_range.partition("-")
            owned += int(last or first) - int(first) + 1
        # About a quarter of the slots; keys in them are not migrated yet, so they start empty.
        self.assertGreater(owned, SLOTS // 6)
        self.assertLess(owned, SLOTS // 2)
        self.assertEqual(newcomer.command("DBSIZE"), 0)
        client = self.client(newcomer)
        for i in range(500):
            client.set("new:%d" % i, i)
        self.assertGreater(newcomer.command("DBSIZE"), 0)
        self.assert_all_ping(self.nodes)


if __name__ == "__main__":
    unittest.main()
