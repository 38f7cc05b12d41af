#include "proxy/usage_cli.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "config/config.hpp"
#include "proxy/exit_codes.hpp"
#include "proxy/usage_store.hpp"

namespace pcbridge::proxy {

namespace {

struct method_row {
  std::set<std::string> clients;
  std::uint64_t calls = 0;
  std::chrono::sys_seconds last_seen{};
  bool seen = false;
};

std::string pad_left(const std::string& s, std::size_t width) {
  return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}
std::string pad_right(const std::string& s, std::size_t width) {
  return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

constexpr const char* usage_text = "usage: pcbridge usage --config FILE [--since DAYS]\n";

}  // namespace

std::string format_usage_table(const usage_data& data, std::optional<int> since_days, std::int32_t today) {
  std::map<std::string, method_row> rows;
  for (const auto& [key, u] : data.pairs) {
    method_row& row = rows[key.method];
    if (!row.seen || u.last_seen > row.last_seen) row.last_seen = u.last_seen;
    row.seen = true;
    std::uint64_t calls = u.calls;
    if (since_days) {
      calls = 0;
      for (const auto& [day, n] : u.daily)
        if (day > today - *since_days && day <= today) calls += n;
    }
    row.calls += calls;
    if (calls > 0) row.clients.insert(key.user);
  }
  std::size_t width = 6;
  for (const auto& [method, row] : rows) width = std::max(width, method.size());
  std::string out = pad_right("METHOD", width) + "  CLIENTS     CALLS  LAST SEEN\n";
  for (const auto& [method, row] : rows) {
    out += pad_right(method, width) + "  " + pad_left(std::to_string(row.clients.size()), 7) + "  " +
           pad_left(std::to_string(row.calls), 8) + "  " + iso_time(row.last_seen) + "\n";
  }
  return out;
}

int run_usage_cli(const std::vector<std::string_view>& args, std::ostream& out, std::ostream& err) {
  std::string config_path;
  std::optional<int> since;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const auto a = args[i];
    const bool has_value = i + 1 < args.size();
    if (a == "--config" && has_value) {
      config_path = std::string(args[++i]);
    } else if (a == "--since" && has_value) {
      const auto v = args[++i];
      int n = 0;
      auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
      if (ec != std::errc{} || end != v.data() + v.size() || n < 1 || n > usage_retention_days) {
        err << "pcbridge usage: --since takes a number of days from 1 to " << usage_retention_days << "\n";
        return exit_usage;
      }
      since = n;
    } else if (a == "--help" || a == "-h") {
      out << usage_text;
      return exit_ok;
    } else {
      err << "pcbridge usage: unknown argument '" << a << "'\n" << usage_text;
      return exit_usage;
    }
  }
  if (config_path.empty()) {
    err << usage_text;
    return exit_usage;
  }
  const auto loaded = config::load_config_file(config_path);
  if (!loaded.value) {
    err << config::format_errors(loaded.errors, config_path);
    return exit_bad_config;
  }
  const config::config& cfg = *loaded.value;
  const std::int32_t today = day_number(std::chrono::system_clock::now());
  usage_data data;
  std::string source;
  if (cfg.rate_limit.backend == config::rate_limit_config::backend_kind::redis) {
    std::string error;
    auto url = redis_url::parse(cfg.rate_limit.redis_url, error);
    if (!url) {
      err << "pcbridge usage: " << error << "\n";
      return exit_failure;
    }
    source = "redis " + url->redacted();
    asio::io_context io;
    redis_usage_store store(io.get_executor(), *url, std::chrono::milliseconds(5000));
    std::optional<usage_data> got;
    asio::co_spawn(io, [&]() -> awaitable<void> { got = co_await store.pull(today, error); }, asio::detached);
    io.run();
    if (!got) {
      err << "pcbridge usage: cannot read the usage counts from " << source << ": " << error << "\n";
      return exit_failure;
    }
    data = std::move(*got);
  } else if (!cfg.usage.state_file.empty()) {
    source = "state file " + cfg.usage.state_file;
    usage_file_load file = load_usage_file(cfg.usage.state_file, false);
    if (!file.problem.empty()) {
      err << "pcbridge usage: " << file.problem << "\n";
      return exit_failure;
    }
    data = std::move(file.data);
  } else {
    err << "pcbridge usage: " << config_path
        << " keeps the usage report in memory only (set usage.state_file, or rate_limit.backend: redis)\n";
    return exit_failure;
  }
  out << "V1 usage from " << source << ", "
      << (since ? "last " + std::to_string(*since) + " days" : std::string("all time")) << " (today " << iso_date(today)
      << " UTC)\n";
  out << format_usage_table(data, since, today);
  return exit_ok;
}

}  // namespace pcbridge::proxy
