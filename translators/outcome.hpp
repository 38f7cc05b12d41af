#pragma once
// A value or a typed failure: the request path reports errors with this, never with
// exceptions. `failure::status` is the HTTP status the V1 client will see.
#include <string>
#include <utility>
#include <variant>

namespace pcbridge::translators {

struct failure {
  int status = 500;     // HTTP status for the V1 client (400, 404, 501, 502, ...)
  std::string message;  // safe to show: never holds secrets
};

template <class T>
class outcome {
 public:
  outcome(T value) : v_(std::move(value)) {}
  outcome(failure f) : v_(std::move(f)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const failure& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, failure> v_;
};

}  // namespace pcbridge::translators
