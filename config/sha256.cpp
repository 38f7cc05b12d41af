#include <openssl/evp.h>

#include <stdexcept>

#include "config/config.hpp"

namespace pcbridge::config {

namespace {

// OpenSSL 3 looks EVP_sha256() up in its provider store, under locks, on every digest it is
// handed to; fetched once here, and with one context per thread reused, a digest of a user
// name costs the hash alone (every request hashes its Basic credentials, metrics its API key).
const EVP_MD* sha256_md() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

struct digest_context {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~digest_context() { EVP_MD_CTX_free(ctx); }
};

}  // namespace

std::array<unsigned char, 32> sha256(std::string_view text) {
  thread_local digest_context context;
  std::array<unsigned char, 32> digest{};
  unsigned int length = 0;
  const EVP_MD* md = sha256_md();
  if (md == nullptr || context.ctx == nullptr || EVP_DigestInit_ex2(context.ctx, md, nullptr) != 1 ||
      EVP_DigestUpdate(context.ctx, text.data(), text.size()) != 1 ||
      EVP_DigestFinal_ex(context.ctx, digest.data(), &length) != 1 || length != digest.size()) {
    // Only when libcrypto itself is broken (e.g. SHA-256 disabled by the provider config).
    throw std::runtime_error("OpenSSL SHA-256 failed");
  }
  return digest;
}

}  // namespace pcbridge::config
