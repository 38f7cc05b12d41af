#include "proxy/http_tls.hpp"

#include <stdexcept>

namespace pcbridge::proxy {

namespace ssl = boost::asio::ssl;

std::shared_ptr<ssl::context> make_server_tls(const std::string& cert_file, const std::string& key_file) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                       ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
  boost::system::error_code ec;
  context->use_certificate_chain_file(cert_file, ec);
  if (ec) throw std::runtime_error("cannot use listen.tls.cert_file " + cert_file + ": " + ec.message());
  context->use_private_key_file(key_file, ssl::context::pem, ec);
  if (ec) throw std::runtime_error("cannot use listen.tls.key_file " + key_file + ": " + ec.message());
  return context;
}

}  // namespace pcbridge::proxy
