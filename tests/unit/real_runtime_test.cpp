// The production runtime on real sockets, timers and files. Each test runs its own event loop on
// a fresh thread; a watchdog in the loop bounds every test, so a lost wake-up fails instead of
// hanging.

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "runtime/real/real_runtime.h"

namespace ringcache::real {
namespace {

using namespace std::chrono_literals;
constexpr auto watchdog = 20s;

// Runs `body` as a fiber of a fresh runtime on a new thread, until it and every fiber it spawned
// have finished.
void run_in_loop(const std::function<void(RealRuntime&)>& body, RealRuntimeOptions options = {}) {
  std::thread thread([&] {
    auto runtime = make_real_runtime(options);
    ASSERT_TRUE(runtime.is_ok()) << runtime.status().to_string();
    RealRuntime& rt = **runtime;
    bool finished = false;
    rt.spawn("test", [&] {
      body(rt);
      finished = true;
    });
    const Instant give_up = rt.now() + watchdog;
    rt.run_until([&] {
      RING_ASSERT_MSG(rt.now() < give_up, "test fibers did not finish in time (lost wake-up?)");
      return finished && rt.live_fibers() == 0;
    });
  });
  thread.join();
}

std::unique_ptr<Stream> connect_ok(RealRuntime& rt, uint16_t port) {
  auto stream = rt.connect("127.0.0.1", port);
  EXPECT_TRUE(stream.is_ok()) << stream.status().to_string();
  return stream.is_ok() ? std::move(stream).value() : nullptr;
}

// Reads exactly `size` bytes, or fewer if the stream ends.
std::string read_exactly(Stream& stream, size_t size) {
  std::string data;
  std::vector<char> buffer(16 * 1024);
  while (data.size() < size) {
    auto n = stream.read_some(std::span<char>(buffer.data(), std::min(buffer.size(), size - data.size())));
    if (!n) break;
    data.append(buffer.data(), *n);
  }
  return data;
}

// Listens on a free port and serves each accepted connection on its own fiber by echoing its
// bytes, until the listener is closed. The accept fiber shares ownership of the listener.
std::shared_ptr<Listener> start_echo_server(RealRuntime& rt) {
  auto listening = rt.listen("127.0.0.1", 0);
  EXPECT_TRUE(listening.is_ok()) << listening.status().to_string();
  std::shared_ptr<Listener> listener = std::move(listening).value();
  rt.spawn("echo-accept", [&rt, listener] {
    while (auto stream = listener->accept()) {
      rt.spawn("echo-conn", [conn = std::shared_ptr<Stream>(std::move(stream).value())] {
        std::vector<char> buffer(4096);
        while (auto n = conn->read_some(buffer)) {
          if (!conn->write(std::string_view(buffer.data(), *n))) break;
        }
      });
    }
  });
  return listener;
}

TEST(RealRuntime, EchoBetweenFibersIncludingALargeTransfer) {
  run_in_loop([](RealRuntime& rt) {
    auto listener = start_echo_server(rt);
    auto client = connect_ok(rt, listener->port());
    ASSERT_TRUE(client);
    EXPECT_TRUE(client->write("hello").is_ok());
    EXPECT_EQ(read_exactly(*client, 5), "hello");
    EXPECT_EQ(client->local_address().rfind("127.0.0.1:", 0), 0u);
    EXPECT_EQ(client->peer_address(), "127.0.0.1:" + std::to_string(listener->port()));

    // Larger than both socket buffers: the writer must park while the reader drains.
    std::string big(8 << 20, 'x');
    for (size_t i = 0; i < big.size(); i += 977) big[i] = static_cast<char>('a' + i % 26);
    bool written = false;
    rt.spawn("writer", [&] { written = client->write(big).is_ok(); });
    EXPECT_EQ(read_exactly(*client, big.size()), big);
    EXPECT_TRUE(written);
    client->close();
    listener->close();
  });
}

TEST(RealRuntime, CloseFromAnotherFiberWakesAParkedReader) {
  run_in_loop([](RealRuntime& rt) {
    auto listener = rt.listen("127.0.0.1", 0);
    ASSERT_TRUE(listener.is_ok());
    auto client = connect_ok(rt, (*listener)->port());
    auto server = (*listener)->accept();
    ASSERT_TRUE(server.is_ok());
    Stream& stream = **server;
    rt.spawn("closer", [&] {
      rt.sleep_for(10ms);
      stream.close();
    });
    std::vector<char> buffer(16);
    auto n = stream.read_some(buffer);
    EXPECT_EQ(n.code(), Errc::closed);
    EXPECT_EQ(stream.write("late").code(), Errc::closed);
    EXPECT_EQ(stream.read_some(buffer).code(), Errc::closed);
    stream.close();  // idempotent
    // The peer sees an orderly end of stream.
    EXPECT_EQ(client->read_some(buffer).code(), Errc::closed);
  });
}

TEST(RealRuntime, ReplyBeforeCloseReachesAPeerThatKeepsSending) {
  run_in_loop([](RealRuntime& rt) {
    auto listener = rt.listen("127.0.0.1", 0);
    ASSERT_TRUE(listener.is_ok());
    auto client = connect_ok(rt, (*listener)->port());
    auto server = (*listener)->accept();
    ASSERT_TRUE(server.is_ok());
    // Unread input at close time would make the kernel send a RST; the reply must still arrive.
    EXPECT_TRUE(client->write(std::string(100000, 'g')).is_ok());
    std::vector<char> buffer(10);
    EXPECT_TRUE((*server)->read_some(buffer).is_ok());
    EXPECT_TRUE((*server)->write("-ERR Protocol error\r\n").is_ok());
    (*server)->close();
    EXPECT_EQ(read_exactly(*client, 21), "-ERR Protocol error\r\n");
    EXPECT_EQ(client->read_some(buffer).code(), Errc::closed);
  });
}

TEST(RealRuntime, ListenerCloseWakesAParkedAccept) {
  run_in_loop([](RealRuntime& rt) {
    auto listener = rt.listen("127.0.0.1", 0);
    ASSERT_TRUE(listener.is_ok());
    rt.spawn("closer", [&] {
      rt.sleep_for(5ms);
      (*listener)->close();
    });
    EXPECT_EQ((*listener)->accept().code(), Errc::closed);
  });
}

TEST(RealRuntime, ListenAndConnectErrors) {
  run_in_loop([](RealRuntime& rt) {
    auto first = rt.listen("127.0.0.1", 0);
    ASSERT_TRUE(first.is_ok());
    uint16_t port = (*first)->port();
    EXPECT_NE(port, 0);
    EXPECT_EQ(rt.listen("127.0.0.1", port).code(), Errc::address_in_use);
    EXPECT_EQ(rt.listen("no such host.invalid", 0).code(), Errc::invalid_argument);
    (*first)->close();
    first = Status(Errc::closed, "dropped");  // release the port
    EXPECT_EQ(rt.connect("127.0.0.1", port).code(), Errc::refused);
  });
}

TEST(RealRuntime, TimersFireInDeadlineOrder) {
  run_in_loop([](RealRuntime& rt) {
    std::vector<int> woke;
    for (int ms : {30, 10, 40, 0, 20}) {
      rt.spawn("sleeper", [&rt, &woke, ms] {
        Instant start = rt.now();
        rt.sleep_for(std::chrono::milliseconds(ms));
        EXPECT_GE(rt.now() - start, std::chrono::milliseconds(ms));
        woke.push_back(ms);
      });
    }
    rt.sleep_for(100ms);
    EXPECT_EQ(woke, (std::vector<int>{0, 10, 20, 30, 40}));
  });
}

TEST(RealRuntime, WaitQueueTimeoutAndNotify) {
  run_in_loop([](RealRuntime& rt) {
    auto queue = rt.make_wait_queue();
    Instant start = rt.now();
    EXPECT_FALSE(queue->wait_until(rt.now() + 20ms));  // nobody notifies: times out
    EXPECT_GE(rt.now() - start, 20ms);

    rt.spawn("notifier", [&] {
      rt.sleep_for(5ms);
      queue->notify_one();
    });
    start = rt.now();
    EXPECT_TRUE(queue->wait_until(rt.now() + 10s));
    EXPECT_LT(rt.now() - start, 5s);

    int woken = 0;
    for (int i = 0; i < 3; ++i) {
      rt.spawn("waiter", [&] { woken += queue->wait() ? 1 : 0; });
    }
    rt.yield();  // let the waiters park
    queue->notify_all();
    rt.yield();
    EXPECT_EQ(woken, 3);
  });
}

TEST(RealRuntime, DatagramsOverLoopbackTimeoutsAndClose) {
  run_in_loop([](RealRuntime& rt) {
    auto a = rt.open_datagram("127.0.0.1", 0);
    auto b = rt.open_datagram("127.0.0.1", 0);
    ASSERT_TRUE(a.is_ok() && b.is_ok()) << a.status().to_string();
    ASSERT_NE(a.value()->port(), 0);
    EXPECT_EQ(rt.open_datagram("127.0.0.1", a.value()->port()).status().code(),
              Errc::address_in_use);

    ASSERT_TRUE(a.value()->send_to("127.0.0.1", b.value()->port(), "hello"));
    auto got = b.value()->receive(rt.now() + 5s);
    ASSERT_TRUE(got.is_ok()) << got.status().to_string();
    EXPECT_EQ(got.value().bytes, "hello");
    EXPECT_EQ(got.value().from, "127.0.0.1:" + std::to_string(a.value()->port()));
    EXPECT_EQ(a.value()->send_to("127.0.0.1", 1, std::string(70000, 'x')).code(),
              Errc::invalid_argument);

    const Instant start = rt.now();
    EXPECT_EQ(b.value()->receive(rt.now() + 20ms).status().code(), Errc::timed_out);
    EXPECT_GE(rt.now() - start, 20ms);

    Errc woke_with = Errc::ok;
    rt.spawn("receiver", [&] { woke_with = b.value()->receive().status().code(); });
    rt.yield();  // let it park
    b.value()->close();
    rt.yield();
    EXPECT_EQ(woke_with, Errc::closed);
  });
}

TEST(RealRuntime, SpawnRunsLaterAndYieldInterleaves) {
  run_in_loop([](RealRuntime& rt) {
    std::string trace;
    rt.spawn("b", [&] {
      for (int i = 0; i < 3; ++i) {
        trace += 'b';
        rt.yield();
      }
    });
    trace += 'a';  // the spawned fiber has not run yet
    for (int i = 0; i < 3; ++i) {
      rt.yield();
      trace += 'a';
    }
    EXPECT_EQ(trace.substr(0, 4), "abab");
    EXPECT_EQ(std::count(trace.begin(), trace.end(), 'b'), 3);
  });
}

TEST(RealRuntime, ManyConcurrentConnections) {
  constexpr int clients = 200;
  constexpr int messages = 50;
  run_in_loop([&](RealRuntime& rt) {
    auto listener = start_echo_server(rt);
    int finished = 0;
    auto all_done = rt.make_wait_queue();
    for (int c = 0; c < clients; ++c) {
      rt.spawn("client", [&, c] {
        auto stream = connect_ok(rt, listener->port());
        for (int m = 0; stream && m < messages; ++m) {
          std::string message = "client " + std::to_string(c) + " message " + std::to_string(m);
          EXPECT_TRUE(stream->write(message).is_ok());
          EXPECT_EQ(read_exactly(*stream, message.size()), message);
        }
        ++finished;
        all_done->notify_all();
      });
    }
    while (finished < clients) all_done->wait();
    listener->close();
  });
}

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "ringcache-test-XXXXXX");
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(RealRuntime, DiskAppendSyncReadRenameList) {
  TempDir dir;
  RealRuntimeOptions options;
  options.data_dir = dir.path();
  run_in_loop([](RealRuntime& rt) {
    Disk& disk = rt.disk();
    ASSERT_TRUE(disk.make_dir("aof/inner").is_ok());
    ASSERT_TRUE(disk.make_dir("aof/inner").is_ok());  // exists: fine
    auto file = disk.open_append("aof/inner/a.aof", false);
    ASSERT_TRUE(file.is_ok());
    EXPECT_TRUE((*file)->append("hello").is_ok());
    EXPECT_TRUE((*file)->sync().is_ok());
    EXPECT_TRUE((*file)->close().is_ok());
    file = disk.open_append("aof/inner/a.aof", false);
    EXPECT_EQ((*file)->size(), 5u);
    EXPECT_TRUE((*file)->append(" world").is_ok());
    EXPECT_EQ((*file)->size(), 11u);
    EXPECT_TRUE((*file)->close().is_ok());

    char buffer[16];
    auto n = disk.read("aof/inner/a.aof", 6, buffer);
    ASSERT_TRUE(n.is_ok());
    EXPECT_EQ(std::string_view(buffer, *n), "world");
    EXPECT_EQ(disk.read("aof/inner/a.aof", 11, buffer).value(), 0u);
    EXPECT_EQ(disk.file_size("aof/inner/a.aof").value(), 11u);
    EXPECT_TRUE(disk.truncate("aof/inner/a.aof", 5).is_ok());
    EXPECT_EQ(disk.file_size("aof/inner/a.aof").value(), 5u);

    EXPECT_TRUE(disk.open_append("aof/inner/0.aof", true).value()->close().is_ok());
    EXPECT_TRUE(disk.rename("aof/inner/a.aof", "aof/inner/b.aof").is_ok());
    EXPECT_TRUE(disk.sync_dir("aof/inner").is_ok());
    EXPECT_EQ(disk.list("aof/inner").value(), (std::vector<std::string>{"0.aof", "b.aof"}));
    EXPECT_EQ(disk.list("aof").value(), (std::vector<std::string>{"inner"}));
    EXPECT_TRUE(disk.remove("aof/inner/b.aof").is_ok());
    EXPECT_EQ(disk.list("aof/inner").value(), (std::vector<std::string>{"0.aof"}));

    EXPECT_EQ(disk.read("aof/missing", 0, buffer).code(), Errc::not_found);
    EXPECT_EQ(disk.file_size("missing").code(), Errc::not_found);
    EXPECT_EQ(disk.remove("missing").code(), Errc::not_found);
    EXPECT_EQ(disk.list("missing").code(), Errc::not_found);
    auto truncated = disk.open_append("aof/inner/0.aof", true);
    EXPECT_EQ((*truncated)->size(), 0u);
    EXPECT_TRUE((*truncated)->close().is_ok());
  }, options);
}

TEST(RealRuntime, LogLinesLookLikeRedisAndAreFiltered) {
  std::string line = format_log_line(1234, LogLevel::notice, 1'700'000'000'123'456, "Ready");
  EXPECT_TRUE(std::regex_match(
      line, std::regex(R"(1234:M \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d\.123 \* Ready\n)")))
      << line;
  EXPECT_TRUE(format_log_line(1, LogLevel::warning, 0, "x").ends_with(".000 # x\n"));

  TempDir dir;
  RealRuntimeOptions options;
  options.log_file = dir.path() + "/ringcache.log";
  options.log_level = LogLevel::notice;
  run_in_loop([](RealRuntime& rt) {
    rt.log(LogLevel::debug, "hidden");
    rt.log(LogLevel::warning, "shown");
    EXPECT_GT(rt.process_rss_bytes(), 0u);
  }, options);
  std::ifstream in(options.log_file);
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(content.find("hidden"), std::string::npos);
  EXPECT_NE(content.find(" # shown\n"), std::string::npos) << content;

  options.log_file = dir.path() + "/no/such/dir/log";
  EXPECT_EQ(make_real_runtime(options).code(), Errc::invalid_argument);
}

TEST(RealRuntime, ReportsProcessIdAndCpuTime) {
  run_in_loop([](RealRuntime& rt) {
    EXPECT_EQ(rt.process_id(), ::getpid());
    const Runtime::CpuTime before = rt.loop_thread_cpu_time();
    // Burn a little CPU on this thread; the clock ticks in microseconds (or 1-4 ms on old
    // kernels), so 50 ms of spinning always shows.
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(50);
    volatile uint64_t spins = 0;
    while (std::chrono::steady_clock::now() < until) spins = spins + 1;
    const Runtime::CpuTime after = rt.loop_thread_cpu_time();
    EXPECT_GT(after.user_us + after.system_us, before.user_us + before.system_us);
    const Runtime::CpuTime process = rt.process_cpu_time();
    EXPECT_GE(process.user_us + process.system_us, after.user_us + after.system_us);
  });
}

}  // namespace
}  // namespace ringcache::real
