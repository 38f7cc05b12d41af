#include "proxy/access_log_flush.hpp"

#include <chrono>

namespace pcbridge::proxy {

access_log_flusher::access_log_flusher(asio::any_io_executor executor, logger& log)
    : log_(log), timer_(std::move(executor)) {
  log_.on_pending([this] { arm(); });
}

access_log_flusher::~access_log_flusher() {
  log_.on_pending({});
  log_.flush();
}

void access_log_flusher::arm() {
  if (armed_) return;
  armed_ = true;
  timer_.expires_after(std::chrono::milliseconds(log_.settings().flush_interval_ms));
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec == asio::error::operation_aborted) return;  // destroyed: the destructor flushes
    armed_ = false;
    log_.flush();
  });
}

}  // namespace pcbridge::proxy
