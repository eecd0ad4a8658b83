// Scattering1D's options (docs/scattering-options.md §1): averaging local / global / none, T not a
// power of two, stride; parity with every 1D case of ../shared/reference/kymatio/v04-more, the
// check values of the shared specification (../shared/docs/scattering-options.md §1.10), the
// per-path layout, and the errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "test_support.hpp"
#include "wst/support/error.hpp"
#include "wst/io/npy.hpp"
#include "wst/core/scattering_1d.hpp"

namespace wst {
namespace {

using test::rel_error;

const ExecOptions kFast{1, Planning::estimate};
constexpr std::size_t kN = 2048;  // the v04-more 1D cases: J = 6, Q = 8, N_in = 2048

std::string more(const std::string& name) { return test::kymatio_ref("v04-more/" + name); }

// Prints a parity figure (ctest --verbose shows it; docs/PARITY.md records it) and returns it.
double report(const std::string& what, double err) {
  std::printf("[parity] %-52s %.2e\n", what.c_str(), err);
  return err;
}

Scattering1DOptions with(Averaging1D a, double T = 0, std::size_t stride = 0) {
  return Scattering1DOptions{.averaging = a, .T = T, .stride = stride, .Q = {8, 1}};
}

// The output of S on the v04-more input (2, 2048), in double and float.
template <class Real>
std::vector<double> run(const Scattering1DOptions& o, const std::vector<double>& x) {
  const BasicScattering1D<Real> S(6, kN, o, kFast);
  const std::vector<Real> xr(x.begin(), x.end());
  std::vector<Real> out(2 * S.output_size());
  S(xr.data(), 2, out.data());
  return {out.begin(), out.end()};
}

// Largest over paths of max|Δ|/max|ref| within the path; `out` is (2, Σ lengths) in S's layout,
// `ref` (2, C, L) for uniform lengths.
double per_path_error(const Scattering1D& S, const std::vector<double>& out,
                      const std::vector<double>& ref) {
  double worst = 0;
  for (std::size_t c = 0; c < S.channels(); ++c) {
    double num = 0, den = 0;
    for (std::size_t b = 0; b < 2; ++b)
      for (std::size_t i = 0; i < S.output_length(c); ++i) {
        const std::size_t k = b * S.output_size() + S.output_offset(c) + i;
        num = std::max(num, std::abs(out[k] - ref[k]));
        den = std::max(den, std::abs(ref[k]));
      }
    worst = std::max(worst, num / den);
  }
  return worst;
}

// ---- parity with Kymatio 0.4 (v04-more) ------------------------------------------------------

void expect_uniform_parity(const std::string& name, const Scattering1DOptions& o, std::size_t L) {
  const auto x = read_npy_as<double>(more("s1d_Q8_J6_N2048_x.npy"));
  const auto ref = read_npy_as<double>(more("s1d_Q8_J6_N2048_" + name + "_S.npy"));
  ASSERT_EQ(ref.shape, (Shape{2, 126, L}));
  const Scattering1D S(6, kN, o, kFast);
  ASSERT_EQ(S.channels(), 126u);
  ASSERT_EQ(S.output_length(), L);
  const auto d = run<double>(o, x.data), f = run<float>(o, x.data);
  EXPECT_LE(report("1D v04-more " + name + " double, whole", rel_error(d, ref.data)), 1e-6);
  EXPECT_LE(report("1D v04-more " + name + " double, per path", per_path_error(S, d, ref.data)), 1e-6);
  EXPECT_LE(report("1D v04-more " + name + " float, whole", rel_error(f, ref.data)), 1e-4);
  EXPECT_LE(report("1D v04-more " + name + " float, per path", per_path_error(S, f, ref.data)), 1e-4);
}

TEST(Options1DReference, TGlobal) { expect_uniform_parity("Tglobal", with(Averaging1D::global), 1); }
TEST(Options1DReference, T16) { expect_uniform_parity("T16", with(Averaging1D::local, 16), 128); }
TEST(Options1DReference, Stride16) {
  expect_uniform_parity("stride16", with(Averaging1D::local, 0, 16), 128);
}

// n and j of list entry k, from index.json ("entry 39: n=[0, 3], j=[0, 1]").
std::map<int, std::pair<std::string, std::string>> list_entries() {
  const std::string index = test::read_file(more("index.json"));
  const std::regex entry(R"(T=0, out_type='list' entry (\d+): n=\[([0-9, ]*)\], j=\[([0-9, ]*)\])");
  std::map<int, std::pair<std::string, std::string>> out;
  for (std::sregex_iterator it(index.begin(), index.end(), entry), end; it != end; ++it)
    out[std::stoi((*it)[1])] = {(*it)[2], (*it)[3]};
  return out;
}

std::string joined(const int* v, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s;
}

TEST(Options1DReference, T0ListEveryEntry) {
  const auto x = read_npy_as<double>(more("s1d_Q8_J6_N2048_x.npy"));
  const auto o = with(Averaging1D::none);
  const Scattering1D S(6, kN, o, kFast);
  const auto entries = list_entries();
  ASSERT_EQ(entries.size(), 126u);
  ASSERT_EQ(S.channels(), 126u);
  const auto d = run<double>(o, x.data), f = run<float>(o, x.data);
  double worst_d = 0, worst_f = 0;
  for (std::size_t c = 0; c < 126; ++c) {
    const auto& m = S.meta()[c];
    char name[64];
    std::snprintf(name, sizeof name, "s1d_Q8_J6_N2048_T0_list_%03zu_order%d.npy", c, m.order);
    const auto ref = read_npy_as<double>(more(name));
    const std::size_t L = S.output_length(c);
    ASSERT_EQ(ref.shape, (Shape{2, L})) << name;
    EXPECT_EQ(joined(m.n, m.order), entries.at(int(c)).first) << name;
    EXPECT_EQ(joined(m.j, m.order), entries.at(int(c)).second) << name;
    std::vector<double> ours_d, ours_f;
    for (std::size_t b = 0; b < 2; ++b) {
      const std::size_t at = b * S.output_size() + S.output_offset(c);
      ours_d.insert(ours_d.end(), d.begin() + at, d.begin() + at + L);
      ours_f.insert(ours_f.end(), f.begin() + at, f.begin() + at + L);
    }
    worst_d = std::max(worst_d, rel_error(ours_d, ref.data));
    worst_f = std::max(worst_f, rel_error(ours_f, ref.data));
    if (c == 0) EXPECT_EQ(ours_d, x.data) << "order 0 is the input exactly";
  }
  EXPECT_LE(report("1D v04-more T0 list double, per path", worst_d), 1e-6);
  EXPECT_LE(report("1D v04-more T0 list float, per path", worst_f), 1e-4);
}

// The keys of a '<U7' .npy (out_type='dict' key order), as strings.
std::vector<std::string> read_unicode_npy(const std::string& path) {
  const std::string bytes = test::read_file(path);
  EXPECT_EQ(bytes.compare(0, 6, "\x93NUMPY"), 0);
  const std::size_t header = std::size_t(uint8_t(bytes[8])) | std::size_t(uint8_t(bytes[9])) << 8;
  const std::string head = bytes.substr(10, header);
  const std::size_t width = std::stoul(head.substr(head.find("<U") + 2));
  std::vector<std::string> out;
  for (std::size_t at = 10 + header; at + 4 * width <= bytes.size(); at += 4 * width) {
    std::string s;
    for (std::size_t i = 0; i < width && bytes[at + 4 * i] != 0; ++i) s += bytes[at + 4 * i];
    out.push_back(s);
  }
  return out;
}

// Python's repr of the n tuple of a path: "()", "(0,)", "(0, 3)".
std::string tuple_repr(const PathMeta1D& m) {
  return "(" + joined(m.n, m.order) + (m.order == 1 ? ",)" : ")");
}

TEST(Options1DReference, DictKeysAreTheChannelsDepthFirst) {
  const auto keys = read_unicode_npy(more("s1d_Q8_J6_N2048_dict_keys.npy"));
  ASSERT_EQ(keys.size(), 126u);
  const Scattering1D S(6, kN, with(Averaging1D::none), kFast);
  // Depth-first generation order = the n tuples in lexicographic order (children by n).
  std::vector<std::pair<std::vector<int>, std::string>> paths;
  for (const auto& m : S.meta())
    paths.push_back({std::vector<int>(m.n, m.n + m.order), tuple_repr(m)});
  std::sort(paths.begin(), paths.end());
  for (std::size_t k = 0; k < 126; ++k) EXPECT_EQ(paths[k].second, keys[k]) << k;
}

// ---- check values (../shared/docs/scattering-options.md §1.10) -------------------------------

std::vector<double> check_input() {
  std::vector<double> x(1024);
  for (std::size_t n = 0; n < 1024; ++n) x[n] = double((37 * n) % 101) / 50.0 - 1.0;
  return x;
}

// out[offset(c) + t] ≈ value to the digits printed (10 significant).
void expect_value(const Scattering1D& S, const std::vector<double>& out, std::size_t c,
                  std::size_t t, double value) {
  EXPECT_NEAR(out[S.output_offset(c) + t], value, 2e-9 * std::abs(value))
      << "channel " << c << " t " << t;
}

TEST(Options1DCheckValues, GlobalT16Stride16T48) {
  const auto x = check_input();
  auto transform = [&](const Scattering1DOptions& o, std::size_t L) {
    auto S = std::make_unique<Scattering1D>(6, 1024, o, kFast);
    EXPECT_EQ(S->filters().N, 2048u);
    EXPECT_EQ(S->filters().pad_left, 512u);
    EXPECT_EQ(S->channels(), 126u);
    EXPECT_EQ(S->output_length(), L);
    std::vector<double> out(S->output_size());
    (*S)(x.data(), 1, out.data());
    return std::pair{std::move(S), out};
  };
  const auto [G, g] = transform(with(Averaging1D::global), 1);
  for (auto [c, v] : {std::pair{0, -2.4}, {1, 122.2436996}, {10, 111.5717639}, {38, 0.07903359312},
                      {39, 6.981831336}, {125, 0.02553787785}})
    expect_value(*G, g, c, 0, v);
  const auto [L16, l16] = transform(with(Averaging1D::local, 16), 64);
  for (auto [c, v] : {std::pair{0, -0.003504907221}, {1, 0.06083504282}, {39, 0.006199502381},
                      {125, 4.649460413e-06}})
    expect_value(*L16, l16, c, 32, v);
  const auto [S16, s16] = transform(with(Averaging1D::local, 0, 16), 64);
  for (auto [c, v] : {std::pair{1, 0.06009898014}, {39, 0.006674618136}, {125, 1.456805135e-05}})
    expect_value(*S16, s16, c, 32, v);
  const auto [L48, l48] = transform(with(Averaging1D::local, 48), 32);
  EXPECT_EQ(L48->filters().log2_T, 5);
  EXPECT_DOUBLE_EQ(L48->filters().phi_sigma, 0.1 / 48);
  for (auto [c, v] : {std::pair{1, 0.0600990239}, {39, 0.006674389036}, {125, 8.402762219e-06}})
    expect_value(*L48, l48, c, 16, v);
}

TEST(Options1DCheckValues, T0Entries) {
  const auto x = check_input();
  const Scattering1D S(6, 1024, with(Averaging1D::none), kFast);
  std::vector<double> out(S.output_size());
  S(x.data(), 1, out.data());
  struct Entry {
    std::size_t c, length, t;
    double value;
  };
  for (const Entry& e : {Entry{1, 1024, 500, 0.03181579367}, Entry{37, 64, 16, 0.006296297426},
                         Entry{39, 512, 256, 0.00448819696}, Entry{125, 64, 32, 4.194417249e-06}}) {
    EXPECT_EQ(S.output_length(e.c), e.length) << e.c;
    expect_value(S, out, e.c, e.t, e.value);
  }
  // Lengths by resolution (§1.4): order 0 and j = 0 → 1024, j = 1 → 512, j = 4 → 64, j = 5 → 32.
  EXPECT_EQ(S.output_length(0), 1024u);
  for (std::size_t c = 1; c < S.channels(); ++c) {
    const auto& m = S.meta()[c];
    EXPECT_EQ(S.output_length(c), std::size_t{1024} >> m.j[m.order - 1]) << c;
  }
  EXPECT_TRUE(std::equal(x.begin(), x.end(), out.begin()));
}

// ---- layout, attributes, determinism ---------------------------------------------------------

TEST(Options1DLayout, OffsetsAreConsecutiveAndOptionsResolved) {
  for (auto a : {Averaging1D::local, Averaging1D::global, Averaging1D::none}) {
    const Scattering1D S(6, 1024, with(a), kFast);
    std::size_t at = 0;
    for (std::size_t c = 0; c < S.channels(); ++c) {
      EXPECT_EQ(S.output_offset(c), at);
      at += S.output_length(c);
    }
    EXPECT_EQ(S.output_size(), at);
    EXPECT_EQ(S.options().T, 64.0);
    EXPECT_EQ(S.options().stride, a == Averaging1D::local ? 64u : 0u);
    // ind_start / ind_end of docs/scattering-options.md §1.10's example, r = 0 … 6.
    EXPECT_EQ(S.unpad_begin(), (std::vector<std::size_t>{512, 256, 128, 64, 32, 16, 8}));
    EXPECT_EQ(S.unpad_end(), (std::vector<std::size_t>{1536, 768, 384, 192, 96, 48, 24}));
  }
  const Scattering1D none(6, 1024, with(Averaging1D::none), kFast);
  EXPECT_NE(test::message_of<UsageError>([&] { (void)none.output_length(); })
                .find("output_length(channel)"),
            std::string::npos);
  const Array<double> x(Shape{3, 1, 1024}, test::random_normal(3 * 1024, 3));
  EXPECT_EQ(none(x).shape, (Shape{3, 1, none.output_size()}));
  const Scattering1D global(6, 1024, with(Averaging1D::global), kFast);
  EXPECT_EQ(global(x).shape, (Shape{3, 1, 126, 1}));
}

TEST(Options1DLayout, DefaultStrideIsTheOldConstructorBitForBit) {
  const auto x = test::random_normal(2 * 777, 11);
  const Scattering1D old(5, 777, {4, 2}, 16, 3, kFast);
  for (std::size_t stride : {0u, 16u}) {
    const Scattering1D S(5, 777, {.T = 16, .stride = stride, .Q = {4, 2}, .max_order = 3}, kFast);
    std::vector<double> a(2 * old.output_size()), b(2 * S.output_size());
    old(x.data(), 2, a.data());
    S(x.data(), 2, b.data());
    EXPECT_EQ(a, b) << "stride " << stride;
  }
}

const Averaging1D kModes[] = {Averaging1D::local, Averaging1D::global, Averaging1D::none};

TEST(Options1DLayout, EveryModeIsBitIdenticalForAnyThreadCount) {
  const auto x = test::random_normal(5 * 512, 13);
  for (auto a : kModes)
    for (int order : {1, 2, 3}) {
      Scattering1DOptions o{.averaging = a, .stride = a == Averaging1D::local ? 4u : 0u,
                            .Q = {8, 2}, .max_order = order};
      const Scattering1D S1(5, 512, o, kFast), S3(5, 512, o, ExecOptions{3, Planning::estimate});
      std::vector<double> a1(5 * S1.output_size()), a3(a1.size());
      S1(x.data(), 5, a1.data());
      S3(x.data(), 5, a3.data());
      EXPECT_EQ(a1, a3) << "order " << order;
      for (double v : a1) ASSERT_TRUE(std::isfinite(v));
    }
}

TEST(Options1DLayout, FloatAgreesWithDoubleInEveryMode) {
  const auto xd = test::random_normal(2 * 1024, 17);
  for (auto a : kModes) {
    const auto o = with(a, a == Averaging1D::local ? 24.5 : 0);
    const Scattering1D Sd(6, 1024, o, kFast);
    const Scattering1Df Sf(6, 1024, o, kFast);
    const std::vector<float> xf(xd.begin(), xd.end());
    std::vector<double> od(2 * Sd.output_size());
    std::vector<float> of(od.size());
    Sd(xd.data(), 2, od.data());
    Sf(xf.data(), 2, of.data());
    EXPECT_LE(rel_error(of, od), 1e-5);
  }
}

TEST(Options1DRange, FarFromUnitInputIsExactlyRescaledInEveryMode) {
  const auto x = test::random_normal<float>(1024, 19);
  for (auto a : kModes) {
    const Scattering1Df S(6, 1024, with(a), kFast);
    std::vector<float> big(x), ref(S.output_size()), out(S.output_size());
    for (auto& v : big) v = std::ldexp(v, 100);  // beyond 2^32: computed as 2^-e·x, then 2^e·S
    S(x.data(), 1, ref.data());
    S(big.data(), 1, out.data());
    for (std::size_t i = 0; i < out.size(); ++i) ASSERT_EQ(out[i], std::ldexp(ref[i], 100)) << i;
  }
  // Order 0 of none is the input itself, even where 2^-e·x would underflow.
  const Scattering1Df S(6, 1024, with(Averaging1D::none), kFast);
  std::vector<float> wide(x), out(S.output_size());
  wide[0] = 3e38f;
  wide[1] = 1e-40f;
  S(wide.data(), 1, out.data());
  EXPECT_TRUE(std::equal(wide.begin(), wide.end(), out.begin()));
  for (float v : out) ASSERT_TRUE(std::isfinite(v));
}

TEST(Options1DRange, NonFiniteInputThrowsInEveryMode) {
  for (auto a : kModes) {
    const Scattering1D S(4, 256, with(a), kFast);
    auto x = test::random_normal(256, 23);
    x[9] = std::numeric_limits<double>::quiet_NaN();
    std::vector<double> out(S.output_size());
    EXPECT_NE(test::message_of<InputError>([&] { S(x.data(), 1, out.data()); }).find("NaN"),
              std::string::npos);
  }
}

TEST(Options1DLayout, SmallerStrideKeepsMoreSamples) {
  // T = 64, stride 2^ls: output length N_out = i1(ls) − i0(ls), and stride = 1 keeps all N samples.
  const auto x = test::random_normal(1024, 29);
  for (std::size_t stride : {1u, 2u, 8u, 32u}) {
    const Scattering1D S(6, 1024, with(Averaging1D::local, 0, stride), kFast);
    const int ls = std::countr_zero(stride);
    EXPECT_EQ(S.output_length(), S.unpad_end()[ls] - S.unpad_begin()[ls]) << stride;
    std::vector<double> out(S.output_size());
    S(x.data(), 1, out.data());
    for (double v : out) ASSERT_TRUE(std::isfinite(v));
  }
  EXPECT_EQ(Scattering1D(6, 1024, with(Averaging1D::local, 0, 1), kFast).output_length(), 1024u);
}

// ---- errors ---------------------------------------------------------------------------------

std::string usage_message(const Scattering1DOptions& o, int J = 6, std::size_t N = 1024) {
  return test::message_of<UsageError>([&] { Scattering1D(J, N, o, kFast); });
}

TEST(Options1DErrors, StrideMustBeAPowerOfTwoUpToTheAveragingScale) {
  for (std::size_t stride : {3u, 12u, 128u, 1024u}) {
    const std::string m = usage_message(with(Averaging1D::local, 0, stride));
    EXPECT_NE(m.find("stride=" + std::to_string(stride)), std::string::npos) << m;
    EXPECT_NE(m.find("power of two from 1 to 2^floor(log2 T) = 64"), std::string::npos) << m;
  }
  // T = 48: log2_T = 5, so 32 is the largest stride.
  EXPECT_NE(usage_message(with(Averaging1D::local, 48, 64)).find("= 32"), std::string::npos);
  EXPECT_NO_THROW(Scattering1D(6, 1024, with(Averaging1D::local, 48, 32), kFast));
}

TEST(Options1DErrors, TAndStrideBelongToLocalAveraging) {
  for (auto a : {Averaging1D::global, Averaging1D::none}) {
    EXPECT_NE(usage_message(with(a, 0, 16)).find("stride=16 is only used with local averaging"),
              std::string::npos);
    EXPECT_NE(usage_message(with(a, 16)).find("T=16 is only used with local averaging"),
              std::string::npos);
  }
}

TEST(Options1DErrors, TOutOfRange) {
  for (double T : {0.5, 1024.5, 2048.0, -1.0, std::numeric_limits<double>::quiet_NaN(),
                   std::numeric_limits<double>::infinity()}) {
    const std::string m = usage_message(with(Averaging1D::local, T));
    EXPECT_NE(m.find("T="), std::string::npos) << m;
    EXPECT_NE(m.find("must be in [1, N=1024]"), std::string::npos) << m;
  }
  EXPECT_NO_THROW(Scattering1D(6, 1024, with(Averaging1D::local, 1), kFast));
  EXPECT_NO_THROW(Scattering1D(6, 1024, with(Averaging1D::local, 1024), kFast));
  EXPECT_NE(usage_message({.max_order = 0}).find("max_order=0"), std::string::npos);
  EXPECT_NE(usage_message({.averaging = Averaging1D::none, .max_order = 4}).find("max_order=4"),
            std::string::npos);
}

}  // namespace
}  // namespace wst
