#pragma once
// The HTTP front end's request and response, apart from any socket: the connection loop turns
// parsed bytes into a Request and a Response into bytes, and Api::handle maps one to the other.
// Keeping them plain values is what lets a request be handed to another node later (cluster
// routing) by whoever sits between the loop and the Api.

#include <string>
#include <string_view>

namespace ringcache::http {

struct Request {
  std::string_view method;         // "GET"; HEAD is answered as GET without the body
  std::string_view target;         // "/cache/k%2Fx?encoding=base64", still encoded
  std::string_view body;
  std::string_view authorization;  // the Authorization header, "" when absent
};

struct Response {
  int status = 200;
  std::string_view content_type = "application/json";
  std::string body;
  // Preformatted header lines ("Allow: GET, HEAD\r\n"), written after the standard ones.
  std::string extra_headers;
  // Close the connection once this response is sent (a malformed request).
  bool close = false;
};

}  // namespace ringcache::http
