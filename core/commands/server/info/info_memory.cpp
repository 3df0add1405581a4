// INFO memory: what the keyspace accounts (used_memory, the figure eviction compares with
// maxmemory) and what the process holds (rss). There is no allocator of its own to ask, so the
// allocator figures are the accounted and resident sizes, the scripting figures the Lua heaps,
// and the replication and cluster-link figures Redis' values for a node without them.

#include "core/commands/scripting/node_scripting.h"
#include "core/commands/server/info/info_text.h"

namespace ringcache::commands::info {

MemoryFigures memory_figures(server::Server& server) {
  MemoryFigures figures;
  figures.used = server.keyspace().used_memory();
  figures.rss = server.runtime().process_rss_bytes();
  uint64_t& peak = server.stats().used_memory_peak;
  peak = std::max(peak, figures.used);
  figures.peak = peak;
  for (const auto& [id, client] : server.clients()) {
    figures.clients_normal += client->query_buffer_bytes + client->output_buffer_bytes;
  }
  return figures;
}

namespace {

std::string percent_text(uint64_t part, uint64_t whole) {
  const double percent =
      whole == 0 ? 0.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
  return fmt::format("{:.2f}%", percent);
}

void usage_fields(const MemoryFigures& m, InfoText& info) {
  info.field("used_memory", m.used);
  info.field("used_memory_human", human_bytes(m.used));
  info.field("used_memory_rss", m.rss);
  info.field("used_memory_rss_human", human_bytes(m.rss));
  info.field("used_memory_peak", m.peak);
  info.field("used_memory_peak_human", human_bytes(m.peak));
  info.field("used_memory_peak_perc", percent_text(m.used, m.peak));
  info.field("used_memory_overhead", 0);
  info.field("used_memory_startup", 0);
  info.field("used_memory_dataset", m.used);
  info.field("used_memory_dataset_perc", percent_text(m.used, m.used));
  info.field("allocator_allocated", m.used);
  info.field("allocator_active", m.used);
  info.field("allocator_resident", m.rss);
  info.field("total_system_memory", 0);  // unknown: Redis prints 0 where it cannot read it
  info.field("total_system_memory_human", human_bytes(0));
}

// The interpreters' heaps and what they hold (zeros until a script is first used).
void scripting_fields(server::Server& server, InfoText& info) {
  uint64_t eval_bytes = 0;
  uint64_t function_bytes = 0;
  uint64_t scripts = 0;
  uint64_t functions = 0;
  uint64_t libraries = 0;
  if (server.scripting() != nullptr) {
    const NodeScripting& scripting = node_scripting(server);
    eval_bytes = scripting.engine.heap_bytes();
    function_bytes = scripting.functions.heap_bytes();
    scripts = scripting.engine.script_count();
    functions = scripting.functions.function_count();
    libraries = scripting.functions.library_count();
  }
  info.field("used_memory_lua", eval_bytes);
  info.field("used_memory_vm_eval", eval_bytes);
  info.field("used_memory_lua_human", human_bytes(eval_bytes));
  info.zeros({"used_memory_scripts_eval"});
  info.field("number_of_cached_scripts", scripts);
  info.field("number_of_functions", functions);
  info.field("number_of_libraries", libraries);
  info.field("used_memory_vm_functions", function_bytes);
  info.field("used_memory_vm_total", eval_bytes + function_bytes);
  info.field("used_memory_vm_total_human", human_bytes(eval_bytes + function_bytes));
  info.zeros({"used_memory_functions", "used_memory_scripts"});
  info.field("used_memory_scripts_human", human_bytes(0));
}

void fragmentation_fields(const MemoryFigures& m, InfoText& info) {
  const int64_t rss_minus_used = static_cast<int64_t>(m.rss) - static_cast<int64_t>(m.used);
  info.field("allocator_frag_ratio", "1.00");
  info.field("allocator_frag_bytes", 0);
  info.field("allocator_rss_ratio", ratio_text(m.rss, m.used));
  info.field("allocator_rss_bytes", rss_minus_used);
  info.field("rss_overhead_ratio", "1.00");
  info.field("rss_overhead_bytes", 0);
  info.field("mem_fragmentation_ratio", ratio_text(m.rss, m.used));
  info.field("mem_fragmentation_bytes", rss_minus_used);
}

}  // namespace

void memory_section(server::Server& server, InfoText& info) {
  const MemoryFigures m = memory_figures(server);
  const uint64_t maxmemory = server.config().eviction.maxmemory_bytes;
  info.section("Memory");
  usage_fields(m, info);
  scripting_fields(server, info);
  info.field("maxmemory", maxmemory);
  info.field("maxmemory_human", human_bytes(maxmemory));
  info.field("maxmemory_policy", store::maxmemory_policy_name(server.config().eviction.policy));
  fragmentation_fields(m, info);
  info.zeros({"mem_not_counted_for_evict", "mem_replication_backlog",
              "mem_total_replication_buffers", "mem_clients_slaves"});
  info.field("mem_clients_normal", m.clients_normal);
  info.zeros({"mem_cluster_links", "mem_aof_buffer"});
  info.field("mem_allocator", "libc");
  info.zeros({"active_defrag_running", "lazyfree_pending_objects", "lazyfreed_objects"});
}

}  // namespace ringcache::commands::info
