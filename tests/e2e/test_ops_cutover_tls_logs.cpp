// End-to-end: what an operator relies on, part 3. The staged cutover switches
// (routes.<Method>.mode, native_v2), the TLS listener and its certificate rotation, the
// plaintext guard and JSON logs. Every case asserts exact values; waits poll with a bound.
#include <doctest/doctest.h>

#include "e2e/operations_support.hpp"

using namespace e2e;
using namespace e2e::ops;
using nlohmann::json;
using namespace std::chrono_literals;

// --- 6. staged cutover ---

TEST_CASE("ops: routes.GetProjects.mode reject answers 501 naming the method; nothing goes upstream") {
  stack_options o;
  o.extra_config = "routes:\n  GetProjects: { mode: reject }\n";
  stack s(o);
  check_v1_error(s.v1("GET", v1 + "/Projects"), 501,
                 "V1 method GetProjects is switched off on this gateway (routes.GetProjects.mode: reject); call the "
                 "V2 API instead");
  CHECK(s.sim_requests().empty());
  // Other methods are translated as before.
  CHECK(s.v1("GET", v1 + "/Forms").status == 200);
  CHECK(s.sim_api_requests().size() == 1);
}

TEST_CASE("ops: native_v2 forwards /services/v2 calls with the token swap; path, query and bodies unchanged") {
  stack_options o;
  o.extra_config = "native_v2: { enabled: true }\n";
  stack s(o);
  const std::string target = v2 + "/Forms?include=all&note=a%2Bb";
  const reply r = s.v1("GET", target, {}, {{"X-Request-Id", "native-1"}});
  REQUIRE(r.status == 200);
  CHECK(r.header("x-request-id") == "native-1");

  auto api = s.sim_api_requests();
  REQUIRE(api.size() == 1);
  CHECK(api[0]["method"] == "GET");
  CHECK(api[0]["target"] == target);
  const std::string bearer = header(api[0], "authorization");
  CHECK(bearer.rfind("Bearer ", 0) == 0);
  CHECK(bearer.size() > 20);
  CHECK(header(api[0], "x-apikey") == sim_api_key);
  CHECK(header(api[0], "x-request-id") == "native-1");

  // The same call made directly: byte for byte the answer the client got.
  const reply direct = send(s.sim_port(), "GET", target, {{"Authorization", bearer}, {"X-ApiKey", sim_api_key}});
  REQUIRE(direct.status == 200);
  CHECK(r.body == direct.body);
  CHECK(r.header("content-type") == direct.header("content-type"));
  CHECK(json::parse(r.body).is_object());

  // A write: the JSON body reaches upstream as sent, whitespace included.
  s.clear_sim_requests();
  const std::string body = "{ \"Project\" : {\"DataFields\":[ {\"DataFieldId\":\"DF7METERNO07\",\"Value\":\"M-77\"} ]} }";
  const reply w = s.v1("POST", v2 + "/Projects/PRJ3D4R5F6T7/Forms/" + form + "/Draft/Data", body,
                       {{"Content-Type", "application/json"}});
  CHECK(w.status == 200);
  CHECK(w.header("content-type") == "application/json; charset=utf-8");  // the simulator's
  api = s.sim_api_requests();
  REQUIRE(api.size() == 1);
  CHECK(api[0]["body"] == body);
  CHECK(header(api[0], "content-type") == "application/json");

  // Wrong Basic credentials: pcbridge's own 401, as problem+json, nothing upstream.
  s.clear_sim_requests();
  const reply denied = s.v1_as(user, "wrong-pass", "GET", target);
  CHECK(denied.status == 401);
  CHECK(denied.header("content-type") == "application/problem+json");
  CHECK(json::parse(denied.body)["status"] == 401);
  CHECK(s.sim_requests().empty());
}

TEST_CASE("ops: without native_v2, /services/v2 paths are 404 and reach nobody") {
  stack s;
  const reply r = s.v1("GET", v2 + "/Forms");
  CHECK(r.status == 404);
  CHECK(r.header("content-type") == "application/xml; charset=utf-8");
  CHECK(s.sim_requests().empty());
}

// --- 7. TLS ---

TEST_CASE("ops: TLS listener serves V1 over HTTPS, refuses plain HTTP, and SIGHUP rotates the certificate") {
  const std::string certs = make_temp_dir();
  const cert_pair first = make_self_signed(certs, "first");
  const cert_pair second = make_self_signed(certs, "second");
  // The listener reads these two paths; rotation replaces the files under them.
  const std::string cert_file = certs + "/tls.crt", key_file = certs + "/tls.key";
  std::filesystem::copy_file(first.cert, cert_file);
  std::filesystem::copy_file(first.key, key_file);
  const cert_id first_id = certificate_file_id(first.cert), second_id = certificate_file_id(second.cert);
  REQUIRE_FALSE(first_id.sha256.empty());
  REQUIRE_FALSE(first_id.serial.empty());
  REQUIRE(first_id.sha256 != second_id.sha256);

  stack_options o;
  o.admin = true;
  o.listen_override = "listen:\n  address: 127.0.0.1\n  port: 0\n  tls:\n    cert_file: " + cert_file +
                      "\n    key_file: " + key_file + "\n";
  stack s(o);
  const header_list auth = {{"Authorization", basic(user, password)}};

  tls_reply secure = send_tls(s.proxy_port(), first.cert, "GET", v1 + "/Projects", auth);
  CHECK(secure.error == "");
  CHECK(secure.r.status == 200);
  CHECK(contains(secure.r.body, "<ProjectsResponse " + v1_ns));
  CHECK(secure.peer == first_id);
  CHECK(contains(s.proxy_output(), "pcbridge listening on https://127.0.0.1:" + std::to_string(s.proxy_port())));

  // The client really verifies: the not yet used certificate is no trust anchor for this one.
  const tls_reply untrusted = send_tls(s.proxy_port(), second.cert, "GET", v1 + "/Projects", auth);
  CHECK(untrusted.r.status == 0);
  CHECK(contains(untrusted.error, "handshake"));

  // Plain HTTP on the TLS port gets no HTTP answer.
  const reply plain = send(s.proxy_port(), "GET", v1 + "/Projects", auth);
  CHECK(plain.status == 0);

  // Rotation: new files under the same paths, then SIGHUP.
  std::filesystem::copy_file(second.cert, cert_file, std::filesystem::copy_options::overwrite_existing);
  std::filesystem::copy_file(second.key, key_file, std::filesystem::copy_options::overwrite_existing);
  s.signal(SIGHUP);
  REQUIRE(eventually([&] { return metric(metrics_of(s), "pcbridge_config_reloads_total{result=\"ok\"}") == "1"; }));
  const tls_reply rotated = send_tls(s.proxy_port(), second.cert, "GET", v1 + "/Projects", auth);
  CHECK(rotated.error == "");
  CHECK(rotated.r.status == 200);
  CHECK(rotated.peer == second_id);
  CHECK_FALSE(rotated.peer == first_id);
  std::filesystem::remove_all(certs);
}

TEST_CASE("ops: SIGHUP with an unusable certificate keeps serving the old one and counts a failed reload") {
  const std::string certs = make_temp_dir();
  const cert_pair first = make_self_signed(certs, "first");
  const std::string cert_file = certs + "/tls.crt", key_file = certs + "/tls.key";
  std::filesystem::copy_file(first.cert, cert_file);
  std::filesystem::copy_file(first.key, key_file);
  stack_options o;
  o.admin = true;
  o.listen_override = "listen:\n  address: 127.0.0.1\n  port: 0\n  tls:\n    cert_file: " + cert_file +
                      "\n    key_file: " + key_file + "\n";
  stack s(o);
  const header_list auth = {{"Authorization", basic(user, password)}};
  REQUIRE(send_tls(s.proxy_port(), first.cert, "GET", v1 + "/Projects", auth).r.status == 200);

  write_file(cert_file, "-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n");
  s.signal(SIGHUP);
  REQUIRE(eventually([&] { return metric(metrics_of(s), "pcbridge_config_reloads_total{result=\"error\"}") == "1"; }));
  CHECK(metric(metrics_of(s), "pcbridge_config_reloads_total{result=\"ok\"}") == "0");
  CHECK(contains(s.proxy_output(), " error config reload failed; keeping the running configuration: cannot use "
                                   "listen.tls.cert_file " + cert_file));
  const tls_reply still = send_tls(s.proxy_port(), first.cert, "GET", v1 + "/Projects", auth);
  CHECK(still.error == "");
  CHECK(still.r.status == 200);
  CHECK(still.peer == certificate_file_id(first.cert));
  std::filesystem::remove_all(certs);
}

TEST_CASE("ops: plain HTTP on a non-loopback address is refused at start (exit 3, names listen.address) unless allowed") {
  const std::string dir = make_temp_dir();
  const std::string config = dir + "/open.yaml";
  write_file(config,
             "listen: { address: 0.0.0.0, port: 0 }\n"
             "upstream:\n"
             "  base_url: http://127.0.0.1:9\n"
             "  token_url: http://127.0.0.1:9/connect/token\n"
             "clients:\n" +
                 client_entry(user, password, sim_client_id, sim_client_secret));
  child_process refused({binary_path("pcbridge"), "--config", config, "--port-file", dir + "/port"},
                        dir + "/out.log");
  CHECK(refused.wait(5s) == 3);  // exit_bad_config
  const std::string out = read_file(dir + "/out.log");
  CHECK(contains(out, config + ":1: listen.address: a non-loopback address needs listen.tls"));
  CHECK(read_file(dir + "/port").empty());  // it never listened
  std::filesystem::remove_all(dir);

  stack_options o;
  o.listen_override = "listen: { address: 0.0.0.0, port: 0, allow_plaintext: true }\n";
  stack s(o);
  CHECK(contains(s.proxy_output(), " warn listen.allow_plaintext: Basic credentials reach this listener unencrypted"));
  CHECK(contains(s.proxy_output(), "pcbridge listening on http://0.0.0.0:" + std::to_string(s.proxy_port())));
  CHECK(s.v1("GET", v1 + "/Projects").status == 200);
}

// --- 8. JSON logs ---

TEST_CASE("ops: log.format json: every line of a run is a JSON object; access lines are complete; no secret or token") {
  stack_options o;
  o.admin = true;
  o.log_json = true;
  stack s(o);
  const reply ok = s.v1("GET", v1 + "/Projects");
  REQUIRE(ok.status == 200);
  REQUIRE(s.v1_as(user, "wrong-pass-5521", "GET", v1 + "/Projects").status == 401);
  REQUIRE(s.v1("GET", "/foo").status == 404);
  REQUIRE(s.v1_as(admin_user, admin_password, "GET", v1 + "/Forms").status == 200);
  // A reload that fails logs errors too; then a drain.
  s.rewrite_config(read_file(s.config_path()) + "no_such_section: 1\n");
  s.signal(SIGHUP);
  REQUIRE(eventually([&] { return metric(metrics_of(s), "pcbridge_config_reloads_total{result=\"error\"}") == "1"; }));
  const std::vector<std::string> tokens = issued_tokens(s);
  REQUIRE(tokens.size() == 2);
  s.signal(SIGTERM);
  REQUIRE(s.wait_exit(5s) == 0);

  const std::string output = s.proxy_output();
  const auto lines = lines_of(output);
  REQUIRE(lines.size() >= 8);  // listening, 4 access, 2 reload errors, draining, stopped
  std::vector<json> access;
  for (const auto& line : lines) {
    CAPTURE(line);
    const json j = json::parse(line, nullptr, false);
    REQUIRE(j.is_object());
    CHECK(j["ts"].is_string());
    CHECK(j["level"].is_string());
    if (j.value("event", "") == "access") access.push_back(j);
  }
  REQUIRE(access.size() == 4);
  for (const auto& a : access) {
    CAPTURE(a.dump());
    CHECK(a["request_id"].is_string());
    CHECK_FALSE(a["request_id"].get<std::string>().empty());
    CHECK(a["v1_method"].is_string());
    CHECK(a["status"].is_number_integer());
  }
  CHECK(access[0]["request_id"] == ok.header("x-request-id"));
  CHECK(access[0]["v1_method"] == "GetProjects");
  CHECK(access[0]["status"] == 200);
  CHECK(access[0]["user"] == user);
  CHECK(access[1]["status"] == 401);
  CHECK(access[1]["user"] == "-");
  CHECK(access[2]["v1_method"] == "-");
  CHECK(access[2]["status"] == 404);
  CHECK(access[3]["v1_method"] == "GetForms");
  CHECK(access[3]["user"] == admin_user);
  CHECK(contains(output, "no_such_section: unknown key"));

  std::vector<std::string> secrets = configured_secrets();
  secrets.push_back("wrong-pass-5521");
  secrets.insert(secrets.end(), tokens.begin(), tokens.end());
  for (const auto& secret : secrets) {
    CAPTURE(secret);
    CHECK_FALSE(contains(output, secret));
  }
}
