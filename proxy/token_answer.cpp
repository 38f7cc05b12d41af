#include "proxy/token_answer.hpp"

#include <nlohmann/json.hpp>

#include "translators/json_whole.hpp"

#include <cctype>
#include <cmath>

namespace pcbridge::proxy {

namespace {

using json = nlohmann::json;

// The endpoint's own text, made safe to embed in a message: single line, printable
// ASCII, at most `max_chars` characters (then "...").
std::string tidy(std::string_view text, std::size_t max_chars) {
  std::string out;
  bool space = false;
  for (unsigned char c : text) {
    if (out.size() >= max_chars) {
      out += "...";
      break;
    }
    if (c <= 0x20 || c >= 0x7F) {  // controls, spaces, DEL and non-ASCII all become one space
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(static_cast<char>(c));
  }
  return out;
}

std::string string_member(const json& j, const char* name) {
  if (!j.is_object()) return {};
  auto it = j.find(name);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

struct lifetime {
  long long seconds = 0;
  std::string problem;  // non-empty: unusable
};

lifetime read_expires_in(const json& answer) {
  auto it = answer.find("expires_in");
  if (it == answer.end() || it->is_null()) return {default_token_lifetime.count(), {}};
  const long long max = max_token_lifetime.count();
  if (it->is_number_unsigned()) {
    const auto v = it->get<std::uint64_t>();
    if (v == 0) return {0, "expires_in is 0"};
    return {v > static_cast<std::uint64_t>(max) ? max : static_cast<long long>(v), {}};
  }
  if (it->is_number_integer()) {
    const auto v = it->get<long long>();
    if (v <= 0) return {0, "expires_in is " + std::to_string(v)};
    return {std::min(v, max), {}};
  }
  if (it->is_number_float()) {
    const double v = it->get<double>();
    if (!std::isfinite(v) || v < 1.0) return {0, "expires_in is below 1 s"};
    return {v >= static_cast<double>(max) ? max : static_cast<long long>(v), {}};
  }
  if (it->is_string()) {
    // Some identity providers send the number as a string; only plain digits are taken.
    const auto& s = it->get_ref<const std::string&>();
    if (s.empty() || s.size() > 15 || s.find_first_not_of("0123456789") != std::string::npos)
      return {0, "expires_in is not a number"};
    const long long v = std::stoll(s);  // at most 15 digits: cannot throw
    if (v == 0) return {0, "expires_in is 0"};
    return {std::min(v, max), {}};
  }
  return {0, "expires_in is not a number"};
}

fetched_token failure(std::string why) {
  fetched_token out;
  out.error = std::move(why);
  return out;
}

}  // namespace

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

bool usable_token(std::string_view token) {
  if (token.empty() || token.size() > max_token_length) return false;
  for (unsigned char c : token)
    if (c < 0x21 || c > 0x7E) return false;
  return true;
}

fetched_token parse_token_answer(std::string_view body, int status) {
  const json answer = translators::json::parse_whole(body);
  if (status != 200) {
    const std::string code = tidy(string_member(answer, "error"), 64);
    const std::string description = tidy(string_member(answer, "error_description"), 200);
    fetched_token out = failure("token endpoint answered " + std::to_string(status) +
                                (code.empty() ? "" : " (" + code + ")") +
                                (description.empty() ? "" : ": " + description));
    const std::string raw_code = string_member(answer, "error");
    out.credentials_rejected = status == 401 || raw_code == "invalid_client" || raw_code == "unauthorized_client";
    return out;
  }
  if (!answer.is_object()) return failure("token endpoint answer is not a JSON object");
  auto token = answer.find("access_token");
  if (token == answer.end() || !token->is_string()) return failure("token endpoint answer has no access_token");
  const auto& text = token->get_ref<const std::string&>();
  if (text.empty()) return failure("token endpoint answer has an empty access_token");
  if (!usable_token(text))
    return failure("token endpoint answer has an access_token that is not a valid header value");
  lifetime life = read_expires_in(answer);
  if (!life.problem.empty()) return failure("token endpoint answer has an unusable expires_in: " + life.problem);
  fetched_token out;
  out.ok = true;
  out.access_token = text;
  out.expires_in = std::chrono::seconds(life.seconds);
  return out;
}

}  // namespace pcbridge::proxy
