"""ACL users against a running ringcache-server, as applications and operators use them:
python3-redis and redis-cli log in as users, are refused with Redis' words, the ACL log records
it, users come from the config file and from an aclfile (ACL LOAD/SAVE), deleting a user or
revoking a subscriber's channel closes its connections. Every wait is a bounded poll; every
server must still answer PING at the end (procutil.Server.stop)."""

import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import procutil  # noqa: E402

procutil.use_python_with_redis_module()
import redis  # noqa: E402


def connect(port, username=None, password=None):
    return redis.Redis(port=port, username=username, password=password, socket_timeout=10)


def login_raw(port, user, password):
    """A raw connection logged in as `user` (no client library that would reconnect)."""
    conn = procutil.RawConnection(port)
    conn.send(procutil.encode("AUTH", user, password))
    assert conn.read_line() == b"+OK\r\n"
    return conn


class AclUsersTest(procutil.ServerPerClass, unittest.TestCase):
    def setUp(self):
        self.admin = connect(self.port)
        self.admin.execute_command("ACL", "LOG", "RESET")

    def tearDown(self):
        for user in self.admin.execute_command("ACL", "USERS"):
            if user != b"default":
                self.admin.execute_command("ACL", "DELUSER", user)
        self.admin.close()

    def test_user_is_refused_what_it_may_not_run(self):
        self.admin.execute_command("ACL", "SETUSER", "app", "on", ">s3cret", "+@read", "+set",
                                   "~app:*", "&app.*", "+publish")
        app = connect(self.port, "app", "s3cret")
        self.assertTrue(app.set("app:1", "v"))
        self.assertEqual(app.get("app:1"), b"v")
        with self.assertRaisesRegex(redis.exceptions.NoPermissionError,
                                    "no permissions to access one of the keys"):
            app.get("other")
        with self.assertRaisesRegex(redis.exceptions.NoPermissionError,
                                    "no permissions to run the 'del' command"):
            app.delete("app:1")
        with self.assertRaisesRegex(redis.exceptions.NoPermissionError,
                                    "no permissions to access one of the channels"):
            app.publish("news", "m")
        self.assertEqual(app.publish("app.events", "m"), 0)
        log = self.admin.execute_command("ACL", "LOG")
        reasons = sorted(dict(zip(entry[::2], entry[1::2]))[b"reason"] for entry in log)
        self.assertEqual(reasons, [b"channel", b"command", b"key"])
        listed = self.admin.execute_command("CLIENT", "LIST").decode()
        self.assertIn("user=app", listed)
        app.close()

    def test_wrong_password_is_logged_and_counted(self):
        self.admin.execute_command("ACL", "SETUSER", "ops", "on", ">pw", "+@all", "~*")
        with self.assertRaisesRegex(Exception, "WRONGPASS|invalid username-password"):
            connect(self.port, "ops", "nope").ping()
        code, out, _ = procutil.run_cli(self.port, "--user", "ops", "--pass", "pw", "--no-auth-warning",
                                        "ACL", "WHOAMI")
        self.assertEqual((code, out.strip()), (0, "ops"))
        entry = self.admin.execute_command("ACL", "LOG", "1")[0]
        fields = dict(zip(entry[::2], entry[1::2]))
        self.assertEqual((fields[b"reason"], fields[b"username"]), (b"auth", b"ops"))
        stats = self.admin.info("stats")
        self.assertGreaterEqual(stats["acl_access_denied_auth"], 1)

    def test_deleting_a_user_closes_its_connections(self):
        self.admin.execute_command("ACL", "SETUSER", "temp", "on", ">pw", "+@all", "~*")
        temp = login_raw(self.port, "temp", "pw")
        self.assertEqual(self.admin.execute_command("ACL", "DELUSER", "temp"), 1)
        self.assertEqual(temp.read_until_closed(), b"")  # closed, within the socket timeout
        temp.close()

    def test_subscriber_losing_its_channel_is_closed(self):
        self.admin.execute_command("ACL", "SETUSER", "sub", "on", ">pw", "+@all", "~*",
                                   "resetchannels", "&feed")
        subscriber = connect(self.port, "sub", "pw").pubsub()
        subscriber.subscribe("feed")
        procutil.poll(lambda: subscriber.get_message(timeout=0.1), what="subscribe confirmation")
        self.admin.execute_command("ACL", "SETUSER", "sub", "resetchannels", "&other")

        def subscriber_closed():
            try:
                subscriber.get_message(timeout=0.1)
                return False
            except (redis.exceptions.ConnectionError, OSError):
                return True

        procutil.poll(subscriber_closed, what="the subscriber's connection closed")


class AclFilesTest(unittest.TestCase):
    def test_config_user_lines_and_requirepass(self):
        workdir = tempfile.mkdtemp(prefix="ringcache-acl-")
        config = os.path.join(workdir, "ringcache.conf")
        with open(config, "w") as f:
            f.write("user reader on >r ~* +@read\n")
        server = procutil.start_server(config_file=config)
        try:
            reader = connect(server.port, "reader", "r")
            self.assertIsNone(reader.get("k"))
            with self.assertRaises(redis.exceptions.NoPermissionError):
                reader.set("k", "v")
            admin = connect(server.port)
            admin.config_set("requirepass", "topsecret")
            with self.assertRaisesRegex(redis.exceptions.AuthenticationError, "NOAUTH|Authentication"):
                connect(server.port).get("k")
            self.assertTrue(connect(server.port, password="topsecret").ping())
            admin.config_set("requirepass", "")  # the end-of-test PING needs no password
        finally:
            server.stop()

    def test_aclfile_load_and_save(self):
        workdir = tempfile.mkdtemp(prefix="ringcache-acl-")
        aclfile = os.path.join(workdir, "users.acl")
        with open(aclfile, "w") as f:
            f.write("user alice on >a ~* &* +@all\nuser default on nopass ~* &* +@all\n")
        # The aclfile is a path inside dir, relative to it.
        server = procutil.start_server(["--dir", workdir, "--aclfile", "users.acl"])
        try:
            admin = connect(server.port)
            self.assertEqual(sorted(admin.execute_command("ACL", "USERS")),
                             [b"alice", b"default"])
            admin.execute_command("ACL", "SETUSER", "bob", "on", ">b", "+get", "~b*")
            self.assertEqual(admin.execute_command("ACL", "SAVE"), b"OK")
            with open(aclfile) as f:
                saved = f.read()
            self.assertIn("user bob on #", saved)
            alice = login_raw(server.port, "alice", "a")
            # A bad line: nothing changes.
            with open(aclfile, "a") as f:
                f.write("user carol on +nosuchcommand\n")
            with self.assertRaisesRegex(redis.exceptions.ResponseError, "users.acl:4"):
                admin.execute_command("ACL", "LOAD")
            self.assertIsNone(admin.execute_command("ACL", "GETUSER", "carol"))
            with open(aclfile, "w") as f:
                f.write(saved.replace("user bob", "user robert"))
            self.assertEqual(admin.execute_command("ACL", "LOAD"), b"OK")
            self.assertEqual(sorted(admin.execute_command("ACL", "USERS")),
                             [b"alice", b"default", b"robert"])
            # Loading replaced alice: her connection is closed, as Redis frees the old users.
            self.assertEqual(alice.read_until_closed(), b"")
            alice.close()
            self.assertEqual(connect(server.port, "robert", "b").get("b1"), None)
        finally:
            server.stop()


if __name__ == "__main__":
    unittest.main()
