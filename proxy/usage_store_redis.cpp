#include <charconv>

#include "proxy/usage_store.hpp"

namespace pcbridge::proxy {

namespace {

// ARGV: day-key prefix, day TTL, total TTL, then per pair: method, user, calls, 4xx, 5xx,
// first, last (epoch seconds), n, and n (date, calls) pairs.
constexpr std::string_view flush_script = R"lua(
local total = KEYS[1]
local prefix = ARGV[1]
local day_ttl = tonumber(ARGV[2])
local total_ttl = tonumber(ARGV[3])
local touched = {}
local i = 4
while i <= #ARGV do
  local f = ARGV[i] .. ':' .. ARGV[i + 1]
  local calls, e4, e5 = tonumber(ARGV[i + 2]), tonumber(ARGV[i + 3]), tonumber(ARGV[i + 4])
  local first, last = tonumber(ARGV[i + 5]), tonumber(ARGV[i + 6])
  local n = tonumber(ARGV[i + 7])
  if calls > 0 then redis.call('HINCRBY', total, 'c:' .. f, calls) end
  if e4 > 0 then redis.call('HINCRBY', total, '4:' .. f, e4) end
  if e5 > 0 then redis.call('HINCRBY', total, '5:' .. f, e5) end
  local cur = tonumber(redis.call('HGET', total, 'f:' .. f))
  if (not cur) or first < cur then redis.call('HSET', total, 'f:' .. f, ARGV[i + 5]) end
  cur = tonumber(redis.call('HGET', total, 'l:' .. f))
  if (not cur) or last > cur then redis.call('HSET', total, 'l:' .. f, ARGV[i + 6]) end
  i = i + 8
  for j = 1, n do
    local key = prefix .. ARGV[i]
    redis.call('HINCRBY', key, f, tonumber(ARGV[i + 1]))
    touched[key] = true
    i = i + 2
  end
end
for key, _ in pairs(touched) do redis.call('EXPIRE', key, day_ttl) end
redis.call('EXPIRE', total, total_ttl)
return 1
)lua";

constexpr std::string_view read_script = R"lua(
local out = {}
for i, key in ipairs(KEYS) do out[i] = redis.call('HGETALL', key) end
return out
)lua";

constexpr long day_ttl_s = 91L * 86400;
constexpr long total_ttl_s = 400L * 86400;

std::string total_key() { return std::string(usage_key_prefix) + "total"; }
std::string day_prefix() { return std::string(usage_key_prefix) + "day:"; }

std::optional<std::uint64_t> to_u64(std::string_view s) {
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<long long> to_i64(std::string_view s) {
  long long v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// "<method>:<user>": the method has no ':'; the user is the rest.
std::optional<usage_key> split_pair(std::string_view field) {
  const auto colon = field.find(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  return usage_key{std::string(field.substr(colon + 1)), std::string(field.substr(0, colon))};
}

}  // namespace

std::vector<std::string> usage_flush_command(const usage_data& pending) {
  std::vector<std::string> args{"EVAL", std::string(flush_script), "1", total_key(), day_prefix(),
                                std::to_string(day_ttl_s), std::to_string(total_ttl_s)};
  for (const auto& [key, u] : pending.pairs) {
    args.insert(args.end(), {key.method, key.user, std::to_string(u.calls), std::to_string(u.errors_4xx),
                             std::to_string(u.errors_5xx), std::to_string(u.first_seen.time_since_epoch().count()),
                             std::to_string(u.last_seen.time_since_epoch().count()), std::to_string(u.daily.size())});
    for (const auto& [day, n] : u.daily) args.insert(args.end(), {iso_date(day), std::to_string(n)});
  }
  return args;
}

std::vector<std::string> usage_read_command(std::int32_t today) {
  std::vector<std::string> args{"EVAL", std::string(read_script), std::to_string(1 + usage_retention_days), total_key()};
  for (std::int32_t day = today - usage_retention_days + 1; day <= today; ++day) args.push_back(day_prefix() + iso_date(day));
  return args;
}

std::optional<usage_data> decode_usage_snapshot(const redis_value& reply, std::int32_t today, std::string& error) {
  using kind = redis_value::kind;
  if (reply.type != kind::array || reply.elements.size() != 1 + static_cast<std::size_t>(usage_retention_days)) {
    error = "unexpected reply to the usage read";
    return std::nullopt;
  }
  for (const auto& hash : reply.elements) {
    if (hash.type != kind::array || hash.elements.size() % 2 != 0) {
      error = "a usage hash that is not a field/value list";
      return std::nullopt;
    }
  }
  usage_data out;
  const auto& total = reply.elements[0].elements;
  for (std::size_t i = 0; i + 1 < total.size(); i += 2) {
    const std::string& field = total[i].text;
    const std::string& value = total[i + 1].text;
    if (field.size() < 3 || field[1] != ':') continue;  // not ours: ignored
    auto key = split_pair(std::string_view(field).substr(2));
    if (!key) continue;
    pair_usage& u = out.pairs[*key];
    if (field[0] == 'f' || field[0] == 'l') {
      auto t = to_i64(value);
      if (!t) continue;
      (field[0] == 'f' ? u.first_seen : u.last_seen) = std::chrono::sys_seconds{std::chrono::seconds{*t}};
      continue;
    }
    auto n = to_u64(value);
    if (!n) continue;
    if (field[0] == 'c') u.calls = *n;
    if (field[0] == '4') u.errors_4xx = *n;
    if (field[0] == '5') u.errors_5xx = *n;
  }
  for (std::size_t d = 1; d < reply.elements.size(); ++d) {
    const std::int32_t day = today - usage_retention_days + static_cast<std::int32_t>(d);
    const auto& fields = reply.elements[d].elements;
    for (std::size_t i = 0; i + 1 < fields.size(); i += 2) {
      auto key = split_pair(fields[i].text);
      auto n = to_u64(fields[i + 1].text);
      if (!key || !n) continue;
      auto it = out.pairs.find(*key);
      if (it != out.pairs.end()) it->second.daily[day] = *n;
    }
  }
  // A pair whose total fields were all evicted cannot be shown consistently.
  std::erase_if(out.pairs, [](const auto& p) { return p.second.calls == 0; });
  return out;
}

awaitable<std::string> redis_usage_store::push(const usage_data& pending) {
  if (pending.empty()) co_return std::string();
  redis_reply reply = co_await client_.command(usage_flush_command(pending));
  if (reply.failure != redis_failure::none)
    co_return "Redis " + std::string(to_string(reply.failure)) + (reply.detail.empty() ? "" : ": " + reply.detail);
  if (reply.value.is_error()) co_return "Redis refused the usage update: " + reply.value.text;
  co_return std::string();
}

awaitable<std::optional<usage_data>> redis_usage_store::pull(std::int32_t today, std::string& error) {
  redis_reply reply = co_await client_.command(usage_read_command(today));
  if (reply.failure != redis_failure::none) {
    error = "Redis " + std::string(to_string(reply.failure)) + (reply.detail.empty() ? "" : ": " + reply.detail);
    co_return std::nullopt;
  }
  if (reply.value.is_error()) {
    error = "Redis refused the usage read: " + reply.value.text;
    co_return std::nullopt;
  }
  co_return decode_usage_snapshot(reply.value, today, error);
}

}  // namespace pcbridge::proxy
