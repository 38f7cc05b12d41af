// Issue 8 item 13: a user name with a newline forged a whole access line in the text format.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include <boost/asio/io_context.hpp>

#include "proxy/access_log.hpp"
#include "proxy/access_log_flush.hpp"

using namespace pcbridge::proxy;

namespace {
access_record record_for(std::string user) {
  access_record r;
  r.request_id = "0123456789abcdef";
  r.http_method = "GET";
  r.path = "/Services.svc/v1/Programs";
  r.v1_method = "GetPrograms";
  r.user = std::move(user);
  r.status = 401;
  r.duration = std::chrono::milliseconds(3);
  r.note = "bad_credentials";
  return r;
}
}  // namespace

TEST_CASE("text access line: plain fields as they are") {
  CHECK(access_text_line(record_for("legacy-user"), "T") ==
        "T access rid=0123456789abcdef GET /Services.svc/v1/Programs v1_method=GetPrograms user=legacy-user "
        "status=401 upstream_status=0 upstream_calls=0 duration_ms=3 client=- bytes_in=0 bytes_out=0 ua=- "
        "note=bad_credentials");
}

TEST_CASE("text access line: a user name cannot end the line or fake fields") {
  const std::string forged =
      "x status=200\n2026-12-01T00:00:00.000Z access rid=1 GET / v1_method=GetPrograms user=admin status=200";
  const std::string line = access_text_line(record_for(forged), "T");
  CHECK(line.find('\n') == std::string::npos);
  CHECK(line ==
        "T access rid=0123456789abcdef GET /Services.svc/v1/Programs v1_method=GetPrograms "
        "user=\"x status=200\\n2026-12-01T00:00:00.000Z access rid=1 GET / v1_method=GetPrograms user=admin "
        "status=200\" status=401 upstream_status=0 upstream_calls=0 duration_ms=3 client=- bytes_in=0 bytes_out=0 ua=- "
        "note=bad_credentials");
}

TEST_CASE("text log fields: quotes, backslashes, controls, empty") {
  CHECK(log_field("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(log_field("a\r\tb\x01\x7f") == "\"a\\r\\tb\\x01\\x7f\"");
  CHECK(log_field("") == "\"\"");
  CHECK(log_field("caf\xc3\xa9") == "caf\xc3\xa9");  // UTF-8 names stay readable
  CHECK(log_field("k=v") == "\"k=v\"");
}

namespace {

// A logger writing to a temporary file, and what the file holds so far.
struct file_sink {
  std::string path = std::filesystem::temp_directory_path().string() + "/pcbridge-log-test-" +
                     std::to_string(::getpid()) + ".log";
  int fd = ::open(path.c_str(), O_CREAT | O_TRUNC | O_WRONLY | O_APPEND, 0600);
  ~file_sink() {
    ::close(fd);
    std::filesystem::remove(path);
  }
  std::string text() const {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
  }
};

pcbridge::config::log_config settings(bool access, pcbridge::config::log_config::level_kind level,
                                      pcbridge::config::log_config::format_kind format =
                                          pcbridge::config::log_config::format_kind::text) {
  pcbridge::config::log_config c;
  c.access = access;
  c.level = level;
  c.format = format;
  return c;
}

using level = pcbridge::config::log_config::level_kind;

}  // namespace

TEST_CASE("text access line: client address, bytes in and out and the user agent") {
  access_record r = record_for("legacy-user");
  r.client = "127.0.0.1:50312";
  r.bytes_in = 120;
  r.bytes_out = 5934;
  r.user_agent = "Mozilla/4.0 (compatible; MSIE 6.0; MS Web Services Client Protocol 4.0.30319.42000)";
  CHECK(access_text_line(r, "T") ==
        "T access rid=0123456789abcdef GET /Services.svc/v1/Programs v1_method=GetPrograms user=legacy-user "
        "status=401 upstream_status=0 upstream_calls=0 duration_ms=3 client=127.0.0.1:50312 bytes_in=120 "
        "bytes_out=5934 ua=\"Mozilla/4.0 (compatible; MSIE 6.0; MS Web Services Client Protocol 4.0.30319.42000)\" "
        "note=bad_credentials");
}

TEST_CASE("access log: buffered, written at flush(), before any other line, at size and on destruction") {
  file_sink sink;
  {
    logger log(settings(true, level::info), sink.fd);
    log.access(record_for("a"));
    log.access(record_for("b"));
    CHECK(sink.text().empty());  // queued, no write(2) per request
    CHECK(log.pending_bytes() > 0);
    log.flush();
    const std::string two = sink.text();
    CHECK(std::count(two.begin(), two.end(), '\n') == 2);
    CHECK(two.find(" user=a ") < two.find(" user=b "));
    CHECK(log.pending_bytes() == 0);

    log.access(record_for("c"));
    log.warn("something odd");  // the queued line goes out first, then the warning
    const std::string more = sink.text();
    CHECK(more.find(" user=c ") < more.find(" warn something odd"));
    CHECK(log.pending_bytes() == 0);

    // At flush_bytes the buffer is written without waiting for the timer.
    const std::size_t before = sink.text().size();
    std::size_t queued = 0;
    while (sink.text().size() == before) {
      REQUIRE(queued < 10000);  // bounded
      log.access(record_for("bulk"));
      ++queued;
    }
    CHECK(sink.text().size() - before >= logger::flush_bytes);
    log.access(record_for("last-before-exit"));
  }
  // Destroying the logger (the gateway stopping) writes what was still queued.
  CHECK(sink.text().find(" user=last-before-exit ") != std::string::npos);
}

TEST_CASE("access log: log.access is its own switch, independent of log.level") {
  {
    file_sink sink;
    logger log(settings(true, level::error), sink.fd);  // warn/info dropped, access kept
    log.access(record_for("kept"));
    log.info("dropped info");
    log.warn("dropped warn");
    log.flush();
    CHECK(sink.text().find(" user=kept ") != std::string::npos);
    CHECK(sink.text().find("dropped") == std::string::npos);
  }
  {
    file_sink sink;
    logger log(settings(false, level::debug), sink.fd);  // everything but access lines
    log.access(record_for("dropped"));
    log.debug("routing said something");
    log.flush();
    CHECK(sink.text().find("access") == std::string::npos);
    CHECK(sink.text().find(" debug routing said something\n") != std::string::npos);
    CHECK(log.debug_enabled());
    CHECK_FALSE(logger(settings(true, level::info), sink.fd).debug_enabled());
  }
}

TEST_CASE("access log: the JSON line carries client, bytes and user agent") {
  file_sink sink;
  logger log(settings(true, level::warn, pcbridge::config::log_config::format_kind::json), sink.fd);
  access_record r = record_for("u");
  r.client = "127.0.0.1:1";
  r.bytes_in = 7;
  r.bytes_out = 9;
  log.access(r);
  log.flush();
  std::string text = sink.text();
  REQUIRE(!text.empty());
  text.pop_back();
  const auto j = nlohmann::json::parse(text);
  CHECK(j["event"] == "access");
  CHECK(j["client"] == "127.0.0.1:1");
  CHECK(j["bytes_in"] == 7);
  CHECK(j["bytes_out"] == 9);
  CHECK(j["user_agent"] == "-");
}

TEST_CASE("access log: the owner is asked once per batch to schedule a flush") {
  file_sink sink;
  logger log(settings(true, level::info), sink.fd);
  int scheduled = 0;
  log.on_pending([&] { ++scheduled; });
  log.access(record_for("a"));
  log.access(record_for("b"));  // joins the batch already scheduled
  CHECK(scheduled == 1);
  CHECK(sink.text().empty());
  log.flush();  // what the scheduled flush does
  const std::string text = sink.text();
  CHECK(std::count(text.begin(), text.end(), '\n') == 2);
  log.access(record_for("c"));
  CHECK(scheduled == 2);  // a new batch
}

TEST_CASE("access log flusher: a batch goes out when its timer fires; what is left, when the flusher goes") {
  file_sink sink;
  auto cfg = settings(true, level::info);
  cfg.flush_interval_ms = 5;
  logger log(cfg, sink.fd);
  boost::asio::io_context io;
  {
    access_log_flusher flusher(io.get_executor(), log);
    log.access(record_for("a"));
    log.access(record_for("b"));
    io.poll();  // the timer has not fired yet: nothing written
    CHECK(sink.text().empty());
    CHECK(io.run_one() == 1);  // the one timer the batch armed: runs when it fires
    const std::string two = sink.text();
    CHECK(std::count(two.begin(), two.end(), '\n') == 2);
    CHECK(two.find(" user=a ") < two.find(" user=b "));
    CHECK(io.stopped());  // nothing else was armed for those two lines

    io.restart();
    log.access(record_for("c"));  // a new batch arms the timer again
    CHECK(io.run_one() == 1);
    CHECK(sink.text().find(" user=c ") != std::string::npos);

    io.restart();
    log.access(record_for("left-at-stop"));  // the loop stops before its timer fires
  }
  CHECK(sink.text().find(" user=left-at-stop ") != std::string::npos);
  log.access(record_for("after"));  // the flusher unhooked itself: no callback into a dead object
  CHECK(log.pending_bytes() > 0);
}
