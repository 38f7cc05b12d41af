#pragma once
// A blocking HTTPS/1.1 client for the end-to-end tests (one connection per call), and the
// identity of a PEM certificate, so a test can tell which certificate a server presented.
#include <string>

#include "e2e/http_client.hpp"

namespace e2e {

// A certificate named by what cannot be forged by accident: its DER SHA-256 and serial.
struct cert_id {
  std::string sha256;  // lower-case hex of SHA-256 over the DER encoding
  std::string serial;  // upper-case hex of the serial number (OpenSSL's BN_bn2hex)
  bool operator==(const cert_id&) const = default;
};

struct tls_reply {
  reply r;             // status 0 when the connection, handshake or exchange failed
  std::string error;   // why it failed ("" on success)
  cert_id peer;        // the certificate the server presented (empty when no handshake)
};

// One request to https://127.0.0.1:port, trusting only the certificates in `ca_file` (PEM)
// and checking that the server certificate is issued for the IP address 127.0.0.1.
tls_reply send_tls(int port, const std::string& ca_file, const std::string& method, const std::string& target,
                   const header_list& headers = {}, const std::string& body = {});

// The identity of the first certificate in a PEM file; empty fields when it cannot be read.
cert_id certificate_file_id(const std::string& pem_file);

}  // namespace e2e
