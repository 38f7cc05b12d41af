// Issue 13 (logs and counters an SRE expects): access lines have their own switch, carry the
// client address, bytes and user agent, are never lost on SIGTERM although they are buffered,
// and the answers the HTTP layer gives before routing (400 parse, 413, 431) are logged and
// counted. Token-fetch failures are logged with their (scrubbed) reason.
#include <doctest/doctest.h>

#include <signal.h>

#include <sstream>
#include <string>

#include "e2e/raw_client.hpp"
#include "e2e/stack.hpp"

using namespace e2e;
using namespace std::chrono_literals;

namespace {

const std::string v1 = "/Services.svc/v1/Programs/PRG0M4A7B2CD";

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::size_t count_of(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++n;
  return n;
}

// Sends raw bytes on a new connection and returns the status of the answer.
int raw_status(int port, const std::string& bytes) {
  const int fd = raw::connect_to(port);
  raw::write_all(fd, bytes);
  const raw::answer a = raw::parse_answer(raw::read_until_close(fd, 5s));
  ::close(fd);
  return a.status;
}

}  // namespace

TEST_CASE("logs: access lines carry client, bytes and user agent, stay on at level warn, and none is lost at SIGTERM") {
  stack_options o;
  o.admin = true;
  o.extra_config = "log: { level: warn }\n";  // warn drops info lines, not access lines
  stack s(o);
  constexpr int n = 5;  // the quota's burst (60/min beyond it)
  for (int i = 0; i < n; ++i)
    REQUIRE(s.v1("GET", v1 + "/Projects", {}, {{"User-Agent", "LegacyClient/4.0 (.NET CLR)"}}).status == 200);
  s.signal(SIGTERM);
  REQUIRE(s.wait_exit(10s) == 0);
  const std::string log = s.proxy_output();
  CHECK(count_of(log, " access rid=") == n);  // every one, written before the process ended
  CHECK(count_of(log, " client=127.0.0.1:") == n);
  CHECK(count_of(log, " ua=\"LegacyClient/4.0 (.NET CLR)\"") == n);
  CHECK(contains(log, " bytes_in=0 bytes_out="));
  CHECK_FALSE(contains(log, " bytes_out=0 "));  // a 200 with a V1 body
  CHECK_FALSE(contains(log, " info "));          // level warn still applies to the rest
}

TEST_CASE("logs: bytes_in and bytes_out are the body sizes of the request and the answer") {
  stack s;
  const std::string body = "<not-a-request/>";
  const reply r = s.v1("POST", v1 + "/Projects/ByNumber", body, {{"Content-Type", "text/xml"}});
  REQUIRE(r.status == 400);
  REQUIRE_FALSE(r.body.empty());
  const reply ok = s.v1("GET", v1 + "/Projects");
  REQUIRE(ok.status == 200);
  const std::string log = s.proxy_output();
  CHECK(contains(log, " status=400 upstream_status=0 upstream_calls=0 "));
  CHECK(contains(log, " bytes_in=" + std::to_string(body.size()) + " bytes_out=" + std::to_string(r.body.size()) + " "));
  CHECK(contains(log, " bytes_in=0 bytes_out=" + std::to_string(ok.body.size()) + " "));
}

TEST_CASE("logs: a streamed attachment's access line counts its body bytes both ways") {
  stack s;
  const std::string v1_project = v1 + "/Projects/PRJ3D4R5F6T7";
  const std::string file(300 * 1024, 'x');  // several pieces each way
  const reply up = s.v1("POST", v1_project + "/Forms/F0RM1A2B3C4D/Attachments/AT2SITEPLAN2", file,
                        {{"Content-Type", "application/octet-stream"}});
  REQUIRE(up.status == 200);
  const reply down = s.v1("GET", v1_project + "/Attachments/AT2SITEPLAN2");
  REQUIRE(down.status == 200);
  REQUIRE(down.body == file);
  const std::string log = s.proxy_output();
  CHECK(contains(log, " bytes_in=" + std::to_string(file.size()) + " bytes_out=" + std::to_string(up.body.size()) + " "));
  CHECK(contains(log, " bytes_in=0 bytes_out=" + std::to_string(file.size()) + " "));
  CHECK(count_of(log, " client=127.0.0.1:") == 2);
}

TEST_CASE("logs: level debug tells the routing decision, cache hit and miss, queue wait and each upstream attempt") {
  stack_options o;
  o.extra_config = "log: { level: debug }\n";
  stack s(o);
  REQUIRE(s.v1("GET", v1 + "/Forms").status == 200);
  REQUIRE(s.v1("GET", v1 + "/Forms").status == 200);  // from the metadata cache
  REQUIRE(s.sim_post("/__sim/tokens/expire", "{}").status / 100 == 2);
  REQUIRE(s.v1("GET", v1 + "/Projects").status == 200);  // 401 upstream, new token, retried
  const std::string log = s.proxy_output();
  const std::string v2 = "/services/v2/Programs/PRG0M4A7B2CD";
  CHECK(count_of(log, " route GET " + v1 + "/Forms -> GetForms -> " + v2 + "/Forms\n") == 2);
  CHECK(count_of(log, " cache metadata miss " + v2 + "/Forms\n") == 1);
  CHECK(count_of(log, " cache metadata hit " + v2 + "/Forms\n") == 1);
  CHECK(contains(log, " route GET " + v1 + "/Projects -> GetProjects -> " + v2 + "/Projects"));
  // GetForms once, GetProjects twice (the retried call takes a quota turn again); the API key
  // by its fingerprint (SHA-256 of "demo-key"), never itself.
  CHECK(count_of(log, " queue wait ") == 3);
  CHECK(count_of(log, " ms (api key c48a01f49fd0)\n") == 3);
  CHECK(contains(log, " upstream GET " + v2 + "/Projects -> 401 (retries so far 0, token refreshes 0, 429 waits 0)\n"));
  CHECK(contains(log, " upstream GET " + v2 + "/Projects -> 200 (retries so far 0, token refreshes 1, 429 waits 0)\n"));
  // Debug lines carry the request id of their access line.
  const auto access = log.find(" access rid=");
  REQUIRE(access != std::string::npos);
  const std::string rid = log.substr(access + 12, log.find(' ', access + 12) - access - 12);
  CHECK(contains(log, " debug rid=" + rid + " route GET "));
  CHECK_FALSE(contains(log, sim_client_secret));
  CHECK_FALSE(contains(log, password));
  CHECK_FALSE(contains(log, " api key " + sim_api_key));
}

TEST_CASE("logs: the JSON access line carries client, bytes and user agent") {
  stack_options o;
  o.log_json = true;
  stack s(o);
  const reply r = s.v1("GET", v1 + "/Projects", {}, {{"User-Agent", "LegacyClient/4.0"}});
  REQUIRE(r.status == 200);
  const std::string log = s.proxy_output();
  std::size_t found = 0;
  std::istringstream in(log);
  for (std::string line; std::getline(in, line);) {
    const auto j = nlohmann::json::parse(line, nullptr, false);
    REQUIRE_FALSE(j.is_discarded());  // every line is one JSON object
    if (j.value("event", "") != "access") continue;
    ++found;
    CHECK(j["v1_method"] == "GetProjects");
    CHECK(j["status"] == 200);
    CHECK(j["client"].get<std::string>().rfind("127.0.0.1:", 0) == 0);
    CHECK(j["bytes_in"] == 0);
    CHECK(j["bytes_out"] == r.body.size());
    CHECK(j["user_agent"] == "LegacyClient/4.0");
  }
  CHECK(found == 1);
}

TEST_CASE("logs: buffered access lines are not written per request, and SIGTERM writes every one") {
  stack_options o;
  // A 10 s batch: every line is still queued when SIGTERM comes; level warn: no info line
  // (which would write the queue out first) before the drain ends.
  o.extra_config = "log: { level: warn, flush_interval_ms: 10000 }\n";
  stack s(o);
  constexpr int n = 5;  // within the quota's burst: answered at once, well inside the 10 s
  for (int i = 0; i < n; ++i) REQUIRE(s.v1("GET", v1 + "/Projects").status == 200);
  CHECK(count_of(s.proxy_output(), " access rid=") == 0);  // queued, no write per request
  s.signal(SIGTERM);
  REQUIRE(s.wait_exit(10s) == 0);
  const std::string log = s.proxy_output();
  CHECK(count_of(log, " access rid=") == n);
  CHECK(count_of(log, " status=200 upstream_status=200 ") == n);
  CHECK(log.back() == '\n');  // whole lines
}

TEST_CASE("logs: log.access false silences access lines only") {
  stack_options o;
  o.extra_config = "log: { access: false }\n";
  stack s(o);
  REQUIRE(s.v1("GET", v1 + "/Projects").status == 200);
  const std::string log = s.proxy_output();
  CHECK_FALSE(contains(log, " access rid="));
  CHECK(contains(log, " info pcbridge listening on http://127.0.0.1:"));
}

TEST_CASE("logs: 400 parse, 413 and 431 answers are logged and counted in pcbridge_refused_requests_total") {
  stack_options o;
  o.admin = true;
  o.listen_override = "listen: { address: 127.0.0.1, port: 0, max_body_bytes: 1024, max_header_bytes: 2048 }\n";
  stack s(o);
  const int port = s.proxy_port();
  CHECK(raw_status(port, "NOT HTTP AT ALL\r\n\r\n") == 400);
  CHECK(raw_status(port, "GET " + v1 + "/Projects HTTP/1.1\r\nHost: x\r\nX-Pad: " + std::string(4096, 'a') +
                             "\r\n\r\n") == 431);
  // Authenticated (the head check answers 401 first otherwise), then refused for its size.
  CHECK(raw_status(port, "POST " + v1 + "/Projects/ByNumber HTTP/1.1\r\nHost: x\r\nAuthorization: Basic " +
                             "bGVnYWN5LXVzZXI6czNjcmV0LWxlZ2FjeS1wYXNz\r\nContent-Length: 5000\r\n\r\n") == 413);
  const std::string metrics = s.admin_get("/metrics").body;
  CHECK(contains(metrics, "pcbridge_refused_requests_total{reason=\"parse_error\"} 1\n"));
  CHECK(contains(metrics, "pcbridge_refused_requests_total{reason=\"header_too_large\"} 1\n"));
  CHECK(contains(metrics, "pcbridge_refused_requests_total{reason=\"body_too_large\"} 1\n"));
  const std::string log = s.proxy_output();
  CHECK(contains(log, " status=400 upstream_status=0"));
  CHECK(contains(log, " status=431 upstream_status=0"));
  CHECK(contains(log, " status=413 upstream_status=0"));
  CHECK(contains(log, "note=\"refused: request header larger than 2048 bytes\""));
  CHECK(count_of(log, " status=4") == 3);  // one access line each, nothing else
  CHECK(count_of(log, "v1_method=- user=- status=4") == 3);
  CHECK(count_of(log, " upstream_calls=0 duration_ms=0 client=127.0.0.1:") == 3);
}

TEST_CASE("logs: a failed token fetch is logged with its reason, never the secret") {
  stack_options o;
  o.clients_override =
      "clients:\n"
      "  - { user: lost, password: lost-pass, client_id: unknown-client, client_secret: SECRET-NOT-LOGGED, "
      "api_key: k }\n";
  o.token_warmup = false;
  stack s(o);
  CHECK(s.v1_as("lost", "lost-pass", "GET", v1 + "/Projects").status == 503);
  const std::string log = s.proxy_output();
  CHECK(contains(log, " warn token fetch failed for client id unknown-client: "));
  CHECK_FALSE(contains(log, "SECRET-NOT-LOGGED"));
}
