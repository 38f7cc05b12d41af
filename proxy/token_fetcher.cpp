#include "proxy/token_fetcher.hpp"

#include <cctype>

namespace pcbridge::proxy {

std::string form_encode(std::string_view value) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size() * 3);
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 0xF]);
    }
  }
  return out;
}

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
