// The loader's building blocks: URL checks and did-you-mean.
#include <doctest/doctest.h>

#include <array>

#include "config/suggest.hpp"
#include "config/url.hpp"

namespace pcbridge::config::detail {
namespace {

TEST_CASE("check_http_url accepts http(s) URLs and normalizes them") {
  CHECK(check_http_url("https://api.example.com", true).url == "https://api.example.com");
  CHECK(check_http_url("HTTPS://Api.Example.com/", true).url == "https://Api.Example.com");
  CHECK(check_http_url("http://127.0.0.1:8080/prefix/", true).url == "http://127.0.0.1:8080/prefix");
  CHECK(check_http_url("http://[::1]:9000/x/", false).url == "http://[::1]:9000/x/");
  CHECK(check_http_url("https://a.example/%7Euser", true).url == "https://a.example/%7Euser");
}

TEST_CASE("check_http_url refuses what does not belong in an upstream URL") {
  struct bad_case {
    const char* url;
    const char* error;
  };
  const bad_case cases[] = {
      {"", "expected an http:// or https:// URL"},
      {"ftp://a.example", "expected an http:// or https:// URL"},
      {"//a.example", "expected an http:// or https:// URL"},
      {"https://user@a.example", "must not contain credentials (user:password@)"},
      {"https://u:p@a.example/x", "must not contain credentials (user:password@)"},
      {"https://a.example?x", "must not have a query or fragment"},
      {"https://a.example/#top", "must not have a query or fragment"},
      {"https://", "has no host"},
      {"https://:443/x", "has no host"},
      {"https://a.example:", "has an invalid port (expected 1..65535)"},
      {"https://a.example:65536", "has an invalid port (expected 1..65535)"},
      {"https://a.example:http", "has an invalid port (expected 1..65535)"},
      {"https://[::1", "has an invalid host"},
      {"https://[::1]x", "has an invalid host"},
      {"https://a!b.example", "has an invalid host"},
      {"https://a.example/has space", "must not contain whitespace or control characters"},
  };
  for (const bad_case& c : cases) {
    CAPTURE(c.url);
    const url_check checked = check_http_url(c.url, true);
    CHECK(checked.url.empty());
    CHECK(checked.error == c.error);
  }
}

TEST_CASE("edit_distance and closest_match") {
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("kitten", "sitting") == 3);
  CHECK(edit_distance("pasword", "password") == 1);
  const std::array<std::string_view, 4> keys = {"port", "address", "max_body_bytes", "max_header_bytes"};
  CHECK(closest_match("prot", keys) == std::optional<std::string_view>("port"));
  CHECK(closest_match("adress", keys) == std::optional<std::string_view>("address"));
  CHECK(closest_match("max_body_byte", keys) == std::optional<std::string_view>("max_body_bytes"));
  CHECK_FALSE(closest_match("colour", keys).has_value());
  CHECK_FALSE(closest_match("p", keys).has_value());  // one letter is no evidence
}

}  // namespace
}  // namespace pcbridge::config::detail
