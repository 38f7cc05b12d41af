#include <openssl/evp.h>

#include <stdexcept>

#include "config/config.hpp"

namespace pcbridge::config {

std::array<unsigned char, 32> sha256(const std::string& text) {
  std::array<unsigned char, 32> digest{};
  unsigned int length = 0;
  if (EVP_Digest(text.data(), text.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1 ||
      length != digest.size()) {
    // Only when libcrypto itself is broken (e.g. SHA-256 disabled by the provider config).
    throw std::runtime_error("OpenSSL SHA-256 failed");
  }
  return digest;
}

}  // namespace pcbridge::config
