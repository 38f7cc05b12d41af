#pragma once
// Writes a logger's queued access lines on a short timer (access_log.hpp): the first line to
// enter an empty buffer arms the timer for the logger's log.flush_interval_ms (50 by default,
// read at each arming, so a reload applies), and when it fires one write(2) carries every line
// queued meanwhile. A busy gateway thus makes at most one log write per interval (or per
// logger::flush_bytes), a quiet one shows each line within the interval. The owner still calls
// logger::flush() when its loop stops (after the SIGTERM drain), so no line is lost there.
// Runs on the proxy's one io_context thread.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "proxy/access_log.hpp"
#include "proxy/coro.hpp"

namespace pcbridge::proxy {

class access_log_flusher {
 public:
  access_log_flusher(asio::any_io_executor executor, logger& log);
  // Unhooks from the logger and writes what is queued.
  ~access_log_flusher();
  access_log_flusher(const access_log_flusher&) = delete;
  access_log_flusher& operator=(const access_log_flusher&) = delete;

 private:
  void arm();

  logger& log_;
  asio::steady_timer timer_;
  bool armed_ = false;
};

}  // namespace pcbridge::proxy
