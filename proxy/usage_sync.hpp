#pragma once
// Keeps the usage report (usage_report.hpp) in its store (usage_store.hpp): loads it at
// start, flushes what was recorded every `interval` and once more at shutdown. With Redis
// each flush also reads back the shared counts, so /admin/usage shows every replica's calls
// (as of the last flush, plus this process's since). A failed flush keeps its counts for
// the next one and is logged once per failure streak; nothing here ever stops the proxy.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "proxy/coro.hpp"
#include "proxy/usage_report.hpp"
#include "proxy/usage_store.hpp"

namespace pcbridge::proxy {

struct usage_sync_settings {
  enum class kind { memory, file, redis } store = kind::memory;
  std::string state_file;      // kind::file
  std::string redis_url;       // kind::redis (secret: never logged)
  std::chrono::milliseconds interval{10000};
};

class usage_sync {
 public:
  using log_sink = std::function<void(std::string_view)>;
  usage_sync(asio::any_io_executor executor, usage_report& report, usage_sync_settings settings, log_sink info,
             log_sink warn);

  std::string_view store_name() const;  // "memory", "file <path>", "redis"
  awaitable<void> load();               // the stored content into the report (start-up)
  awaitable<void> run();                // flushes every interval until stop()
  awaitable<void> flush();              // one flush (waits for one already running)
  void stop();

 private:
  awaitable<void> flush_once();
  void report_result(const std::string& problem);

  asio::any_io_executor executor_;
  usage_report& report_;
  usage_sync_settings settings_;
  log_sink info_, warn_;
  std::unique_ptr<redis_usage_store> redis_;
  asio::steady_timer timer_;
  std::string name_;
  bool stopped_ = false;
  bool in_flight_ = false;
  bool failing_ = false;
};

}  // namespace pcbridge::proxy
