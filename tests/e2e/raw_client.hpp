#pragma once
// Raw-socket HTTP for the tests that need what a normal client does not do: reset a
// connection, half-close it, drip bytes, read the exact bytes of an answer.
#include <chrono>
#include <string>

namespace e2e::raw {

int connect_to(int port);                                 // a blocking loopback socket
bool write_all(int fd, const std::string& bytes);         // false when the connection failed
void reset(int fd);                                       // close with SO_LINGER 0: the peer sees RST
void half_close(int fd);                                  // shutdown(SHUT_WR)
// Whether input (or its end) arrives on fd within `wait`.
bool readable_within(int fd, std::chrono::milliseconds wait);
// Everything fd delivers until the peer closes or `wait` passes (from the call).
std::string read_until_close(int fd, std::chrono::milliseconds wait);
// Whether the peer closed (end of input or reset) within `wait`, reading and dropping what comes.
bool closed_within(int fd, std::chrono::milliseconds wait);

// One answer, split at the head: status line + headers, and what follows.
struct answer {
  int status = 0;       // 0: no status line in the bytes
  std::string head;     // up to and including the blank line
  std::string rest;     // the bytes after the head
  std::string header(const std::string& lower_name) const;  // the first such header's value
};
answer parse_answer(const std::string& bytes);
// Reads exactly one answer with a Content-Length body (none for an answer to HEAD) from fd,
// keeping the connection: status 0 on a timeout or a close before it is whole.
answer read_one_answer(int fd, std::chrono::milliseconds wait, bool to_head = false);

// Resident memory of a process, in KiB (VmRSS from /proc); -1 when unknown.
long rss_kib(int pid);

}  // namespace e2e::raw
