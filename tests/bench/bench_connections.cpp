// What hostile connections cost pcbridge and the clients next to them, against the V2
// simulator. Prints:
//   - pcbridge's resident memory (VmRSS, sampled) while 40 clients upload 10 MiB bodies
//     without credentials (answered 401 from the head, bodies never buffered), and while 40
//     authenticated clients do (bounded by listen.max_buffered_body_bytes, the rest 503);
//   - a normal client's latency (new connection, one GET) with no other load, and with
//     max_connections keep-alive slowloris connections open: each sends one request, then
//     drips its next head a byte at a time and reconnects when cut off.
// Not a test: it prints figures and exits 0 unless the stack cannot start.
//   bench_connections [--connections 200] [--header-timeout-ms 2000] [--calls 10]
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "e2e/raw_client.hpp"
#include "e2e/seed.hpp"
#include "e2e/stack.hpp"

using namespace e2e;
using std::chrono::milliseconds;
using steady = std::chrono::steady_clock;

namespace {

struct settings {
  int connections = 200;
  int header_timeout_ms = 2000;
  int calls = 10;
};

settings parse_args(int argc, char** argv) {
  settings s;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string name = argv[i];
    const int value = std::atoi(argv[i + 1]);
    if (value <= 0) continue;
    if (name == "--connections") s.connections = value;
    if (name == "--header-timeout-ms") s.header_timeout_ms = value;
    if (name == "--calls") s.calls = value;
  }
  return s;
}

const std::string data_path = v1 + "/Projects/" + draft_project + "/Forms/" + form + "/Data";

std::string get_request(bool credentials) {
  return "GET " + v1 + "/Projects?limit=1 HTTP/1.1\r\nHost: x\r\n" +
         (credentials ? "Authorization: " + basic(user, password) + "\r\n" : std::string()) + "\r\n";
}

// 40 clients each sending a 10 MiB XML body at about 20 MiB/s; RSS sampled meanwhile.
void upload_memory(const stack& s, bool credentials, const char* label) {
  constexpr int clients = 40;
  constexpr std::size_t size = 10 * 1024 * 1024;
  const std::string piece(256 * 1024, '<');
  const long before = raw::rss_kib(s.proxy_pid());
  std::atomic<bool> done{false};
  std::atomic<int> statuses[6] = {};
  std::vector<std::thread> threads;
  for (int i = 0; i < clients; ++i)
    threads.emplace_back([&] {
      const int fd = raw::connect_to(s.proxy_port());
      if (fd < 0) return;
      std::string head = "POST " + data_path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/xml\r\n" +
                         "Content-Length: " + std::to_string(size) + "\r\n" +
                         (credentials ? "Authorization: " + basic(user, password) + "\r\n" : std::string()) + "\r\n";
      bool ok = raw::write_all(fd, head);
      for (std::size_t sent = 0; ok && sent < size; sent += piece.size()) {
        ok = raw::write_all(fd, piece);
        std::this_thread::sleep_for(milliseconds(12));
      }
      const raw::answer a = raw::read_one_answer(fd, milliseconds(30000));
      ++statuses[std::min(a.status / 100, 5)];
      ::close(fd);
    });
  long peak = before;
  std::thread sampler([&] {
    while (!done) {
      peak = std::max(peak, raw::rss_kib(s.proxy_pid()));
      std::this_thread::sleep_for(milliseconds(20));
    }
  });
  for (auto& t : threads) t.join();
  done = true;
  sampler.join();
  std::printf("  %-34s RSS before %6.1f MB, peak while in flight %6.1f MB (answers: %d 4xx, %d 5xx, %d none)\n",
              label, before / 1024.0, peak / 1024.0, statuses[4].load(), statuses[5].load(), statuses[0].load());
}

struct latency {
  long long median_ms = 0, max_ms = 0;
  int failed = 0;
};

latency normal_client(const stack& s, int calls) {
  std::vector<long long> took;
  latency out;
  for (int i = 0; i < calls; ++i) {
    const auto start = steady::now();
    const reply r = s.v1("GET", v1 + "/Projects?limit=1");
    took.push_back(std::chrono::duration_cast<milliseconds>(steady::now() - start).count());
    if (r.status != 200) ++out.failed;
  }
  std::sort(took.begin(), took.end());
  out.median_ms = took[took.size() / 2];
  out.max_ms = took.back();
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const settings cfg = parse_args(argc, argv);
  std::printf("bench_connections\n");
  {
    stack s;
    std::printf("memory, 40 clients uploading 10 MiB each (listen.max_buffered_body_bytes default 64 MiB):\n");
    upload_memory(s, false, "without credentials (401):");
    upload_memory(s, true, "with credentials (cap, then 503):");
  }

  stack_options o;
  o.listen_override = "listen: { address: 127.0.0.1, port: 0, max_connections: " + std::to_string(cfg.connections) +
                      ", header_timeout_ms: " + std::to_string(cfg.header_timeout_ms) + ", idle_timeout_ms: 60000 }\n";
  stack s(o);
  const latency quiet = normal_client(s, cfg.calls);

  std::atomic<bool> stop{false};
  std::atomic<long long> cut_off{0};
  std::vector<std::thread> attackers;
  for (int i = 0; i < cfg.connections; ++i)
    attackers.emplace_back([&] {
      const std::string request = get_request(true);
      while (!stop) {
        const int fd = raw::connect_to(s.proxy_port());
        if (fd < 0) return;
        if (raw::write_all(fd, request) && raw::read_one_answer(fd, milliseconds(60000)).status == 200) {
          // The next head, a byte every 500 ms, until pcbridge closes the connection.
          for (std::size_t b = 0; !stop; b = (b + 1) % request.size()) {
            if (!raw::write_all(fd, request.substr(b, 1)) || raw::closed_within(fd, milliseconds(500))) {
              ++cut_off;
              break;
            }
          }
        }
        ::close(fd);
      }
    });
  std::this_thread::sleep_for(milliseconds(1500));  // all connected and dripping
  const latency loaded = normal_client(s, cfg.calls);
  stop = true;
  for (auto& t : attackers) t.join();

  std::printf("normal client, %d GETs on new connections (max_connections %d, header_timeout_ms %d, idle_timeout_ms 60000):\n",
              cfg.calls, cfg.connections, cfg.header_timeout_ms);
  std::printf("  no other load:                     median %5lld ms, max %5lld ms, %d failed\n", quiet.median_ms,
              quiet.max_ms, quiet.failed);
  std::printf("  %4d keep-alive slowloris conns:   median %5lld ms, max %5lld ms, %d failed (%lld slowloris cut off)\n",
              cfg.connections, loaded.median_ms, loaded.max_ms, loaded.failed, cut_off.load());
  return 0;
}
