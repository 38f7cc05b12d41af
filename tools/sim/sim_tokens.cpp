#include "tools/sim/sim_tokens.hpp"

#include "tools/sim/sim_json.hpp"
#include "tools/sim/sim_shapes.hpp"
#include "tools/sim/sim_url.hpp"

#include <algorithm>
#include <optional>

namespace pcbridge::sim {

namespace {
sim_response oauth_error(int status, std::string_view error) {
  json body;
  body["error"] = error;
  auto r = json_response(status, body);
  r.headers.add("Cache-Control", "no-store");
  return r;
}

std::optional<std::string> base64_decode(std::string_view in) {
  static constexpr std::string_view alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  std::size_t i = 0;
  for (; i < in.size() && in[i] != '='; ++i) {
    const auto pos = alphabet.find(in[i]);
    if (pos == std::string_view::npos) return std::nullopt;
    buffer = (buffer << 6) | static_cast<unsigned>(pos);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  for (; i < in.size(); ++i) {
    if (in[i] != '=') return std::nullopt;
  }
  return out;
}

struct credentials {
  std::string id;
  std::string secret;
};

// RFC 6749 §2.3.1: Basic credentials are form-urlencoded before base64.
std::optional<credentials> basic_credentials(std::string_view header) {
  if (header.size() < 6 || !iequals(header.substr(0, 6), "Basic ")) return std::nullopt;
  const auto decoded = base64_decode(header.substr(6));
  if (!decoded) return std::nullopt;
  const auto colon = decoded->find(':');
  if (colon == std::string::npos) return std::nullopt;
  auto id = percent_decode(std::string_view(*decoded).substr(0, colon), true);
  auto secret = percent_decode(std::string_view(*decoded).substr(colon + 1), true);
  if (!id || !secret) return std::nullopt;
  return credentials{std::move(*id), std::move(*secret)};
}
}  // namespace

person client_account(const sim_client& client) { return {client.id, client.id + "@example.com"}; }

token_registry::token_registry(std::vector<sim_client> clients, std::chrono::seconds ttl, std::uint64_t seed)
    : clients_(std::move(clients)), ttl_(ttl), rng_(seed) {}

sim_response token_registry::issue(const sim_request& req, time_point now) {
  if (req.method != "POST") return oauth_error(405, shapes::error_invalid_request);
  const auto content_type = req.headers.find("Content-Type");
  if (!content_type || !to_lower(*content_type).starts_with("application/x-www-form-urlencoded")) {
    return oauth_error(400, shapes::error_invalid_request);
  }
  const auto form = parse_params(req.body);
  if (!form) return oauth_error(400, shapes::error_invalid_request);

  // Basic authentication wins when both forms are present.
  std::optional<credentials> creds;
  if (const auto auth = req.headers.find("Authorization")) {
    creds = basic_credentials(*auth);
    if (!creds) return oauth_error(400, shapes::error_invalid_client);
  } else {
    auto id = find_param(*form, "client_id");
    auto secret = find_param(*form, "client_secret");
    if (id && secret) creds = credentials{std::move(*id), std::move(*secret)};
  }
  if (!creds) return oauth_error(400, shapes::error_invalid_client);
  std::optional<std::size_t> client;
  for (std::size_t i = 0; i < clients_.size(); ++i) {
    if (clients_[i].id == creds->id && clients_[i].secret == creds->secret) client = i;
  }
  if (!client) return oauth_error(400, shapes::error_invalid_client);

  const auto grant_type = find_param(*form, "grant_type");
  if (!grant_type) return oauth_error(400, shapes::error_invalid_request);
  if (*grant_type != "client_credentials") return oauth_error(400, shapes::error_unsupported_grant);

  std::erase_if(grants_, [&](const auto& g) { return g.second.expires <= now; });
  std::string token = random_token();
  grants_[token] = grant{*client, now + ttl_};
  ++issued_;

  json body;
  body["access_token"] = token;
  body["expires_in"] = ttl_.count();
  body["token_type"] = shapes::token_type;
  auto r = json_response(200, body);
  r.headers.add("Cache-Control", "no-store");
  r.headers.add("Pragma", "no-cache");
  return r;
}

const sim_client* token_registry::client_for(std::string_view token, time_point now) const {
  const auto it = grants_.find(std::string(token));
  if (it == grants_.end() || it->second.expires <= now) return nullptr;
  return &clients_[it->second.client];
}

std::size_t token_registry::revoke_all(time_point now) {
  const auto live = static_cast<std::size_t>(
      std::count_if(grants_.begin(), grants_.end(), [&](const auto& g) { return g.second.expires > now; }));
  grants_.clear();
  return live;
}

void token_registry::reset() {
  grants_.clear();
  issued_ = 0;
}

std::string token_registry::random_token() {
  static constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::string token(43, ' ');  // as long as a base64url-encoded 256-bit value
  for (auto& c : token) c = alphabet[pick(rng_)];
  return token;
}

}  // namespace pcbridge::sim
