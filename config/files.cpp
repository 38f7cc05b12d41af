#include "config/files.hpp"

#include <openssl/crypto.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace pcbridge::config::detail {
namespace {

struct file_closer {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using file_ptr = std::unique_ptr<std::FILE, file_closer>;

file_ptr open_for_reading(const std::filesystem::path& path, std::string& error) {
  errno = 0;
  file_ptr file(std::fopen(path.c_str(), "rb"));
  if (!file) error = std::strerror(errno != 0 ? errno : ENOENT);
  return file;
}

std::string read_error() { return std::strerror(errno != 0 ? errno : EIO); }

}  // namespace

std::optional<std::string> read_small_file(const std::filesystem::path& path, std::size_t limit,
                                           std::string& error) {
  file_ptr file = open_for_reading(path, error);
  if (!file) return std::nullopt;
  std::string content(limit + 1, '\0');
  errno = 0;
  const std::size_t n = std::fread(content.data(), 1, content.size(), file.get());
  if (std::ferror(file.get())) {
    error = read_error();
    OPENSSL_cleanse(content.data(), content.size());  // may hold part of a secret
    return std::nullopt;
  }
  content.resize(n);
  return content;
}

bool file_is_readable(const std::filesystem::path& path, std::string& error) {
  file_ptr file = open_for_reading(path, error);
  if (!file) return false;
  errno = 0;
  std::fgetc(file.get());  // a directory opens but does not read (EISDIR)
  if (std::ferror(file.get())) {
    error = read_error();
    return false;
  }
  return true;
}

}  // namespace pcbridge::config::detail
