// Separate compilation: the only translation unit that compiles Asio's and Beast's
// implementation. Every other file includes headers only (see CMakeLists.txt).
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
