// The pure half of the Redis client and backend: RESP2 bytes, URL parsing, key names.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "proxy/redis_client.hpp"
#include "proxy/redis_pacing_backend.hpp"

using namespace pcbridge::proxy;
using kind = redis_value::kind;

namespace {

redis_parse_result parse(std::string_view bytes, redis_limits limits = {}) { return parse_redis_reply(bytes, limits); }

}  // namespace

TEST_CASE("redis resp: commands are arrays of bulk strings, binary-safe") {
  std::vector<std::string> set{"SET", "key", "value"};
  CHECK(redis_encode(set) == "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n");
  std::vector<std::string> odd{"ECHO", "", std::string("a\r\nb\0c", 6)};
  CHECK(redis_encode(odd) == std::string("*3\r\n$4\r\nECHO\r\n$0\r\n\r\n$6\r\na\r\nb\0c\r\n", 32));
  std::vector<std::string> none;
  CHECK(redis_encode(none) == "*0\r\n");
}

TEST_CASE("redis resp: every reply type") {
  auto simple = parse("+OK\r\n");
  REQUIRE(simple.status == redis_parse_status::complete);
  CHECK(simple.value.type == kind::simple_string);
  CHECK(simple.value.text == "OK");
  CHECK(simple.consumed == 5);

  auto error = parse("-NOSCRIPT No matching script. Please use EVAL.\r\n");
  REQUIRE(error.status == redis_parse_status::complete);
  CHECK(error.value.is_error());
  CHECK(error.value.text == "NOSCRIPT No matching script. Please use EVAL.");

  auto integer = parse(":-42\r\n");
  REQUIRE(integer.status == redis_parse_status::complete);
  CHECK(integer.value.type == kind::integer);
  CHECK(integer.value.integer == -42);

  auto big = parse(":1700000000123456\r\n");
  CHECK(big.value.integer == 1700000000123456LL);

  auto bulk = parse(std::string("$7\r\na\r\nb\0cd\r\n", 13));
  REQUIRE(bulk.status == redis_parse_status::complete);
  CHECK(bulk.value.type == kind::bulk_string);
  CHECK(bulk.value.text == std::string("a\r\nb\0cd", 7));
  CHECK(bulk.consumed == 13);

  auto empty = parse("$0\r\n\r\n");
  REQUIRE(empty.status == redis_parse_status::complete);
  CHECK(empty.value.type == kind::bulk_string);
  CHECK(empty.value.text.empty());

  CHECK(parse("$-1\r\n").value.is_null());
  CHECK(parse("*-1\r\n").value.is_null());
  CHECK(parse("*0\r\n").value.type == kind::array);
}

TEST_CASE("redis resp: nested arrays with mixed elements") {
  auto r = parse("*3\r\n:1\r\n*2\r\n$1\r\nx\r\n$-1\r\n+OK\r\n");
  REQUIRE(r.status == redis_parse_status::complete);
  REQUIRE(r.value.type == kind::array);
  REQUIRE(r.value.elements.size() == 3);
  CHECK(r.value.elements[0].integer == 1);
  REQUIRE(r.value.elements[1].type == kind::array);
  REQUIRE(r.value.elements[1].elements.size() == 2);
  CHECK(r.value.elements[1].elements[0].text == "x");
  CHECK(r.value.elements[1].elements[1].is_null());
  CHECK(r.value.elements[2].text == "OK");
}

TEST_CASE("redis resp: a reply cut anywhere is incomplete until its last byte") {
  const std::string reply = "*2\r\n$5\r\nhello\r\n*1\r\n:7\r\n";
  for (std::size_t cut = 0; cut < reply.size(); ++cut) {
    CAPTURE(cut);
    auto r = parse(std::string_view(reply).substr(0, cut));
    CHECK(r.status == redis_parse_status::incomplete);
    CHECK(r.consumed == 0);
  }
  auto whole = parse(reply);
  REQUIRE(whole.status == redis_parse_status::complete);
  CHECK(whole.consumed == reply.size());
  CHECK(whole.value.elements[1].elements[0].integer == 7);
}

TEST_CASE("redis resp: pipelined replies in one read come out one by one") {
  const std::string bytes = "+OK\r\n:5\r\n$3\r\nabc\r\n-ERR wrong\r\n$-1\r\n:6";
  std::string_view rest = bytes;
  std::vector<redis_value> got;
  for (;;) {
    auto r = parse(rest);
    if (r.status != redis_parse_status::complete) {
      CHECK(r.status == redis_parse_status::incomplete);  // ":6" still lacks its CRLF
      break;
    }
    got.push_back(r.value);
    rest.remove_prefix(r.consumed);
  }
  REQUIRE(got.size() == 5);
  CHECK(got[0].text == "OK");
  CHECK(got[1].integer == 5);
  CHECK(got[2].text == "abc");
  CHECK(got[3].is_error());
  CHECK(got[4].is_null());
  CHECK(rest == ":6");
}

TEST_CASE("redis resp: protocol errors and limits") {
  CHECK(parse("?what\r\n").status == redis_parse_status::protocol_error);
  CHECK(parse(":12x\r\n").status == redis_parse_status::protocol_error);
  CHECK(parse(":\r\n").status == redis_parse_status::protocol_error);
  CHECK(parse("$abc\r\n").status == redis_parse_status::protocol_error);
  CHECK(parse("$-2\r\n").status == redis_parse_status::protocol_error);
  CHECK(parse("*-5\r\n").status == redis_parse_status::protocol_error);
  auto no_crlf = parse("$3\r\nabcXY");
  CHECK(no_crlf.status == redis_parse_status::protocol_error);
  CHECK(no_crlf.error == "bulk string not followed by CRLF");

  redis_limits small;
  small.max_reply_bytes = 16;
  CHECK(parse("$100\r\n", small).status == redis_parse_status::protocol_error);
  CHECK(parse("*100\r\n", small).status == redis_parse_status::protocol_error);
  CHECK(parse("+0123456789abcdefgh\r\n", small).status == redis_parse_status::protocol_error);
  CHECK(parse("+0123456789abcdefgh", small).status == redis_parse_status::protocol_error);  // waiting would pass it

  redis_limits shallow;
  shallow.max_depth = 2;
  CHECK(parse("*1\r\n*1\r\n:1\r\n", shallow).status == redis_parse_status::complete);
  auto deep = parse("*1\r\n*1\r\n*1\r\n:1\r\n", shallow);
  CHECK(deep.status == redis_parse_status::protocol_error);
  CHECK(deep.error == "arrays nested too deep");

  // A line that never ends is refused rather than buffered for ever.
  CHECK(parse("+" + std::string(70 * 1024, 'a')).status == redis_parse_status::protocol_error);
}

TEST_CASE("redis url: host, port, database, credentials") {
  std::string error;
  auto plain = redis_url::parse("redis://localhost", error);
  REQUIRE(plain);
  CHECK(plain->host == "localhost");
  CHECK(plain->port == "6379");
  CHECK(plain->db == 0);
  CHECK(plain->password.empty());
  CHECK(plain->redacted() == "redis://localhost:6379/0");

  auto full = redis_url::parse("redis://:s3cr%40t@redis.pcbridge.svc:6380/2", error);
  REQUIRE(full);
  CHECK(full->host == "redis.pcbridge.svc");
  CHECK(full->port == "6380");
  CHECK(full->db == 2);
  CHECK(full->username.empty());
  CHECK(full->password == "s3cr@t");
  CHECK(full->redacted() == "redis://:***@redis.pcbridge.svc:6380/2");

  auto acl = redis_url::parse("REDIS://pacer:pw@[::1]:7000/", error);
  REQUIRE(acl);
  CHECK(acl->host == "::1");
  CHECK(acl->username == "pacer");
  CHECK(acl->password == "pw");
  CHECK(acl->redacted() == "redis://pacer:***@[::1]:7000/0");
}

TEST_CASE("redis url: malformed URLs are refused without echoing the password") {
  const char* bad[] = {"", "localhost:6379", "http://host:6379", "rediss://host", "redis://", "redis://host:0",
                       "redis://host:99999", "redis://host:port", "redis://host/x", "redis://host/-1",
                       "redis://host/1?timeout=3", "redis://user@host"};
  for (const char* url : bad) {
    CAPTURE(url);
    std::string error;
    CHECK_FALSE(redis_url::parse(url, error));
    CHECK_FALSE(error.empty());
  }
  std::string error;
  CHECK_FALSE(redis_url::parse("redis://:hunter2@host:notaport/0", error));
  CHECK(error.find("hunter2") == std::string::npos);
  CHECK_THROWS_WITH_AS(
      redis_pacing_backend(boost::asio::system_executor(), "redis://:hunter2@host/zero", pacing_settings{},
                           std::chrono::milliseconds(100)),
      "pacing Redis URL: the path must be a database number, e.g. /0", std::invalid_argument);
}

TEST_CASE("redis pacing keys: prefix and hex SHA-256 of the API key, never the key itself") {
  // SHA-256("abc") from FIPS 180-2.
  CHECK(redis_pacing_backend::redis_key_for("abc") ==
        "pcbridge:pace:{ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad}");
  const std::string key = redis_pacing_backend::redis_key_for("pcb_live_0123456789");
  CHECK(key.find("pcb_live") == std::string::npos);
  CHECK(key.size() == std::string("pcbridge:pace:{}").size() + 64);
  CHECK(redis_pacing_backend::script_sha1().size() == 40);
}
