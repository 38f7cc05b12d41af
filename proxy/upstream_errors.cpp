#include "proxy/upstream_errors.hpp"

#include "proxy/v1_answers.hpp"

namespace pcbridge::proxy {

void upstream_error_ring::add(upstream_error e, std::initializer_list<std::string_view> secrets) {
  ++total_;
  if (capacity_ == 0) return;
  e.message = scrub_secrets(std::move(e.message), secrets);
  for (char& c : e.message)
    if (c == '\r' || c == '\n' || c == '\t') c = ' ';
  if (e.message.size() > max_message_chars) {
    // Cut on a UTF-8 character boundary, after scrubbing: a secret cut in half is not matched.
    std::size_t cut = max_message_chars;
    while (cut > 0 && (static_cast<unsigned char>(e.message[cut]) & 0xC0) == 0x80) --cut;
    e.message.resize(cut);
    e.message += "...";
  }
  entries_.push_front(std::move(e));
  while (entries_.size() > capacity_) entries_.pop_back();
}

}  // namespace pcbridge::proxy
