#include "proxy/token_fetcher.hpp"

namespace pcbridge::proxy {

token_fetcher::token_fetcher(upstream_client& client, endpoint token_endpoint, std::string token_path,
                             std::chrono::milliseconds timeout)
    : client_(client), endpoint_(std::move(token_endpoint)), path_(std::move(token_path)), timeout_(timeout) {}

awaitable<fetched_token> token_fetcher::fetch(const token_credentials& creds) {
  upstream_request req;
  req.method = http::verb::post;
  req.target = path_.empty() ? "/" : path_;
  req.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Accept", "application/json"}};
  req.body = "grant_type=client_credentials&client_id=" + form_encode(creds.client_id) +
             "&client_secret=" + form_encode(creds.client_secret);
  req.idempotent = true;  // a token request changes nothing upstream
  req.timeout = timeout_;
  upstream_result res = co_await client_.send(endpoint_, std::move(req));
  if (res.failure != upstream_failure::none) {
    fetched_token failed;
    failed.error = "token endpoint unreachable: " + res.detail;
    co_return failed;
  }
  co_return parse_token_answer(res.response.body(), res.response.result_int());
}

}  // namespace pcbridge::proxy
