// End-to-end: the usage report survives a restart (state file), is shared by two pcbridge
// instances through a real redis-server, its CSV matches its JSON, and `pcbridge usage`
// prints it as a table.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>
#include <thread>

#include "e2e/seed.hpp"
#include "e2e/redis_process.hpp"
#include "e2e/stack.hpp"

using namespace e2e;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {


template <class Condition>
bool eventually(Condition done, std::chrono::milliseconds timeout = 5s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return done();
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// {user/method -> count} of an /admin/usage JSON body.
std::map<std::string, int> counts_of(const std::string& body) {
  std::map<std::string, int> out;
  const json doc = json::parse(body, nullptr, false);
  if (doc.is_discarded()) return out;
  for (const auto& c : doc["clients"])
    for (const auto& m : c["methods"]) out[c["user"].get<std::string>() + "/" + m["method"].get<std::string>()] = m["count"];
  return out;
}

std::map<std::string, int> usage_counts(const stack& s) { return counts_of(s.admin_get("/admin/usage").body); }

stack_options file_options(const std::string& state_file) {
  stack_options o;
  o.admin = true;
  o.extra_config = "usage: { state_file: " + state_file + ", flush_interval_s: 1 }\n";
  return o;
}

std::string run_cli(const std::vector<std::string>& argv, const std::string& out_file, int& exit_code) {
  child_process cli(argv, out_file);
  exit_code = cli.wait(10s);
  return read_file(out_file);
}

}  // namespace

TEST_CASE("usage store: counts survive a restart through the state file; a corrupt file starts afresh") {
  const std::string dir = make_temp_dir();
  const std::string state = dir + "/usage.json";
  {
    stack s(file_options(state));
    REQUIRE(s.v1("GET", v1 + "/Projects").status == 200);
    REQUIRE(s.v1("GET", v1 + "/Projects").status == 200);
    REQUIRE(s.v1_as(admin_user, admin_password, "GET", v1 + "/Forms").status == 200);
    s.signal(SIGTERM);
    REQUIRE(s.wait_exit(10s) == 0);
  }
  REQUIRE(std::filesystem::exists(state));
  CHECK_FALSE(std::filesystem::exists(state + ".tmp"));
  {
    stack s(file_options(state));
    CHECK(contains(s.proxy_output(), "usage: 2 client x method pairs loaded from " + state));
    CHECK(usage_counts(s) == std::map<std::string, int>{{"admin-user/GetForms", 1}, {"legacy-user/GetProjects", 2}});
    REQUIRE(s.v1("GET", v1 + "/Projects").status == 200);
    CHECK(usage_counts(s)["legacy-user/GetProjects"] == 3);
    // The periodic flush (1 s) writes it without a shutdown.
    CHECK(eventually([&] { return contains(read_file(state), R"("method":"GetProjects","count":3,)"); }));

    // `pcbridge usage` reads the same file.
    int code = -1;
    const std::string table = run_cli({binary_path("pcbridge"), "usage", "--config", s.config_path()}, dir + "/cli.out", code);
    CHECK(code == 0);
    CHECK(contains(table, "V1 usage from state file " + state + ", all time"));
    CHECK(contains(table, "METHOD       CLIENTS     CALLS  LAST SEEN\n"));
    CHECK(contains(table, "\nGetForms           1         1  "));
    CHECK(contains(table, "\nGetProjects        1         3  "));
    const std::string recent =
        run_cli({binary_path("pcbridge"), "usage", "--config", s.config_path(), "--since", "1"}, dir + "/cli2.out", code);
    CHECK(code == 0);
    CHECK(contains(recent, "last 1 days"));
    CHECK(contains(recent, "\nGetProjects        1         3  "));
    run_cli({binary_path("pcbridge"), "usage", "--config", s.config_path(), "--since", "0"}, dir + "/cli3.out", code);
    CHECK(code == 2);
  }
  write_file(state, "{\"clients\": [ truncated");
  {
    stack s(file_options(state));
    CHECK(contains(s.proxy_output(), "usage: usage state file \"" + state + "\" is corrupt (not JSON); moved to \"" +
                                         state + ".corrupt\", starting afresh"));
    CHECK(usage_counts(s).empty());
    REQUIRE(s.v1("GET", v1 + "/Projects").status == 200);
    CHECK(eventually([&] { return contains(read_file(state), R"("method":"GetProjects","count":1,)"); }));
    CHECK(read_file(state + ".corrupt") == "{\"clients\": [ truncated");
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("usage store: two instances share their counts through Redis") {
  redis_process redis;
  stack_options o;
  o.admin = true;
  o.extra_config = "rate_limit: { backend: redis, redis_url: \"redis://127.0.0.1:" + std::to_string(redis.port) +
                   "/0\" }\nusage: { flush_interval_s: 1 }\n";
  stack a(o);
  stack b(o);
  REQUIRE(a.v1("GET", v1 + "/Projects").status == 200);
  REQUIRE(a.v1("GET", v1 + "/Projects").status == 200);
  REQUIRE(b.v1("GET", v1 + "/Projects").status == 200);
  REQUIRE(b.v1_as(admin_user, admin_password, "GET", v1 + "/Forms").status == 200);
  const std::map<std::string, int> want = {{"admin-user/GetForms", 1}, {"legacy-user/GetProjects", 3}};
  CHECK(eventually([&] { return usage_counts(a) == want; }));
  CHECK(eventually([&] { return usage_counts(b) == want; }));
  CHECK(usage_counts(a) == want);
  CHECK(usage_counts(b) == want);

  // Both the JSON and the day hash are in that Redis: `pcbridge usage` reads them.
  int code = -1;
  const std::string table = run_cli({binary_path("pcbridge"), "usage", "--config", a.config_path()}, a.dir() + "/cli.out", code);
  CHECK(code == 0);
  CHECK(contains(table, "V1 usage from redis redis://127.0.0.1:" + std::to_string(redis.port) + "/0, all time"));
  CHECK(contains(table, "\nGetProjects        1         3  "));

  // A restart of one instance keeps the shared counts.
  b.signal(SIGTERM);
  REQUIRE(b.wait_exit(10s) == 0);
  stack c(o);
  CHECK(eventually([&] { return usage_counts(c) == want; }));
}

TEST_CASE("usage store: ?format=csv holds the JSON's rows") {
  stack_options o;
  o.admin = true;
  stack s(o);
  REQUIRE(s.v1("GET", v1 + "/Projects").status == 200);
  REQUIRE(s.v1("GET", v1 + "/Projects/NOSUCHPROJ01/Forms/F0RM1A2B3C4D/Data").status == 404);
  REQUIRE(s.v1_as(admin_user, admin_password, "GET", v1 + "/Forms").status == 200);
  REQUIRE(s.v1_as(user, "wrong-pass", "GET", v1 + "/Projects").status == 401);
  const reply j = s.admin_get("/admin/usage");
  const reply c = s.admin_get("/admin/usage?format=csv");
  REQUIRE(j.status == 200);
  REQUIRE(c.status == 200);
  CHECK(c.header("content-type") == "text/csv; charset=utf-8");
  std::string expected = "user,method,count,errors,errors_4xx,errors_5xx,first_seen,last_seen\r\n";
  const json doc = json::parse(j.body);
  int rows = 0;
  for (const auto& client : doc["clients"])
    for (const auto& m : client["methods"]) {
      ++rows;
      expected += client["user"].get<std::string>() + "," + m["method"].get<std::string>() + "," +
                  std::to_string(m["count"].get<int>()) + "," + std::to_string(m["errors"].get<int>()) + "," +
                  std::to_string(m["errors_4xx"].get<int>()) + "," + std::to_string(m["errors_5xx"].get<int>()) + "," +
                  m["first_seen"].get<std::string>() + "," + m["last_seen"].get<std::string>() + "\r\n";
    }
  CHECK(rows == 4);
  CHECK(c.body == expected);
}
