// The doctest runtime without its main(): the e2e harness the benchmarks link reports through
// doctest (a sanitizer report in a child's output), and the benchmarks have their own main().
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>
