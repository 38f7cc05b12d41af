#include "proxy/token_fetcher.hpp"

#include <nlohmann/json.hpp>

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

fetched_token parse_token_answer(int status, std::string_view body) {
  fetched_token out;
  auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (status != 200) {
    std::string error_code;
    if (json.is_object() && json.contains("error") && json["error"].is_string())
      error_code = json["error"].get<std::string>();
    out.credentials_rejected = status == 401 || error_code == "invalid_client" || error_code == "unauthorized_client";
    out.error = "token endpoint answered " + std::to_string(status) + (error_code.empty() ? "" : " (" + error_code + ")");
    return out;
  }
  if (!json.is_object() || !json.contains("access_token") || !json["access_token"].is_string()) {
    out.error = "token endpoint answer has no access_token";
    return out;
  }
  long long expires_in = 3600;  // the documented 60-minute lifetime, when the field is absent
  if (json.contains("expires_in")) {
    const auto& e = json["expires_in"];
    if (e.is_number_integer()) {
      expires_in = e.get<long long>();
    } else if (e.is_string()) {
      try {
        expires_in = std::stoll(e.get<std::string>());
      } catch (...) {
        expires_in = 0;
      }
    } else {
      expires_in = 0;
    }
  }
  if (expires_in <= 0) {
    out.error = "token endpoint answer has an unusable expires_in";
    return out;
  }
  out.ok = true;
  out.access_token = json["access_token"].get<std::string>();
  out.expires_in = std::chrono::seconds(expires_in);
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
  co_return parse_token_answer(res.response.result_int(), res.response.body());
}

}  // namespace pcbridge::proxy
