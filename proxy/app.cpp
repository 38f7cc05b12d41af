#include "proxy/app.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/system/system_error.hpp>

#include <cstdio>
#include <fstream>
#include <map>
#include <set>

#include "proxy/access_log.hpp"
#include "proxy/access_log_flush.hpp"
#include "proxy/admin_handler.hpp"
#include "proxy/admin_status.hpp"
#include "proxy/answer_cache.hpp"
#include "proxy/exit_codes.hpp"
#include "proxy/http_server.hpp"
#include "proxy/metrics.hpp"
#include "proxy/pacing_backend.hpp"
#include "proxy/pipeline.hpp"
#include "proxy/pipeline_steps.hpp"
#include "proxy/rate_gate.hpp"
#include "proxy/redis_pacing_backend.hpp"
#include "proxy/schema_types.hpp"
#include "proxy/status_feed.hpp"
#include "proxy/http_tls.hpp"
#include "proxy/token_fetcher.hpp"
#include "proxy/usage_report.hpp"
#include "proxy/usage_sync.hpp"
#include "proxy/v1_answers.hpp"

namespace pcbridge::proxy {

namespace {

using steady = std::chrono::steady_clock;
constexpr std::chrono::seconds token_check_interval{10};

void write_port_file(const std::string& path, std::uint16_t port) {
  if (path.empty()) return;
  const std::string tmp = path + ".tmp";
  std::ofstream(tmp) << port << "\n";
  std::rename(tmp.c_str(), path.c_str());
}

server_options listener_options(const config::listen_config& l) {
  server_options o;
  o.address = l.address;
  o.port = l.port;
  o.body_limit = l.max_body_bytes;
  o.header_limit = l.max_header_bytes;
  o.header_timeout = std::chrono::milliseconds(l.header_timeout_ms);
  o.idle_timeout = std::chrono::milliseconds(l.idle_timeout_ms);
  o.max_connections = l.max_connections;
  o.max_buffered_body_bytes = l.max_buffered_body_bytes;
  return o;
}

pacing_settings pacing_of(const config::upstream_config& u) {
  pacing_settings p;
  p.operations_per_window = u.operations_per_minute;
  p.window = std::chrono::milliseconds(u.rate_window_ms);
  p.burst = u.burst;
  return p;
}

// Distinct V2 credentials of the configured clients: readiness needs a token for each.
std::vector<token_credentials> configured_credentials(const config::config& cfg) {
  std::set<std::pair<std::string, std::string>> seen;
  std::vector<token_credentials> out;
  for (const auto& c : cfg.clients)
    if (seen.emplace(c.client_id, c.client_secret).second) out.push_back({c.client_id, c.client_secret});
  return out;
}

// Settings a reload cannot change in a running process (they shape listeners, sockets or
// shared state); named in a warning so the operator knows a restart is needed.
std::vector<std::string> needs_restart(const config::config& a, const config::config& b) {
  std::vector<std::string> out;
  if (a.listen.address != b.listen.address || a.listen.port != b.listen.port) out.push_back("listen.address/port");
  if (a.listen.tls.has_value() != b.listen.tls.has_value()) out.push_back("listen.tls (on/off)");
  if (a.listen.max_body_bytes != b.listen.max_body_bytes || a.listen.max_header_bytes != b.listen.max_header_bytes ||
      a.listen.max_connections != b.listen.max_connections || a.listen.header_timeout_ms != b.listen.header_timeout_ms ||
      a.listen.idle_timeout_ms != b.listen.idle_timeout_ms ||
      a.listen.max_buffered_body_bytes != b.listen.max_buffered_body_bytes)
    out.push_back("listen limits");
  if (a.admin.has_value() != b.admin.has_value() ||
      (a.admin && b.admin && (a.admin->address != b.admin->address || a.admin->port != b.admin->port)))
    out.push_back("admin");
  if (a.upstream.ca_file != b.upstream.ca_file || a.upstream.max_response_bytes != b.upstream.max_response_bytes)
    out.push_back("upstream.ca_file/max_response_bytes");
  const auto pa = pacing_of(a.upstream), pb = pacing_of(b.upstream);
  if (pa.operations_per_window != pb.operations_per_window || pa.window != pb.window || pa.burst != pb.burst ||
      a.upstream.max_queue != b.upstream.max_queue || a.upstream.max_wait_ms != b.upstream.max_wait_ms)
    out.push_back("upstream quota settings");
  if (a.rate_limit.backend != b.rate_limit.backend || a.rate_limit.redis_url != b.rate_limit.redis_url)
    out.push_back("rate_limit");
  return out;
}

class gateway_app {
 public:
  gateway_app(const app_options& options, std::shared_ptr<const config::config> cfg)
      : options_(options),
        cfg_(std::move(cfg)),
        log_(cfg_->log),
        upstream_(io_.get_executor(), cfg_->upstream.ca_file, cfg_->upstream.max_response_bytes),
        tokens_(
            io_.get_executor(), [this](const token_credentials& c) { return fetch_token(c); },
            [] { return token_clock::now(); }, std::chrono::seconds(cfg_->upstream.token_refresh_margin_s)),
        answers_(io_.get_executor(), [] { return token_clock::now(); }),
        signals_(io_, SIGINT, SIGTERM, SIGHUP) {
    tokens_.on_fetch([this](bool ok) { stats_.count_token_fetch(ok); });
    stats_.set_token_age_source([this] {
      std::map<std::string, double> ages;  // a client id shared by several entries is one series
      for (const auto& creds : configured_credentials(*cfg_))
        if (auto age = tokens_.token_age(creds)) ages.emplace(creds.client_id, static_cast<double>(age->count()));
      return std::vector<std::pair<std::string, double>>(ages.begin(), ages.end());
    });
    tokens_.on_failure([this](const std::string& client_id, const std::string& why) {
      log_.warn("token fetch failed for client id " + client_id + ": " + why);  // `why` is scrubbed
    });
    if (cfg_->rate_limit.backend == config::rate_limit_config::backend_kind::redis) {
      auto redis = std::make_unique<redis_pacing_backend>(io_.get_executor(), cfg_->rate_limit.redis_url,
                                                          pacing_of(cfg_->upstream), std::chrono::milliseconds(500));
      redis->set_warning_sink([this](std::string_view m) { log_.warn(m); });
      pacing_ = std::move(redis);
    } else {
      pacing_ = std::make_unique<memory_pacing_backend>(pacing_of(cfg_->upstream));
    }
    gate_ = std::make_unique<rate_gate>(
        io_.get_executor(),
        rate_gate_options{pacing_of(cfg_->upstream), cfg_->upstream.max_queue,
                          std::chrono::milliseconds(cfg_->upstream.max_wait_ms)},
        *pacing_);
    gate_->on_queue_change([this](const std::string& key, std::size_t n) {
      stats_.set_queue_length(key, n);
      feed_.quota.set_queue_length(key, n, std::chrono::system_clock::now());
    });
    pipeline_ = std::make_unique<pipeline>(make_gateway(cfg_));
    usage_sync_ = std::make_unique<usage_sync>(
        io_.get_executor(), usage_, usage_settings(*cfg_), [this](std::string_view m) { log_.info(m); },
        [this](std::string_view m) { log_.warn(m); });
  }

  int run() {
    server_options client_options = listener_options(cfg_->listen);
    // cfg_ read at each refusal (one io thread): a reload's compat error_body applies here too.
    client_options.refusal = [this](http::status status, const std::string& message, const std::string& client) {
      // Answered before routing (400/413/431/503): counted and logged like any request.
      access_record rec;
      rec.request_id = new_request_id();
      rec.http_method = rec.path = rec.v1_method = rec.user = "-";
      rec.client = client;
      rec.status = static_cast<int>(status);
      rec.note = "refused: " + message;
      stats_.count_refused(rec.status);
      log_.access(rec);
      return v1_error(rec.status, message, rec.request_id, cfg_->compat.error_body);
    };
    client_options.check_head = [this](const request_head& head) { return pipeline_->check_head(head); };
    server_ = std::make_unique<http_server>(
        io_, client_options,
        [this](string_request& req, connection_events& events) { return pipeline_->handle(req, events); },
        pipeline_->hooks());
    // A listener that cannot bind is named by its address; the system's reason alone, not
    // Boost's source location ("bind: Address already in use [system:98 at ...]").
    const auto listen_on = [](const char* what, const std::string& address, int port, auto&& start) {
      try {
        start();
        return true;
      } catch (const boost::system::system_error& e) {
        std::fprintf(stderr, "pcbridge: cannot listen on %s:%d (%s): %s\n", address.c_str(), port, what,
                     e.code().message().c_str());
        return false;
      }
    };
    try {
      if (cfg_->listen.tls) server_->use_tls(make_server_tls(cfg_->listen.tls->cert_file, cfg_->listen.tls->key_file));
      if (!listen_on("listen", cfg_->listen.address, cfg_->listen.port, [&] { server_->start(); })) return exit_failure;
      if (cfg_->admin && !listen_on("admin", cfg_->admin->address, cfg_->admin->port, [&] { start_admin(); }))
        return exit_failure;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "pcbridge: cannot start: %s\n", e.what());
      return 1;
    }
    const auto port = server_->bound_port();
    if (!cfg_->listen.tls && cfg_->listen.allow_plaintext && cfg_->listen.address.rfind("127.", 0) != 0 &&
        cfg_->listen.address != "::1")
      log_.warn("listen.allow_plaintext: Basic credentials reach this listener unencrypted; use it only behind a "
                "TLS-terminating proxy");
    log_.info(std::string("pcbridge listening on ") + (cfg_->listen.tls ? "https" : "http") + "://" +
              cfg_->listen.address + ":" + std::to_string(port) + " -> " + cfg_->upstream.base_url + " (" +
              std::to_string(cfg_->clients.size()) + " clients, quota backend " + std::string(pacing_->name()) + ")");
    write_port_file(options_.port_file, port);

    wait_for_signal();
    asio::co_spawn(io_, keep_tokens_fresh(), asio::detached);
    asio::co_spawn(io_, keep_usage_stored(), asio::detached);
    io_.run();
    log_.flush();
    return exit_code_;
  }

 private:
  gateway make_gateway(std::shared_ptr<const config::config> cfg) {
    gateway g;
    g.cfg = cfg;
    g.api = *parse_endpoint(cfg->upstream.base_url);  // validated by the config loader
    g.upstream = &upstream_;
    g.tokens = &tokens_;
    g.gate = gate_.get();
    g.cache = &answers_;
    g.log = &log_;
    g.stats = &stats_;
    g.usage = &usage_;
    g.parsed = &parsed_;
    g.feed = &feed_;
    return g;
  }

  static usage_sync_settings usage_settings(const config::config& cfg) {
    usage_sync_settings s;
    s.interval = std::chrono::seconds(cfg.usage.flush_interval_s);
    if (cfg.rate_limit.backend == config::rate_limit_config::backend_kind::redis) {
      s.store = usage_sync_settings::kind::redis;
      s.redis_url = cfg.rate_limit.redis_url;
    } else if (!cfg.usage.state_file.empty()) {
      s.store = usage_sync_settings::kind::file;
      s.state_file = cfg.usage.state_file;
    }
    return s;
  }

  awaitable<void> keep_usage_stored() {
    log_.info("usage report store: " + std::string(usage_sync_->store_name()));
    co_await usage_sync_->load();
    co_await usage_sync_->run();
  }

  awaitable<fetched_token> fetch_token(const token_credentials& creds) {
    const auto cfg = cfg_;  // the token URL of the config this fetch started with
    auto token_endpoint = parse_endpoint(cfg->upstream.token_url);
    token_fetcher fetcher(upstream_, *token_endpoint, token_endpoint->path_prefix,
                          std::chrono::milliseconds(cfg->upstream.timeout_ms));
    co_return co_await fetcher.fetch(creds);
  }

  void start_admin() {
    server_options o;
    o.address = cfg_->admin->address;
    o.port = cfg_->admin->port;
    admin_access_ = admin_access{cfg_->admin->token_sha256, is_loopback_address(cfg_->admin->address)};
    admin_ = std::make_unique<http_server>(io_, o, [this](string_request& req) {
      return handle_admin(req, admin_sources{stats_, usage_, [this] { return readiness_now(); }, admin_access_,
                                             status_source(cfg_, usage_, tokens_, feed_)});
    });
    admin_->start();
    write_port_file(options_.admin_port_file, admin_->bound_port());
  }

  readiness readiness_now() const {
    if (draining_) return {false, "draining"};
    for (const auto& creds : configured_credentials(*cfg_)) {
      if (tokens_.holds_valid_token(creds)) continue;
      const std::string why = tokens_.last_error(creds);
      return {false, "no valid token yet for client id " + creds.client_id + (why.empty() ? "" : " (" + why + ")")};
    }
    return {true, {}};
  }

  // Fetches a token for every configured client at start and keeps them fresh, so the
  // first request does not wait and /readyz tells whether upstream auth works.
  awaitable<void> keep_tokens_fresh() {
    asio::steady_timer timer(io_);
    while (!draining_) {
      co_await fetch_missing_tokens();
      timer.expires_after(token_check_interval);
      co_await timer.async_wait(use_tuple);
    }
  }

  awaitable<void> fetch_missing_tokens() {
    const auto cfg = cfg_;
    for (const auto& creds : configured_credentials(*cfg)) co_await tokens_.get(creds);
  }

  void wait_for_signal() {
    signals_.async_wait([this](const boost::system::error_code& ec, int signal) {
      if (ec) return;
      if (signal == SIGHUP) {
        reload();
        wait_for_signal();
        return;
      }
      asio::co_spawn(io_, drain(), asio::detached);
    });
  }

  void reload() {
    auto loaded = config::load_config_file(options_.config_path);
    if (!loaded.value) {
      stats_.count_config_reload(false);
      log_.error("config reload failed; keeping the running configuration:");
      for (const auto& line_error : loaded.errors) {
        config::load_result one{nullptr, {line_error}, {}};
        std::string text = config::format_errors(one.errors, options_.config_path);
        if (!text.empty() && text.back() == '\n') text.pop_back();
        log_.error(text);
      }
      return;
    }
    const auto& next = loaded.value;
    for (const auto& what : needs_restart(*cfg_, *next))
      log_.warn("config reload: " + what + " changed; that takes effect only after a restart");
    if (next->listen.tls && cfg_->listen.tls) {
      try {
        server_->use_tls(make_server_tls(next->listen.tls->cert_file, next->listen.tls->key_file));  // certificate rotation
      } catch (const std::exception& e) {
        stats_.count_config_reload(false);
        log_.error(std::string("config reload failed; keeping the running configuration: ") + e.what());
        return;
      }
    }
    cfg_ = next;
    if (cfg_->admin) admin_access_.token_sha256 = cfg_->admin->token_sha256;  // token rotation
    log_.reconfigure(cfg_->log);
    pipeline_->reconfigure(make_gateway(cfg_));
    asio::co_spawn(io_, fetch_missing_tokens(), asio::detached);  // clients the reload added
    stats_.count_config_reload(true);
    log_.info("config reloaded from " + options_.config_path + " (" + std::to_string(cfg_->clients.size()) +
              " clients)");
  }

  // Stop accepting, report not ready, let running and queued requests finish (bounded by
  // drain_timeout_ms), then stop the loop.
  awaitable<void> drain() {
    if (draining_) co_return;
    draining_ = true;
    stats_.set_draining(true);
    log_.info("pcbridge draining: " + std::to_string(server_->active_requests()) + " requests in flight");
    server_->drain();
    const auto deadline = steady::now() + std::chrono::milliseconds(cfg_->drain_timeout_ms);
    asio::steady_timer timer(io_);
    // Until every request read has been answered to its last byte, not just handled.
    while (server_->active_requests() > 0 && steady::now() < deadline) {
      timer.expires_after(std::chrono::milliseconds(20));
      co_await timer.async_wait(use_tuple);
    }
    const auto left = server_->active_requests();
    if (left > 0) log_.warn("drain timeout: " + std::to_string(left) + " requests still running are cut off");
    log_.info("pcbridge stopped");
    usage_sync_->stop();
    co_await usage_sync_->flush();  // the counts since the last periodic flush
    if (admin_) admin_->stop();
    io_.stop();
    exit_code_ = 0;
  }

  app_options options_;
  asio::io_context io_{1};
  std::shared_ptr<const config::config> cfg_;
  logger log_;
  access_log_flusher log_flush_{io_.get_executor(), log_};  // access lines in batches
  metrics stats_;
  usage_report usage_;
  upstream_client upstream_;
  token_cache tokens_;
  std::unique_ptr<pacing_backend> pacing_;
  std::unique_ptr<rate_gate> gate_;
  answer_cache answers_;
  parsed_schemas parsed_;
  status_feed feed_;
  std::unique_ptr<pipeline> pipeline_;
  std::unique_ptr<usage_sync> usage_sync_;
  std::unique_ptr<http_server> server_;
  std::unique_ptr<http_server> admin_;
  admin_access admin_access_;
  asio::signal_set signals_;
  bool draining_ = false;
  int exit_code_ = 0;
};

}  // namespace

int run_gateway(const app_options& options, std::shared_ptr<const config::config> cfg) {
  try {
    gateway_app app(options, std::move(cfg));
    return app.run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pcbridge: cannot start: %s\n", e.what());
    return exit_bad_config;
  }
}

}  // namespace pcbridge::proxy
