// maxmemory-clients (core/server/clients/client_eviction.h): which clients are closed when all
// clients' buffers together pass the limit.

#include "core/server/clients/client_eviction.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace ringcache::server {
namespace {

struct Clients {
  std::map<uint64_t, Client*> by_id;
  std::map<uint64_t, Client> storage;
  Client& add(uint64_t id, size_t query_bytes, size_t output_bytes) {
    Client& client = storage[id];
    client.id = id;
    client.query_buffer_bytes = query_bytes;
    client.output_buffer_bytes = output_bytes;
    by_id[id] = &client;
    return client;
  }
};

TEST(ClientEviction, LargestClientsGoUntilTheRestFit) {
  Clients clients;
  clients.add(1, 100, 0);
  clients.add(2, 0, 5000);
  clients.add(3, 2000, 1000);
  clients.add(4, 10, 10);
  EXPECT_TRUE(clients_to_evict(clients.by_id, 0).empty()) << "0: no limit";
  EXPECT_TRUE(clients_to_evict(clients.by_id, 8120).empty()) << "they fit exactly";
  EXPECT_EQ(clients_to_evict(clients.by_id, 3200).size(), 1u) << "closing the largest is enough";
  const auto evicted = clients_to_evict(clients.by_id, 3000);
  ASSERT_EQ(evicted.size(), 2u);
  EXPECT_EQ(evicted[0]->id, 2u);
  EXPECT_EQ(evicted[1]->id, 3u);
}

TEST(ClientEviction, ReplicationLinksAndNoEvictClientsStay) {
  Clients clients;
  clients.add(1, 0, 9000).no_evict = true;
  clients.add(2, 0, 8000).replication_master = true;
  clients.add(3, 0, 7000).psync_requested = true;
  clients.add(4, 0, 600);
  clients.add(5, 0, 500);
  const auto evicted = clients_to_evict(clients.by_id, 700);
  ASSERT_EQ(evicted.size(), 1u);
  EXPECT_EQ(evicted[0]->id, 4u);
}

TEST(ClientEviction, PercentLimitsFollowMaxmemory) {
  EXPECT_EQ(client_memory_limit_bytes(10, true, 1'000'000), 100'000u);
  EXPECT_EQ(client_memory_limit_bytes(10, true, 0), 0u) << "no maxmemory: no limit";
  EXPECT_EQ(client_memory_limit_bytes(4096, false, 0), 4096u);
  EXPECT_EQ(client_memory_limit_bytes(0, false, 1'000'000), 0u);
}

}  // namespace
}  // namespace ringcache::server
