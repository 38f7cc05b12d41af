#include "proxy/v1_answers.hpp"

#include <nlohmann/json.hpp>

#include "translators/json_whole.hpp"

#include <cctype>
#include <ctime>

#include "proxy/retry_policy.hpp"
#include "proxy/token_answer.hpp"
#include "translators/translate.hpp"

namespace pcbridge::proxy {

v1_response v1_error(int status, std::string_view message, std::string_view request_id,
                     translators::error_body_form form) {
  v1_response res{static_cast<http::status>(status), 11};
  res.set(http::field::content_type, translators::v1_error_content_type(form));
  res.set("X-Request-Id", request_id);
  res.set(amzn_request_id_header, request_id);  // replaced by upstream's own when it sent one
  if (status == 401) res.set(http::field::www_authenticate, "Basic realm=\"pcbridge\", charset=\"UTF-8\"");
  if (status == 429 || status == 503) res.set(http::field::retry_after, "1");
  res.body() = translators::v1_error_body(status, message, request_id, form);
  return res;
}

v1_response v2_error(int status, std::string_view message, std::string_view request_id) {
  v1_response res{static_cast<http::status>(status), 11};
  res.set(http::field::content_type, "application/problem+json");
  res.set("X-Request-Id", request_id);
  res.set(amzn_request_id_header, request_id);  // replaced by upstream's own when it sent one
  if (status == 401) res.set(http::field::www_authenticate, "Basic realm=\"pcbridge\", charset=\"UTF-8\"");
  if (status == 429 || status == 503) res.set(http::field::retry_after, "1");
  nlohmann::json body = {{"title", message}, {"status", status}, {"requestId", request_id}};
  res.body() = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return res;
}

v1_response v1_document(int status, std::string body, std::string_view request_id) {
  v1_response res{static_cast<http::status>(status), 11};
  res.set(http::field::content_type, v1_xml_content_type);
  res.set("X-Request-Id", request_id);
  res.set(amzn_request_id_header, request_id);  // replaced by upstream's own when it sent one
  res.body() = std::move(body);
  return res;
}

namespace {

std::string one_line(std::string_view text, std::size_t max_chars) {
  std::string out;
  out.reserve(std::min(text.size(), max_chars));
  bool space = false;
  for (char c : text) {
    if (out.size() >= max_chars) break;
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (static_cast<unsigned char>(c) < 0x20) continue;
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  if (text.size() > max_chars && out.size() >= max_chars) out += "...";
  return out;
}

}  // namespace

std::string upstream_error_message(std::string_view body, std::size_t max_chars) {
  auto json = translators::json::parse_whole(body);
  if (json.is_object()) {
    for (const char* key : {"detail", "message", "Message", "title", "error_description", "error"}) {
      auto it = json.find(key);
      if (it != json.end() && it->is_string() && !it->get_ref<const std::string&>().empty())
        return one_line(it->get_ref<const std::string&>(), max_chars);
    }
  } else if (json.is_string()) {
    return one_line(json.get_ref<const std::string&>(), max_chars);
  }
  return one_line(body, max_chars);
}

std::string scrub_secrets(std::string text, std::initializer_list<std::string_view> secrets) {
  auto replace_all = [&text](std::string_view secret) {
    if (secret.size() < 3) return;
    for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos + 3))
      text.replace(pos, secret.size(), "***");
  };
  for (std::string_view secret : secrets) {
    replace_all(secret);
    // As it was sent in a form body (the token request): an endpoint echoing it shows that.
    const std::string encoded = form_encode(secret);
    if (encoded != secret) replace_all(encoded);
  }
  return text;
}

namespace {

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

bool request_id_shaped(std::string_view v) {
  if (v.empty() || v.size() > 128) return false;
  for (unsigned char c : v)
    if (!std::isalnum(c) && c != '-' && c != '_' && c != '.' && c != ':') return false;
  return true;
}

}  // namespace

void copy_upstream_header(const http::response_header<>& from, v1_response& to, std::string_view name,
                          std::initializer_list<std::string_view> secrets) {
  auto it = from.find(name);
  if (it == from.end()) return;
  const std::string_view value = it->value();
  if (iequal(name, "Retry-After") && !parse_retry_after(value, std::time(nullptr))) return;
  if (iequal(name, "x-amzn-RequestId") && !request_id_shaped(value)) return;
  if (scrub_secrets(std::string(value), secrets) != value) return;
  to.set(name, value);
}

}  // namespace pcbridge::proxy
