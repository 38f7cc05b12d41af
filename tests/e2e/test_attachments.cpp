// Attachments through pcbridge: bytes streamed both ways unchanged, with Content-Type and
// Content-Disposition kept, for a file far larger than the XML body limit and without
// pcbridge holding it in memory.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "e2e/seed.hpp"
#include "e2e/stack.hpp"

using namespace e2e;

namespace {

const std::string project = "PRJ3D4R5F6T7";
const std::string attachment = "AT2SITEPLAN2";
const std::string v1_project = "/Services.svc/v1/Programs/" + program + "/Projects/" + project;
const std::string v2_project = "/services/v2/Programs/" + program + "/Projects/" + project;

// Deterministic bytes, every value 0..255 (a binary file, not text).
std::string make_file(std::size_t size) {
  std::string data(size, '\0');
  std::uint32_t x = 2463534242u;
  for (auto& c : data) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    c = static_cast<char>(x & 0xFF);
  }
  return data;
}

// Peak resident memory of a process, in KiB (VmHWM).
long peak_rss_kib(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

}  // namespace

TEST_CASE("attachments: a 24 MiB upload and download stream through byte for byte, headers kept") {
  stack s;
  const std::string file = make_file(24 * 1024 * 1024);  // above the 10 MiB XML body limit
  const std::string disposition = "attachment; filename=\"site plan.pdf\"";

  auto up = s.v1("POST", v1_project + "/Forms/" + form + "/Attachments/" + attachment, file,
                 {{"Content-Type", "application/pdf"}, {"Content-Disposition", disposition}});
  REQUIRE(up.status == 200);
  CHECK(up.header("content-type") == "application/xml; charset=utf-8");
  CHECK(up.body.find("FileName=\"site plan.pdf\"") != std::string::npos);
  CHECK(up.body.find("FileSize=\"" + std::to_string(file.size()) + "\"") != std::string::npos);

  auto api = s.sim_api_requests();
  REQUIRE(api.size() == 1);
  CHECK(api[0]["method"] == "POST");
  CHECK(api[0]["target"] == v2_project + "/Forms/" + form + "/Attachments/" + attachment);
  CHECK(api[0]["body_size"].get<std::size_t>() == file.size());
  CHECK(api[0]["headers"]["content-type"] == "application/pdf");
  CHECK(api[0]["headers"]["content-disposition"] == disposition);
  const std::string authorization = api[0]["headers"]["authorization"];
  CHECK(authorization.rfind("Bearer ", 0) == 0);

  auto down = s.v1("GET", v1_project + "/Attachments/" + attachment);
  REQUIRE(down.status == 200);
  CHECK(down.header("content-type") == "application/pdf");
  CHECK(down.header("content-disposition").find("site plan.pdf") != std::string::npos);
  CHECK(down.body.size() == file.size());
  CHECK(down.body == file);

  // Neither direction held the file: pcbridge's peak memory stays far below its size.
  const long peak = peak_rss_kib(s.proxy_pid());
  CAPTURE(peak);
  CHECK(peak > 0);
#if defined(__SANITIZE_ADDRESS__)
  MESSAGE("AddressSanitizer build: its shadow memory makes pcbridge's peak RSS meaningless here");
#else
  CHECK(peak < 16 * 1024);
#endif
}

TEST_CASE("attachments: an upload larger than the XML body limit is not refused with 413") {
  stack s;
  // XML bodies are limited (listen.max_body_bytes, 10 MiB by default); attachments are not.
  const std::string file = make_file(11 * 1024 * 1024);
  auto up = s.v1("POST", v1_project + "/Forms/" + form + "/Attachments/" + attachment, file,
                 {{"Content-Type", "application/octet-stream"}});
  CHECK(up.status == 200);
  auto big_xml = s.v1("POST", v1_project + "/Forms/" + form + "/Data", std::string(11 * 1024 * 1024, ' '));
  CHECK(big_xml.status == 413);
}

TEST_CASE("attachments: upstream errors on download come back as V1 errors") {
  stack s;
  auto r = s.v1("GET", v1_project + "/Attachments/NOSUCHATTACH");
  CHECK(r.status == 404);
  CHECK(r.body.find("<Error xmlns=\"http://service.powerclerk.com/api/v1/\" Status=\"404\"") != std::string::npos);
}

TEST_CASE("attachments: bad credentials on an upload are refused before any byte goes upstream") {
  stack s;
  auto r = s.v1_as(user, "wrong", "POST", v1_project + "/Forms/" + form + "/Attachments/" + attachment,
                   make_file(1024 * 1024), {{"Content-Type", "application/pdf"}});
  CHECK(r.status == 401);
  CHECK(s.sim_requests().empty());
}
