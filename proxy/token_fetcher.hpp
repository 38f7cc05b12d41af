#pragma once
// Fetches a client-credentials token from the configured token URL (form body
// grant_type=client_credentials&client_id=..&client_secret=..) and reads the JSON answer
// (token_answer.hpp).
#include <chrono>
#include <string>

#include "proxy/endpoint.hpp"
#include "proxy/token_cache.hpp"
#include "proxy/upstream_client.hpp"

namespace pcbridge::proxy {

class token_fetcher {
 public:
  token_fetcher(upstream_client& client, endpoint token_endpoint, std::string token_path,
                std::chrono::milliseconds timeout);
  awaitable<fetched_token> fetch(const token_credentials& creds);

 private:
  upstream_client& client_;
  endpoint endpoint_;
  std::string path_;
  std::chrono::milliseconds timeout_;
};

}  // namespace pcbridge::proxy
