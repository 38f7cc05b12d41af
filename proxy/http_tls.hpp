#pragma once
// The TLS context of the client-facing listener: TLS 1.2 or newer, certificate chain and
// key from PEM files. Built at start-up and again on SIGHUP (certificate rotation).
#include <boost/asio/ssl/context.hpp>

#include <memory>
#include <string>

#include "config/config.hpp"

namespace pcbridge::proxy {

// Throws std::runtime_error naming the file that could not be used (never its content).
std::shared_ptr<boost::asio::ssl::context> make_server_tls(const config::tls_files& files);

}  // namespace pcbridge::proxy
