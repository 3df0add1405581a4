#include "core/util/status.h"

namespace ringcache {

const char* errc_name(Errc code) {
  switch (code) {
    case Errc::ok: return "ok";
    case Errc::closed: return "closed";
    case Errc::reset: return "reset";
    case Errc::refused: return "refused";
    case Errc::timed_out: return "timed_out";
    case Errc::address_in_use: return "address_in_use";
    case Errc::io_error: return "io_error";
    case Errc::no_space: return "no_space";
    case Errc::not_found: return "not_found";
    case Errc::invalid_argument: return "invalid_argument";
    case Errc::corrupt: return "corrupt";
  }
  return "unknown";
}

std::string Status::to_string() const {
  if (is_ok()) return "ok";
  return std::string(errc_name(code_)) + ": " + message_;
}

}  // namespace ringcache
