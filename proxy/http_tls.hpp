#pragma once
// The TLS context of a listener: TLS 1.2 or newer, certificate chain and key from PEM
// files. The proxy builds it at start-up and again on SIGHUP (certificate rotation); the
// simulator uses it to play an HTTPS upstream in tests.
#include <boost/asio/ssl/context.hpp>

#include <memory>
#include <string>

namespace pcbridge::proxy {

// Throws std::runtime_error naming the file that could not be used (never its content).
std::shared_ptr<boost::asio::ssl::context> make_server_tls(const std::string& cert_file, const std::string& key_file);

}  // namespace pcbridge::proxy
