#include "proxy/upstream_framing.hpp"

#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>

namespace pcbridge::proxy {

answer_framing framing_failure(const boost::beast::error_code& ec, const char* reading) {
  answer_framing out;
  if (ec == boost::beast::error::timeout) {
    out.failure = upstream_failure::timeout;
  } else if (ec == http::error::body_limit || ec == http::error::header_limit) {
    out.failure = upstream_failure::too_large;
  } else {
    out.failure = upstream_failure::broken;
  }
  out.detail = std::string(reading) + ": " + ec.message();
  return out;
}

bool reusable_after(int status, bool parser_keep_alive, bool parser_need_eof, std::size_t left_in_buffer) {
  // Beast's keep_alive() already says false for close-delimited bodies; need_eof is
  // checked on its own so the rule does not hang on that detail.
  return status >= 200 && status < 600 && parser_keep_alive && !parser_need_eof && left_in_buffer == 0;
}

}  // namespace pcbridge::proxy
