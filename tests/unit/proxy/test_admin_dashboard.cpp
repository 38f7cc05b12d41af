// The dashboard page on the admin listener (proxy/admin_dashboard.hpp) and /admin/status's
// access rule (admin_handler.hpp).
#include <doctest/doctest.h>

#include <openssl/sha.h>

#include <fstream>
#include <sstream>
#include <string>

#include "proxy/admin_dashboard.hpp"
#include "proxy/admin_handler.hpp"

using namespace pcbridge::proxy;

namespace {

std::string source_file(const std::string& relative) {
  std::ifstream in(std::string(PCBRIDGE_SOURCE_DIR) + "/" + relative, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

struct dashboard_fixture {
  metrics stats;
  usage_report usage;
  admin_sources sources{stats, usage, {}, {}, [] { return std::string(R"({"status":"document"})"); }};

  string_response get(const std::string& target, const char* authorization = nullptr,
                      http::verb verb = http::verb::get) {
    string_request req{verb, target, 11};
    req.set(http::field::host, "localhost");
    if (authorization != nullptr) req.set(http::field::authorization, authorization);
    return handle_admin(req, sources).response;
  }
};

std::array<unsigned char, 32> digest_of(std::string_view text) {
  std::array<unsigned char, 32> out{};
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), out.data());
  return out;
}

}  // namespace

TEST_CASE("dashboard: /, /dashboard.css and /dashboard.js are the files of proxy/dashboard, embedded") {
  dashboard_fixture f;
  struct expected {
    const char* path;
    const char* file;
    const char* type;
  };
  for (const expected e : {expected{"/", "proxy/dashboard/index.html", "text/html; charset=utf-8"},
                           expected{"/dashboard.css", "proxy/dashboard/dashboard.css", "text/css; charset=utf-8"},
                           expected{"/dashboard.js", "proxy/dashboard/dashboard.js", "text/javascript; charset=utf-8"}}) {
    CAPTURE(e.path);
    const std::string file = source_file(e.file);
    REQUIRE(file.size() > 500);
    auto res = f.get(e.path);
    CHECK(res.result_int() == 200);
    CHECK(res[http::field::content_type] == e.type);
    CHECK(res.body() == file);  // the build embeds the files as they are
    CHECK(res[http::field::cache_control] == "no-store");
    CHECK(res["Content-Security-Policy"] == dashboard_csp);
    CHECK(res["X-Content-Type-Options"] == "nosniff");
    auto head = f.get(e.path, nullptr, http::verb::head);
    CHECK(head.result_int() == 200);
    CHECK(head.body().empty());
    CHECK(head[http::field::content_length] == std::to_string(file.size()));
    CHECK(f.get(e.path, nullptr, http::verb::post).result_int() == 405);
  }
  CHECK(f.get("/?refresh=1").body() == source_file("proxy/dashboard/index.html"));
  CHECK(find_dashboard_asset("/index.html") == nullptr);
  CHECK(find_dashboard_asset("/dashboard.js/") == nullptr);
  CHECK(embedded_dashboard_file("nope.txt").empty());
}

TEST_CASE("dashboard: the page loads nothing from elsewhere and sends the token as a header only") {
  const std::string html = source_file("proxy/dashboard/index.html");
  const std::string js = source_file("proxy/dashboard/dashboard.js");
  const std::string css = source_file("proxy/dashboard/dashboard.css");
  for (const std::string* page : {&html, &js, &css}) {
    std::string text = *page;
    // The SVG namespace name is an identifier, not a fetch.
    const std::string svg_namespace = "http://www.w3.org/2000/svg";
    for (auto at = text.find(svg_namespace); at != std::string::npos; at = text.find(svg_namespace))
      text.erase(at, svg_namespace.size());
    CHECK(text.find("http://") == std::string::npos);   // no CDN, no external fetch
    CHECK(text.find("https://") == std::string::npos);
    CHECK(text.find("//cdn") == std::string::npos);
    CHECK(text.find("@import") == std::string::npos);
  }
  CHECK(html.find("<script src=\"/dashboard.js\"") != std::string::npos);
  CHECK(html.find("<script>") == std::string::npos);  // no inline script (the CSP forbids it)
  CHECK(js.find("\"Authorization\"] = \"Bearer \" + token()") != std::string::npos);
  CHECK(js.find("sessionStorage") != std::string::npos);
  CHECK(js.find("innerHTML") == std::string::npos);  // client names are set as text
  CHECK(dashboard_csp.find("connect-src 'self'") != std::string_view::npos);
  CHECK(dashboard_csp.find("script-src 'self'") != std::string_view::npos);
}

TEST_CASE("dashboard: with an admin token the page is served, its data needs the token") {
  dashboard_fixture f;
  f.sources.access.token_sha256 = digest_of("dash-admin-token-0123");
  f.sources.access.loopback = false;
  CHECK(f.get("/").result_int() == 200);  // no data in it: it asks for the token
  CHECK(f.get("/dashboard.js").result_int() == 200);
  auto refused = f.get("/admin/status");
  CHECK(refused.result_int() == 401);
  CHECK(refused[http::field::www_authenticate] == "Bearer realm=\"pcbridge admin\"");
  CHECK(refused.body().find("document") == std::string::npos);
  CHECK(f.get("/admin/status", "Bearer dash-admin-token-0124").result_int() == 401);
  auto served = f.get("/admin/status", "Bearer dash-admin-token-0123");
  CHECK(served.result_int() == 200);
  CHECK(served[http::field::content_type] == "application/json");
  CHECK(served.body() == R"({"status":"document"})");
}

TEST_CASE("dashboard: without a token, /admin/status is refused off loopback (it names clients); the page is not") {
  dashboard_fixture f;
  CHECK(f.get("/admin/status").result_int() == 200);  // loopback, no token: open
  f.sources.access.loopback = false;
  auto refused = f.get("/admin/status");
  CHECK(refused.result_int() == 403);
  CHECK(refused.body().find("document") == std::string::npos);
  CHECK(f.get("/").result_int() == 200);
  admin_sources no_status{f.stats, f.usage, {}};
  string_request req{http::verb::get, "/admin/status", 11};
  CHECK(handle_admin(req, no_status).response.body() == "{}");
}
