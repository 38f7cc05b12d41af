#include "tools/sim/sim_recorder.hpp"

namespace pcbridge::sim {

std::size_t request_recorder::record(const sim_request& req) {
  if (entries_.size() == max_entries) {
    entries_.pop_front();
    ++first_handle_;
  }
  entry e;
  e.method = req.method;
  e.target = req.target;
  for (const auto& [name, value] : req.headers.fields()) e.headers.emplace_back(to_lower(name), value);
  e.body = req.body.substr(0, max_body_bytes);
  e.body_size = req.body.size();
  entries_.push_back(std::move(e));
  return first_handle_ + entries_.size() - 1;
}

void request_recorder::set_outcome(std::size_t handle, const sim_response& resp) {
  if (handle < first_handle_ || handle - first_handle_ >= entries_.size()) return;
  auto& e = entries_[handle - first_handle_];
  e.status = resp.status;
  e.dropped = resp.drop_connection;
}

json request_recorder::to_json() const {
  json list = json::array();
  for (const auto& e : entries_) {
    json headers = json::object();
    // A repeated header is joined with ", " (RFC 9110 §5.3).
    for (const auto& [name, value] : e.headers) {
      if (headers.contains(name)) {
        headers[name] = headers[name].get<std::string>() + ", " + value;
      } else {
        headers[name] = value;
      }
    }
    json j;
    j["method"] = e.method;
    j["target"] = e.target;
    j["headers"] = std::move(headers);
    j["body"] = e.body;
    j["body_size"] = e.body_size;
    j["status"] = e.status;
    j["dropped"] = e.dropped;
    list.push_back(std::move(j));
  }
  return list;
}

std::size_t request_recorder::clear() {
  const auto n = entries_.size();
  first_handle_ += n;
  entries_.clear();
  return n;
}

}  // namespace pcbridge::sim
