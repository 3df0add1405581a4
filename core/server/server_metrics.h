#pragma once
// The server's and the commands' metric families (server_metrics.cpp), registered once per
// Server. Each reads the figures INFO reads.

namespace ringcache::server {

class Server;

void register_server_metrics(Server& server);

}  // namespace ringcache::server
