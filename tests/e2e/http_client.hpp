#pragma once
// A blocking HTTP/1.1 client for the end-to-end tests (one connection per call).
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace e2e {

struct reply {
  int status = 0;                               // 0: the connection failed
  std::map<std::string, std::string> headers;   // lower-case names
  std::string body;
  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

using header_list = std::vector<std::pair<std::string, std::string>>;

reply send(int port, const std::string& method, const std::string& target, const header_list& headers = {},
           const std::string& body = {});

std::string basic(const std::string& user, const std::string& password);

}  // namespace e2e
