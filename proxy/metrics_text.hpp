#pragma once
// The Prometheus text exposition format 0.0.4 pieces metrics.cpp renders with: histograms
// (bucket counts kept per slot, made cumulative when rendered), samples with escaped label
// values, numbers in their shortest round-trip form.
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pcbridge::proxy::metrics_text {

// Cumulative buckets as Prometheus wants them are computed when rendering; here each
// slot counts the observations that fall in (previous bound, bound], the last slot +Inf.
struct histogram {
  explicit histogram(std::vector<double> b) : bounds(std::move(b)), counts(bounds.size() + 1, 0) {}

  void observe(double v) {
    if (std::isnan(v)) return;
    if (v < 0) v = 0;  // a steady clock never goes back; guards against caller mix-ups
    std::size_t i = 0;
    while (i < bounds.size() && v > bounds[i]) ++i;
    ++counts[i];
    sum += v;
    ++count;
  }

  std::vector<double> bounds;
  std::vector<std::uint64_t> counts;
  double sum = 0;
  std::uint64_t count = 0;
};

using label = std::pair<std::string_view, std::string_view>;

void append_escaped(std::string& out, std::string_view value);
void append_number(std::string& out, std::uint64_t v);
void append_number(std::string& out, double v);
// "# HELP name help\n# TYPE name type\n"; `help` is constant text (nothing to escape).
void append_family(std::string& out, std::string_view name, std::string_view type, std::string_view help);
void append_sample(std::string& out, std::string_view name, std::span<const label> labels, std::uint64_t value);
void append_sample(std::string& out, std::string_view name, std::span<const label> labels, double value);
template <class Value>
void append_sample(std::string& out, std::string_view name, std::initializer_list<label> labels, Value value) {
  append_sample(out, name, std::span<const label>(labels.begin(), labels.size()), value);
}
// name_bucket{labels...,le} (cumulative), name_sum{labels}, name_count{labels}.
void append_histogram(std::string& out, std::string_view name, const histogram& h, std::span<const label> labels = {});

}  // namespace pcbridge::proxy::metrics_text
