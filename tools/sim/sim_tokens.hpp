#pragma once
// The OAuth 2.0 client-credentials token endpoint (v2-api.md §2.3) and the tokens it issued.
#include "tools/sim/sim_message.hpp"
#include "tools/sim/sim_model.hpp"

#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace pcbridge::sim {

struct sim_client {
  std::string id;
  std::string secret;
  std::string api_key;
};

// The account a client acts as: it owns the projects the client creates and appears as
// ChangedBy in status history.
person client_account(const sim_client& client);

class token_registry {
 public:
  token_registry(std::vector<sim_client> clients, std::chrono::seconds ttl, std::uint64_t seed);

  // Answers POST /connect/token: client_id/client_secret from the form body or from HTTP
  // Basic client authentication; grant_type must be client_credentials.
  sim_response issue(const sim_request& req, time_point now);

  // The client a live token belongs to; null when the token is unknown, expired or revoked.
  const sim_client* client_for(std::string_view token, time_point now) const;

  // Invalidates every token issued so far; returns how many were still live.
  std::size_t revoke_all(time_point now);
  std::uint64_t issued() const { return issued_; }
  void reset();

 private:
  struct grant {
    std::size_t client;
    time_point expires;
  };
  std::string random_token();

  std::vector<sim_client> clients_;
  std::chrono::seconds ttl_;
  std::mt19937_64 rng_;  // survives reset(), so no token is ever issued twice
  std::unordered_map<std::string, grant> grants_;
  std::uint64_t issued_ = 0;
};

}  // namespace pcbridge::sim
