#pragma once
// Shared coroutine vocabulary: every async call on the request path is awaited with
// `use_tuple`, so errors come back as values (no exceptions on the request path).
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace pcbridge::proxy {

namespace asio = boost::asio;
template <class T = void>
using awaitable = asio::awaitable<T>;
inline constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

}  // namespace pcbridge::proxy
