// Upstream answer framing (proxy/upstream_framing.hpp read_answer) on an in-memory Beast
// test stream. Input: byte 0 holds the options: 0x01 HEAD request, 0x06 read size (whole,
// 1, 7 or 64 bytes per read), 0x08 end of stream after the bytes, 0x10 a 1 KiB body limit;
// the rest is what the upstream sends.
// Invariants: at end of stream the reader returns (never waits); a failure is broken,
// timeout or too_large with a detail; an answer is final (no interim status), within the
// body limit, bodiless for HEAD/204/304; a connection called reusable has nothing left in
// the buffer and, when the stream is drained too, its next answer is read exactly (a
// marker answer appended afterwards comes back whole: no desync); the reader's work
// (handlers run) is linear in the input.
#include <boost/asio/io_context.hpp>
#include <boost/beast/_experimental/test/stream.hpp>

#include <limits>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.hpp"
#include "proxy/upstream_framing.hpp"

using namespace pcbridge::proxy;
namespace beast = boost::beast;

namespace {

struct step {
  bool finished = false;
  framed_answer answer;
  std::size_t handlers = 0;
};

// Runs read_answer until it returns or waits for bytes that are not there (no clock).
step read_once(boost::asio::io_context& ioc, beast::test::stream& stream, beast::flat_buffer& buffer,
               const answer_options& options) {
  step out;
  boost::asio::co_spawn(
      ioc,
      [&]() -> awaitable<void> {
        out.answer = co_await read_answer(stream, buffer, options);
        out.finished = true;
      },
      boost::asio::detached);
  ioc.restart();
  while (!out.finished) {
    const std::size_t n = ioc.poll();
    if (n == 0) break;
    out.handlers += n;
  }
  return out;
}

void check_answer(const step& s, const answer_options& options) {
  const answer_framing& f = s.answer.framing;
  if (f.failure != upstream_failure::none) {
    FUZZ_CHECK(f.failure == upstream_failure::broken || f.failure == upstream_failure::timeout ||
               f.failure == upstream_failure::too_large);
    FUZZ_CHECK(!f.detail.empty());
    FUZZ_CHECK(!f.reusable);
    return;
  }
  const int status = s.answer.response.result_int();
  FUZZ_CHECK(!skipped_interim(status));
  FUZZ_CHECK(f.interim_skipped <= options.max_interim);
  FUZZ_CHECK(s.answer.response.body().size() <= options.body_limit);
  if (options.head_request || status == 204 || status == 304) FUZZ_CHECK(s.answer.response.body().empty());
  if (f.reusable) FUZZ_CHECK(status >= 200 && status <= 599);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const unsigned flags = data[0];
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  answer_options options;
  options.head_request = (flags & 0x01) != 0;
  if (flags & 0x10) options.body_limit = 1024;
  static constexpr std::size_t read_sizes[] = {std::numeric_limits<std::size_t>::max(), 1, 7, 64};
  const bool end_of_stream = (flags & 0x08) != 0;

  boost::asio::io_context ioc;
  beast::test::stream stream(ioc);
  stream.read_size(read_sizes[(flags >> 1) & 0x03]);
  stream.append(bytes);
  if (end_of_stream) stream.close_remote();
  beast::flat_buffer buffer;

  const step first = read_once(ioc, stream, buffer, options);
  FUZZ_CHECK(first.handlers <= 64 + 4 * size);
  if (end_of_stream) FUZZ_CHECK(first.finished);
  if (!first.finished) return 0;
  check_answer(first, options);
  if (!first.answer.framing.reusable) return 0;
  FUZZ_CHECK(buffer.size() == 0);
  // The pool drops idle connections that are readable; one with bytes still on the
  // stream is not reused, so only a drained one must frame the next answer exactly.
  if (end_of_stream || stream.buffer().size() != 0) return 0;

  const std::string marker = "HTTP/1.1 209 Marker\r\nContent-Length: 6\r\n\r\nMARKER";
  stream.append(marker);
  stream.close_remote();
  const step second = read_once(ioc, stream, buffer, answer_options{});
  FUZZ_CHECK(second.finished);
  FUZZ_CHECK(second.answer.framing.failure == upstream_failure::none);
  FUZZ_CHECK(second.answer.response.result_int() == 209);
  FUZZ_CHECK(second.answer.response.body() == "MARKER");
  return 0;
}
