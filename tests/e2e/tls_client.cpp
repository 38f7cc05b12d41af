#include "e2e/tls_client.hpp"

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <algorithm>
#include <cstdio>
#include <memory>

namespace e2e {

namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;

namespace {

cert_id id_of(X509* cert) {
  cert_id out;
  if (cert == nullptr) return out;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (X509_digest(cert, EVP_sha256(), digest, &length) == 1) {
    static constexpr char hex[] = "0123456789abcdef";
    for (unsigned int i = 0; i < length; ++i) {
      out.sha256.push_back(hex[digest[i] >> 4]);
      out.sha256.push_back(hex[digest[i] & 0x0f]);
    }
  }
  if (BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get_serialNumber(cert), nullptr)) {
    if (char* text = BN_bn2hex(bn)) {
      out.serial = text;
      OPENSSL_free(text);
    }
    BN_free(bn);
  }
  return out;
}

}  // namespace

tls_reply send_tls(int port, const std::string& ca_file, const std::string& method, const std::string& target,
                   const header_list& headers, const std::string& body) {
  tls_reply out;
  boost::asio::io_context io;
  ssl::context context(ssl::context::tls_client);
  beast::error_code ec;
  context.load_verify_file(ca_file, ec);
  if (ec) {
    out.error = "cannot load " + ca_file + ": " + ec.message();
    return out;
  }
  context.set_verify_mode(ssl::verify_peer);
  beast::ssl_stream<beast::tcp_stream> stream(io, context);
  stream.set_verify_callback(ssl::host_name_verification("127.0.0.1"));
  auto& tcp_layer = beast::get_lowest_layer(stream);
  tcp_layer.expires_after(std::chrono::seconds(30));
  tcp_layer.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)), ec);
  if (ec) {
    out.error = "connect: " + ec.message();
    return out;
  }
  stream.handshake(ssl::stream_base::client, ec);
  if (X509* peer = SSL_get_peer_certificate(stream.native_handle())) {
    out.peer = id_of(peer);
    X509_free(peer);
  }
  if (ec) {
    out.error = "handshake: " + ec.message();
    return out;
  }
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers) req.set(name, value);
  req.body() = body;
  if (!body.empty() || method == "POST") req.prepare_payload();
  http::write(stream, req, ec);
  if (ec) {
    out.error = "write: " + ec.message();
    return out;
  }
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  http::read(stream, buffer, parser, ec);
  if (ec) {
    out.error = "read: " + ec.message();
    return out;
  }
  auto res = parser.release();
  out.r.status = res.result_int();
  for (const auto& field : res) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    out.r.headers[name] = std::string(field.value());
  }
  out.r.body = res.body();
  tcp_layer.expires_after(std::chrono::seconds(2));
  stream.shutdown(ec);  // the server's close_notify; a failure here changes nothing for the test
  return out;
}

cert_id certificate_file_id(const std::string& pem_file) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(pem_file.c_str(), "r"), &std::fclose);
  if (!file) return {};
  X509* cert = PEM_read_X509(file.get(), nullptr, nullptr, nullptr);
  cert_id out = id_of(cert);
  X509_free(cert);
  return out;
}

}  // namespace e2e
