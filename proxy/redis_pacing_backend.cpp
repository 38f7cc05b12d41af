#include "proxy/redis_pacing_backend.hpp"

#include <openssl/evp.h>

#include "config/config.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

namespace pcbridge::proxy {

using clock_type = std::chrono::steady_clock;

namespace {

// The rule of pacing.hpp on Redis server time, in microseconds. One script for both
// operations so the state is only ever read and written under Redis' script atomicity.
// Numbers are written with '%.0f': Lua 5.1 turns numbers into strings with 14 digits,
// too few for a time in microseconds.
const std::string lua_script = R"lua(-- pcbridge pacing (proxy/pacing.hpp) on Redis server time, microseconds.
-- KEYS[1]: hash {tat = GCRA theoretical arrival time, pause = no start before}.
-- KEYS[2]: list of the most recent start times (at most `limit`, oldest first).
-- ARGV: mode ('start' | 'pause'), limit, interval, burst tolerance, window, margin, pause.
-- 'start': 0 when the operation may start now (recorded), else the microseconds to wait.
-- 'pause': 0; no start before now + pause (an earlier pause never shortens a later one).
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local limit = tonumber(ARGV[2])
local interval = tonumber(ARGV[3])
local burst_tolerance = tonumber(ARGV[4])
local window = tonumber(ARGV[5])
local margin = tonumber(ARGV[6])
local tat = tonumber(redis.call('HGET', KEYS[1], 'tat') or 0)
local paused = tonumber(redis.call('HGET', KEYS[1], 'pause') or 0)
local function num(x) return string.format('%.0f', x) end
-- Idle keys vanish: state lives two windows plus the margin, longer while a pause runs.
local keep_ms = math.ceil((2 * window + margin) / 1000)
local function expire_state()
  redis.call('PEXPIRE', KEYS[1], num(keep_ms + math.max(0, math.ceil((paused - now) / 1000))))
end
if ARGV[1] == 'pause' then
  local till = now + tonumber(ARGV[7])
  if till > paused then
    paused = till
    redis.call('HSET', KEYS[1], 'pause', num(paused))
    expire_state()
  end
  return 0
end
-- Steady rate with burst tolerance, and the pause.
local earliest = math.max(now, paused, tat - burst_tolerance)
-- Hard window: the start `limit` places back must have left the window (plus margin).
local n = redis.call('LLEN', KEYS[2])
if n >= limit then
  earliest = math.max(earliest, tonumber(redis.call('LINDEX', KEYS[2], n - limit)) + window + margin)
end
if earliest > now then return earliest - now end
redis.call('HSET', KEYS[1], 'tat', num(math.max(tat, now) + interval))
redis.call('RPUSH', KEYS[2], num(now))
redis.call('LTRIM', KEYS[2], -limit, -1)
expire_state()
redis.call('PEXPIRE', KEYS[2], num(keep_ms))
return 0
)lua";

std::string hex_of(const unsigned char* out, unsigned int len) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    hex.push_back(digits[out[i] >> 4]);
    hex.push_back(digits[out[i] & 0xf]);
  }
  return hex;
}

std::string hex_digest(const EVP_MD* md, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), out, &len, md, nullptr);
  return hex_of(out, len);
}

redis_url parse_or_throw(const std::string& url) {
  std::string error;
  auto parsed = redis_url::parse(url, error);
  if (!parsed) throw std::invalid_argument("pacing Redis URL: " + error);
  return *parsed;
}

}  // namespace

redis_pacing_backend::redis_pacing_backend(asio::any_io_executor executor, std::string redis_url,
                                           pacing_settings settings, std::chrono::milliseconds command_timeout)
    : client_(std::move(executor), parse_or_throw(redis_url), command_timeout),
      settings_(settings),
      fallback_(settings) {}

std::string redis_pacing_backend::redis_key_for(std::string_view api_key) {
  const auto digest = config::sha256(api_key);  // per call: config::sha256 skips OpenSSL's per-call lookup
  return "pcbridge:pace:{" + hex_of(digest.data(), static_cast<unsigned int>(digest.size())) + "}";
}

const std::string& redis_pacing_backend::script() { return lua_script; }

const std::string& redis_pacing_backend::script_sha1() {
  static const std::string sha1 = hex_digest(EVP_sha1(), lua_script);
  return sha1;
}

void redis_pacing_backend::redis_failed(const redis_reply& reply, std::string_view what) {
  retry_at_ = clock_type::now() + retry_backoff;
  if (!healthy_) return;  // reported once per outage
  healthy_ = false;
  if (warn_) {
    std::string message = "pacing: Redis " + client_.url().redacted() + " failed (";
    message += what;
    if (!reply.detail.empty()) message += ": " + reply.detail;
    message += "); pacing this instance alone, retrying every " + std::to_string(retry_backoff.count()) + " ms";
    warn_(message);
  }
}

awaitable<std::optional<long long>> redis_pacing_backend::run_script(const std::string& api_key, std::string_view mode,
                                                                     std::chrono::microseconds pause_for) {
  if (clock_type::now() < retry_at_) co_return std::nullopt;
  using std::chrono::microseconds;
  const long long limit = std::max(1, settings_.operations_per_window);
  const long long window = std::chrono::duration_cast<microseconds>(settings_.window).count();
  const long long interval = window / limit;
  const long long burst_tolerance = interval * (std::clamp<long long>(settings_.burst, 1, limit) - 1);
  const long long margin = std::chrono::duration_cast<microseconds>(settings_.margin).count();
  const std::string base = redis_key_for(api_key);

  std::vector<std::string> args{"EVALSHA",
                                script_sha1(),
                                "2",
                                base,
                                base + ":starts",
                                std::string(mode),
                                std::to_string(limit),
                                std::to_string(interval),
                                std::to_string(burst_tolerance),
                                std::to_string(window),
                                std::to_string(margin),
                                std::to_string(std::max<long long>(0, pause_for.count()))};
  redis_reply reply = co_await client_.command(args);
  if (reply.failure == redis_failure::none && reply.value.is_error() && reply.value.text.starts_with("NOSCRIPT")) {
    // First use on this server (or after SCRIPT FLUSH / a restart): EVAL also caches it.
    args[0] = "EVAL";
    args[1] = lua_script;
    reply = co_await client_.command(std::move(args));
  }
  if (reply.failure != redis_failure::none) {
    redis_failed(reply, to_string(reply.failure));
    co_return std::nullopt;
  }
  if (reply.value.is_error()) {
    redis_failed(reply, "error reply: " + reply.value.text);
    co_return std::nullopt;
  }
  if (reply.value.type != redis_value::kind::integer) {
    redis_failed(reply, "unexpected reply type");
    co_return std::nullopt;
  }
  if (!healthy_) {
    healthy_ = true;
    if (warn_) warn_("pacing: Redis " + client_.url().redacted() + " answers again; pacing is shared again");
  }
  co_return reply.value.integer;
}

awaitable<std::chrono::milliseconds> redis_pacing_backend::try_start(const std::string& api_key) {
  const std::optional<long long> wait_us = co_await run_script(api_key, "start", std::chrono::microseconds(0));
  if (wait_us) {
    // Round up: waking a little late is harmless, waking early only asks again.
    co_return std::chrono::ceil<std::chrono::milliseconds>(std::chrono::microseconds(std::max(0LL, *wait_us)));
  }
  ++fallbacks_;
  const std::chrono::milliseconds local = co_await fallback_.try_start(api_key);
  co_return local;
}

awaitable<void> redis_pacing_backend::pause(const std::string& api_key, std::chrono::milliseconds duration) {
  co_await fallback_.pause(api_key, duration);
  const std::optional<long long> done = co_await run_script(api_key, "pause", duration);
  if (!done) ++fallbacks_;
}

}  // namespace pcbridge::proxy
