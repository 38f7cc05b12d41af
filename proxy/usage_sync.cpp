#include "proxy/usage_sync.hpp"

namespace pcbridge::proxy {

namespace {

std::int32_t today() { return day_number(std::chrono::system_clock::now()); }

}  // namespace

usage_sync::usage_sync(asio::any_io_executor executor, usage_report& report, usage_sync_settings settings,
                       log_sink info, log_sink warn)
    : executor_(executor),
      report_(report),
      settings_(std::move(settings)),
      info_(std::move(info)),
      warn_(std::move(warn)),
      timer_(executor) {
  if (settings_.store == usage_sync_settings::kind::redis) {
    std::string error;
    auto url = redis_url::parse(settings_.redis_url, error);  // validated by the config loader
    if (url) {
      redis_ = std::make_unique<redis_usage_store>(executor_, *url, std::chrono::milliseconds(2000));
    } else {
      warn_("usage: cannot use the Redis URL (" + error + "); the usage report stays in memory");
      settings_.store = usage_sync_settings::kind::memory;
    }
  }
  switch (settings_.store) {
    case usage_sync_settings::kind::memory: name_ = "memory"; break;
    case usage_sync_settings::kind::file: name_ = "file " + settings_.state_file; break;
    case usage_sync_settings::kind::redis: name_ = "redis"; break;
  }
}

std::string_view usage_sync::store_name() const { return name_; }

awaitable<void> usage_sync::load() {
  if (settings_.store == usage_sync_settings::kind::file) {
    usage_file_load loaded = load_usage_file(settings_.state_file);
    if (!loaded.problem.empty()) warn_("usage: " + loaded.problem);
    loaded.data.prune(today());
    info_("usage: " + std::to_string(loaded.data.pairs.size()) + " client x method pairs loaded from " +
          settings_.state_file);
    report_.set_stored(std::move(loaded.data));
  } else if (settings_.store == usage_sync_settings::kind::redis) {
    std::string error;
    auto shared = co_await redis_->pull(today(), error);
    if (shared) {
      report_.set_stored(std::move(*shared));
    } else {
      report_result("cannot read the shared usage counts yet (" + error + ")");
    }
  }
  co_return;
}

awaitable<void> usage_sync::run() {
  while (!stopped_) {
    timer_.expires_after(settings_.interval);
    co_await timer_.async_wait(use_tuple);
    if (stopped_) break;
    co_await flush();
  }
}

void usage_sync::stop() {
  stopped_ = true;
  timer_.cancel();
}

awaitable<void> usage_sync::flush() {
  // A flush already running (the periodic one, at shutdown): wait for it, bounded.
  asio::steady_timer wait(executor_);
  for (int i = 0; in_flight_ && i < 300; ++i) {
    wait.expires_after(std::chrono::milliseconds(10));
    co_await wait.async_wait(use_tuple);
  }
  if (in_flight_) co_return;
  in_flight_ = true;
  co_await flush_once();
  in_flight_ = false;
}

awaitable<void> usage_sync::flush_once() {
  switch (settings_.store) {
    case usage_sync_settings::kind::memory:
      co_return;
    case usage_sync_settings::kind::file: {
      usage_data all = report_.view();
      all.prune(today());
      const std::string problem = save_usage_file(settings_.state_file, all);
      if (problem.empty()) {
        report_.take_pending();
        report_.set_stored(std::move(all));
      }
      report_result(problem);
      co_return;
    }
    case usage_sync_settings::kind::redis: {
      usage_data taken = report_.take_pending();
      std::string problem = co_await redis_->push(taken);
      if (!problem.empty()) {
        report_.restore_pending(taken);
        report_result(problem);
        co_return;
      }
      // Pushed: until the read-back, show the pushed counts as stored.
      usage_data stored = report_.stored();
      stored.merge(taken);
      report_.set_stored(std::move(stored));
      std::string error;
      auto shared = co_await redis_->pull(today(), error);
      if (shared) report_.set_stored(std::move(*shared));
      report_result(shared ? std::string() : error);
      co_return;
    }
  }
}

void usage_sync::report_result(const std::string& problem) {
  if (problem.empty()) {
    if (failing_) info_("usage: the " + name_ + " store works again");
    failing_ = false;
    return;
  }
  if (!failing_) warn_("usage: " + problem + "; counts are kept in memory and retried");
  failing_ = true;
}

}  // namespace pcbridge::proxy
