#pragma once
// Watches a client connection while the server is not reading or writing it (its request
// queued for quota, waiting for upstream) and calls connection_events::on_disconnect when
// the client is gone, so a queued call of a client that left is never sent.
//
// Gone means: the connection was reset (RST, any socket error), or the client closed it
// whole. A client that only shut down its write side after a complete request (half-close)
// is not gone and still gets its answer. An end of input (FIN) alone cannot tell the two
// apart, so, once the request is complete, the watch then writes one interim
// "100 Continue" (HTTP/1.1 clients must accept unsolicited 1xx answers, RFC 9110 §15.2): a
// half-closed client reads past it; a closed socket answers it with a reset, seen here.
// Internal to http_server.cpp.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include <chrono>
#include <memory>

#include "proxy/http_wire.hpp"

namespace pcbridge::proxy::wire {

enum class peer_state { open, input_ended, reset };

// From the kernel's view of the connection, without consuming input.
inline peer_state peer_of(int fd) {
  tcp_info info{};
  socklen_t length = sizeof info;
  if (::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &length) != 0) return peer_state::reset;
  int error = 0;
  socklen_t error_length = sizeof error;
  if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &error_length) == 0 && error != 0) return peer_state::reset;
  switch (info.tcpi_state) {
    case TCP_ESTABLISHED: return peer_state::open;
    case TCP_CLOSE_WAIT: return peer_state::input_ended;
    default: return peer_state::reset;  // TCP_CLOSE after a reset; nothing else while we hold it open
  }
}

template <class Stream>
class client_watch {
 public:
  // `may_probe`: the request was read whole and the client speaks HTTP/1.1.
  client_watch(Stream& stream, connection_events& events, bool may_probe)
      : stream_(stream), events_(events), may_probe_(may_probe), state_(std::make_shared<shared>(stream.get_executor())) {}
  client_watch(const client_watch&) = delete;
  client_watch& operator=(const client_watch&) = delete;

  void start() { asio::co_spawn(stream_.get_executor(), run(state_), asio::detached); }

  // Ends the watch; returns once it no longer touches the stream (an interim answer it
  // was writing is complete), so the caller may read or write it. Idempotent.
  awaitable<void> stop() {
    state_->active = false;
    if (state_->finished) co_return;
    if (!state_->writing) {  // an interim answer is never cut in half
      beast::error_code ignored;
      lowest(stream_).socket().cancel(ignored);
    }
    state_->poll.cancel();
    while (!state_->finished) {
      state_->done.expires_at(asio::steady_timer::time_point::max());
      co_await state_->done.async_wait(use_tuple);
    }
  }

 private:
  struct shared {
    explicit shared(const asio::any_io_executor& ex) : poll(ex), done(ex) {}
    bool active = true;
    bool finished = false;
    bool writing = false;
    asio::steady_timer poll;
    asio::steady_timer done;
  };

  // Waits for the socket to turn readable (input, end of input or reset); after that it
  // stays readable, so the state is polled.
  awaitable<void> run(std::shared_ptr<shared> state) {
    constexpr auto poll_interval = std::chrono::milliseconds(100);
    auto& socket = lowest(stream_).socket();
    bool readable = false;
    bool probed = false;
    while (state->active) {
      if (!readable) {
        co_await socket.async_wait(asio::ip::tcp::socket::wait_read, use_tuple);
        if (!state->active) break;
        readable = true;
      } else {
        state->poll.expires_after(poll_interval);
        co_await state->poll.async_wait(use_tuple);
        if (!state->active) break;
      }
      const peer_state peer = peer_of(socket.native_handle());
      if (peer == peer_state::input_ended && may_probe_ && !probed) {
        probed = true;
        static constexpr std::string_view probe = "HTTP/1.1 100 Continue\r\n\r\n";
        lowest(stream_).expires_after(std::chrono::seconds(5));
        state->writing = true;
        auto [ec, n] = co_await asio::async_write(stream_, asio::buffer(probe.data(), probe.size()), use_tuple);
        state->writing = false;
        if (!ec || !state->active) continue;
      } else if (peer != peer_state::reset) {
        continue;
      }
      if (events_.on_disconnect) events_.on_disconnect();
      break;
    }
    state->finished = true;
    state->done.cancel();
  }

  Stream& stream_;
  connection_events& events_;
  bool may_probe_;
  std::shared_ptr<shared> state_;
};

}  // namespace pcbridge::proxy::wire
