// Joint time–frequency scattering: parity with Kymatio 0.4 (../shared/reference/kymatio/v04-more,
// jtfs_*), meta(), thread independence, batch shapes and parameter checks
// (docs/jtfs-formulas.md §J1, §J6, §J7, §J10).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "test_support.hpp"
#include "wst/io/npy.hpp"
#include "wst/support/error.hpp"
#include "wst/core/time_frequency_scattering.hpp"

namespace wst {
namespace {

using test::kymatio_ref;
using test::message_of;
using test::rel_error;

const ExecOptions kFast{1, Planning::estimate};
constexpr std::size_t kN = 4096;

// The reference file v04-more/jtfs_J8_N4096_<name>.npy; fails loudly when it is missing.
Array<double> reference(const std::string& name) {
  const std::string path = kymatio_ref("v04-more/jtfs_J8_N4096_" + name + ".npy");
  if (!std::filesystem::exists(path)) {
    ADD_FAILURE() << "missing reference file " << path;
    throw std::runtime_error("missing " + path);
  }
  return read_npy_as<double>(path);
}

template <class T, class S>
Array<T> cast(const Array<S>& a) {
  return Array<T>(a.shape, std::vector<T>(a.data.begin(), a.data.end()));
}

double report(const std::string& what, double err) {
  std::printf("[parity] %-44s %.2e\n", what.c_str(), err);
  return err;
}

// The development configuration of §J10.1: J = 8, Q = (8, 2), J_fr = 3, Q_fr = 2.
TimeFrequencyScatteringOptions dev(JtfsFormat format) {
  return {.Q = {8, 2}, .Q_fr = 2, .format = format};
}

template <class T>
const BasicTimeFrequencyScattering<T>& dev_transform(JtfsFormat format) {
  static const BasicTimeFrequencyScattering<T> time(8, 3, kN, dev(JtfsFormat::time), kFast);
  static const BasicTimeFrequencyScattering<T> joint(8, 3, kN, dev(JtfsFormat::joint), kFast);
  return format == JtfsFormat::time ? time : joint;
}

// Largest over channels (paths) of max|Δ|/max|ref| within the channel: `inner` values each.
double per_channel_error(const std::vector<double>& a, const std::vector<double>& ref,
                         std::size_t inner) {
  double worst = 0;
  for (std::size_t c = 0; c * inner < ref.size(); ++c)
    worst = std::max(worst, rel_error(a.data() + c * inner, ref.data() + c * inner, inner));
  return worst;
}

struct ParityCase {
  const char* input;   // "x" or "x_det"
  const char* output;  // reference output file
  JtfsFormat format;
};

class JtfsParity : public ::testing::TestWithParam<ParityCase> {};

template <class T>
double parity_error(const ParityCase& c, Array<double>* got = nullptr) {
  const Array<double> x = reference(c.input), ref = reference(c.output);
  const Array<T> out = dev_transform<T>(c.format)(cast<T>(x));
  EXPECT_EQ(out.shape, ref.shape) << c.output;
  if (got) *got = cast<double>(out);
  return rel_error(out.data, ref.data);
}

TEST_P(JtfsParity, DoubleMatchesKymatio) {
  const ParityCase& c = GetParam();
  Array<double> got;
  EXPECT_LE(report(std::string(c.output) + " (double)", parity_error<double>(c, &got)), 1e-6);
  // Per path (channel): §J12 reports ≤ 5e-15 for the random input; the chirp has channels near
  // 1e-8 of its peak where the floating-point floor is ~1e-12 of the channel.
  const Array<double> ref = reference(c.output);
  const std::size_t inner = ref.shape.back() * (c.format == JtfsFormat::joint ? ref.shape[ref.ndim() - 2] : 1);
  EXPECT_LE(report(std::string(c.output) + " per channel", per_channel_error(got.data, ref.data, inner)),
            std::string(c.input) == "x" ? 1e-12 : 1e-9);
}

TEST_P(JtfsParity, FloatMatchesKymatio) {
  const ParityCase& c = GetParam();
  EXPECT_LE(report(std::string(c.output) + " (float)", parity_error<float>(c)), 1e-4);
}

INSTANTIATE_TEST_SUITE_P(
    Reference, JtfsParity,
    ::testing::Values(ParityCase{"x", "joint_S", JtfsFormat::joint},
                      ParityCase{"x_det", "joint_S_det", JtfsFormat::joint},
                      ParityCase{"x", "time_S", JtfsFormat::time},
                      ParityCase{"x_det", "time_S_det", JtfsFormat::time}),
    [](const auto& info) { return std::string(info.param.output); });

// §J10.1 check values of the deterministic input, independent of the reference files' layout.
TEST(Jtfs, CheckValuesOfTheSpecification) {
  const Array<double> x = reference("x_det");
  EXPECT_DOUBLE_EQ(x.data[0], 0.00193045413622771);
  const Array<double> joint = dev_transform<double>(JtfsFormat::joint)(x);
  const Array<double> time = dev_transform<double>(JtfsFormat::time)(x);
  ASSERT_EQ(joint.shape, (Shape{203, 17, 16}));
  ASSERT_EQ(time.shape, (Shape{972, 16}));
  const double j0[] = {7.3456995900820723e-05, 1.2914132437076518e-04, 3.3544783490579939e-04,
                       8.0056780111293919e-04};
  const double j202[] = {1.0567600365975576e-04, 7.6162859289615408e-05, 9.4524177299013665e-05,
                         1.4886682796732902e-04};
  const double s0[] = {-2.0403463395222020e-06, -1.6751257739591188e-06, -9.3014761840857856e-07,
                       -3.4888793662145328e-07};
  for (int i = 0; i < 4; ++i) {
    EXPECT_NEAR(joint.data[i], j0[i], 1e-12 * std::abs(j0[i]));
    EXPECT_NEAR(joint.data[202 * 17 * 16 + i], j202[i], 1e-12 * std::abs(j202[i]));
    EXPECT_NEAR(time.data[i], s0[i], 1e-9 * std::abs(s0[i]));  // S0 ~1e-4 of the peak: looser
  }
  for (int i = 0; i < 16; ++i) EXPECT_EQ(time.data[16 + i], joint.data[i]);  // time[1] = joint[0, 0]
}

// §J10.1: the frequential bank and its lengths.
TEST(Jtfs, FrequentialBankOfTheDevelopmentConfiguration) {
  const FrequentialFilterBank& fb = dev_transform<double>(JtfsFormat::time).frequential_filters();
  EXPECT_EQ(fb.N_input_fr, 72u);
  EXPECT_EQ(fb.N_fr, 136u);
  EXPECT_EQ(fb.log2_F, 3);
  ASSERT_EQ(fb.K(), 7);
  EXPECT_EQ(fb.filters[1].xi, 0.35);
  EXPECT_EQ(fb.filters[1].sigma, 0.07212800882254564);
  EXPECT_EQ(fb.filters[7].xi, 0.030935921676911442);
  EXPECT_EQ(fb.filters[7].j, 2);
  EXPECT_EQ(fb.filters[8].xi, -0.35);
  EXPECT_EQ(fb.filters[8].spin, -1);
  EXPECT_NEAR(fb.filters[0].fourier[1], 0.8411288833576085, 1e-15);
  EXPECT_NEAR(fb.filters[1].fourier[48], 0.9991689564850876, 1e-15);
  EXPECT_NEAR(fb.filters[8].fourier[88], 0.9991689564850876, 1e-15);
  EXPECT_NEAR(fb.filters[7].fourier[4], 0.9912833783251125, 1e-15);
}

// meta() of format 'time' equals Kymatio's, value for value (NaN where Kymatio has NaN).
TEST(Jtfs, MetaOfFormatTimeIsKymatios) {
  const auto& meta = dev_transform<double>(JtfsFormat::time).meta();
  ASSERT_EQ(meta.size(), 972u);
  auto nan_if = [](int v) { return v < 0 ? NAN : double(v); };
  auto same = [](double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; };
  struct Field {
    const char* name;
    std::function<double(const PathMetaJTFS&, int)> get;
    int columns;
  };
  const std::vector<Field> fields = {
      {"order", [](const PathMetaJTFS& m, int) { return double(m.order); }, 1},
      {"n", [&](const PathMetaJTFS& m, int c) { return nan_if(c == 0 ? m.n1 : m.n2); }, 2},
      {"n_fr", [&](const PathMetaJTFS& m, int) { return nan_if(m.n_fr); }, 1},
      {"j", [](const PathMetaJTFS& m, int c) { return m.j[c]; }, 2},
      {"xi", [](const PathMetaJTFS& m, int c) { return m.xi[c]; }, 2},
      {"sigma", [](const PathMetaJTFS& m, int c) { return m.sigma[c]; }, 2},
      {"j_fr", [](const PathMetaJTFS& m, int) { return m.j_fr; }, 1},
      {"xi_fr", [](const PathMetaJTFS& m, int) { return m.xi_fr; }, 1},
      {"sigma_fr", [](const PathMetaJTFS& m, int) { return m.sigma_fr; }, 1},
      {"spin", [](const PathMetaJTFS& m, int) { return m.spin; }, 1}};
  for (const Field& f : fields) {
    const Array<double> ref = reference(std::string("time_meta_") + f.name);
    ASSERT_EQ(ref.size(), meta.size() * f.columns) << f.name;
    int mismatches = 0;
    for (std::size_t r = 0; r < meta.size(); ++r)
      for (int c = 0; c < f.columns; ++c)
        if (!same(f.get(meta[r], c), ref.data[r * f.columns + c]) && mismatches++ < 3)
          ADD_FAILURE() << f.name << " row " << r << " col " << c << ": " << f.get(meta[r], c)
                        << " vs " << ref.data[r * f.columns + c];
    EXPECT_EQ(mismatches, 0) << f.name;
  }
}

// Each 'time' channel is row n1/n1_stride of the 'joint' path with the same (n2, n_fr) (§J6.2),
// and meta()'s channel field says where a key's channel is.
TEST(Jtfs, TimeChannelsAreRowsOfJointPaths) {
  const auto& st = dev_transform<double>(JtfsFormat::time);
  const auto& sj = dev_transform<double>(JtfsFormat::joint);
  ASSERT_EQ(sj.meta().size(), 203u);
  const std::vector<double> v = test::random_normal(kN, 11);
  const Array<double> x(Shape{kN}, v);
  const Array<double> t = st(x), jt = sj(x);
  std::vector<bool> seen(st.channels(), false);
  for (const PathMetaJTFS& m : st.meta()) {
    seen.at(m.channel) = true;
    if (m.order == 0) continue;
    const PathMetaJTFS* path = nullptr;
    for (const PathMetaJTFS& p : sj.meta())
      if (p.order == m.order && p.n2 == m.n2 && p.n_fr == m.n_fr) path = &p;
    ASSERT_NE(path, nullptr);
    const std::size_t row = static_cast<std::size_t>(m.n1 / m.n1_stride);
    for (std::size_t i = 0; i < 16; ++i)
      ASSERT_EQ(t.data[m.channel * 16 + i], jt.data[(path->channel * 17 + row) * 16 + i]);
  }
  for (bool s : seen) EXPECT_TRUE(s);
}

// Thread count and batch position change no bit; any batch shape (..., N).
TEST(Jtfs, ThreadsAndBatchShapes) {
  const std::size_t N = 1024;
  const TimeFrequencyScatteringOptions o{.Q = {8, 1}, .format = JtfsFormat::joint};
  const TimeFrequencyScattering s1(6, 2, N, o, kFast), s2(6, 2, N, o, {2, Planning::estimate});
  const Array<double> x(Shape{3, 2, N}, test::random_normal(6 * N, 3));
  const Array<double> a = s1(x), b = s2(x);
  ASSERT_EQ(a.shape, (Shape{3, 2, 32, 22, 16}));  // §J10.2
  EXPECT_EQ(a.data, b.data);
  const Array<double> one(Shape{N}, std::vector<double>(x.data.begin() + 4 * N, x.data.begin() + 5 * N));
  const Array<double> c = s2(one);
  ASSERT_EQ(c.shape, (Shape{32, 22, 16}));
  EXPECT_TRUE(std::equal(c.data.begin(), c.data.end(), a.data.begin() + 4 * s1.output_size()));
  const TimeFrequencyScatteringf f1(6, 2, N, o, kFast), f2(6, 2, N, o, {2, Planning::estimate});
  const Array<float> xf = cast<float>(x);
  EXPECT_EQ(f1(xf).data, f2(xf).data);
  EXPECT_LE(rel_error(f1(xf).data, a.data), 1e-5);
  EXPECT_THROW(s1(Array<double>(Shape{3, N + 1}, test::random_normal(3 * N + 3, 1))), InputError);
}

// The shapes of §J10.2 and of the non-default modes of §J8.
TEST(Jtfs, ShapesOfOtherConfigurations) {
  const std::size_t N = 1024;
  struct Case {
    int J_fr;
    TimeFrequencyScatteringOptions o;
    std::size_t time_channels;
    Shape joint;  // empty: format 'joint' is refused
  };
  const std::vector<Case> cases = {
      {2, {.Q = {8, 1}}, 209, {32, 22, 16}},
      {2, {.Q = {8, 1}, .F = 2}, 356, {32, 36, 16}},
      {3, {.Q = {8, 1}, .F = 4}, 252, {41, 22, 16}},
      {2, {.Q = {8, 1}, .averaging_fr = Averaging1D::none}, 0, {}},
      {2, {.Q = {8, 1}, .averaging_fr = Averaging1D::global}, 0, {}},
      {2, {.averaging = Averaging1D::global, .Q = {8, 1}}, 209, {32, 22, 1}},
  };
  const Array<double> x(Shape{N}, test::random_normal(N, 4));
  for (const Case& c : cases) {
    TimeFrequencyScatteringOptions o = c.o;
    const TimeFrequencyScattering t(6, c.J_fr, N, o, kFast);
    const Array<double> out = t(x);
    if (c.time_channels) EXPECT_EQ(out.shape[0], c.time_channels);
    EXPECT_EQ(out.shape[1], o.averaging == Averaging1D::global ? 1u : 16u);
    EXPECT_EQ(t.meta().size(), out.shape[0]);
    for (double v : out.data) ASSERT_TRUE(std::isfinite(v));
    o.format = JtfsFormat::joint;
    if (c.joint.empty()) {
      EXPECT_THROW(TimeFrequencyScattering(6, c.J_fr, N, o, kFast), UsageError);
    } else {
      EXPECT_EQ(TimeFrequencyScattering(6, c.J_fr, N, o, kFast)(x).shape, c.joint);
    }
  }
}

// F = 'global' sums the φ-free frequential rows: one channel per spin ±1 path (§J8).
TEST(Jtfs, GlobalFrequentialAveragingHasOneRowPerWaveletPath) {
  const std::size_t N = 1024;
  const TimeFrequencyScattering s(6, 2, N, {.Q = {8, 1}, .averaging_fr = Averaging1D::global},
                                  kFast);
  for (const PathMetaJTFS& m : s.meta())
    if (m.order > 0 && m.spin != 0) {
      EXPECT_EQ(m.n1, 0);
      EXPECT_EQ(m.n1_stride, m.n1_max);
    }
}

// Positive homogeneity (exact for powers of two), and the range rule for extreme inputs.
TEST(Jtfs, ScalesWithTheInput) {
  const std::size_t N = 1024;
  const TimeFrequencyScattering s(6, 2, N, {.Q = {8, 1}}, kFast);
  Array<double> x(Shape{N}, test::random_normal(N, 8));
  const Array<double> a = s(x);
  for (double& v : x.data) v = std::ldexp(v, 600);
  const Array<double> b = s(x);
  for (std::size_t i = 0; i < a.size(); ++i) ASSERT_EQ(std::ldexp(a.data[i], 600), b.data[i]);
}

// Bad parameters: UsageError naming the argument (§J1.3, §J1.4).
TEST(Jtfs, BadParametersNameTheArgument) {
  const std::size_t N = 1024;
  struct Bad {
    int J, J_fr;
    TimeFrequencyScatteringOptions o;
    const char* word;
  };
  using A = Averaging1D;
  const std::vector<Bad> bad = {
      {0, 2, {.Q = {8, 1}}, "J=0"},
      {11, 2, {.Q = {8, 1}}, "J=11"},
      {6, -1, {.Q = {8, 1}}, "J_fr=-1"},
      {6, 2, {.Q = {0, 1}}, "Q must always be >= 1"},
      {6, 2, {.Q = {8, 1}, .Q_fr = 0}, "Q_fr must be >= 1"},
      {6, 2, {.T = 2000, .Q = {8, 1}}, "cannot exceed input length"},
      {6, 2, {.T = 0.5, .Q = {8, 1}}, "T must be ==0 or >=1"},
      {6, 2, {.averaging = A::none, .Q = {8, 1}}, "T=0"},
      {6, 2, {.averaging = A::global, .stride = 4, .Q = {8, 1}}, "stride"},
      {6, 2, {.stride = 3, .Q = {8, 1}}, "stride=3"},
      {6, 2, {.stride = 128, .Q = {8, 1}}, "stride=128"},
      {6, 2, {.T = 8, .Q = {8, 1}}, "stride=8"},        // §J1.4 item 1: ls < j2max = 4
      {6, 2, {.T = 16, .Q = {8, 2}}, "stride=16"},      // j2max = 5
      {6, 2, {.Q = {1, 2}}, "Q2 <= Q1"},                // §J1.4 item 2b
      {6, 2, {.Q = {1, 4}}, "Q2 <= Q1"},                // §J2 assertion
      {6, 2, {.Q = {8, 1}, .F = 57}, "cannot exceed input length (got 57 > 56)"},
      {6, 2, {.Q = {8, 1}, .F = -1}, "F must be ==0 or >=1"},
      {6, 2, {.Q = {8, 1}, .F = 2.5}, "F=2.5"},         // §J1.4 item 5
      {6, 2, {.Q = {8, 1}, .F = 8}, "format 'joint'"},  // ls_fr > J_fr: §J1.4 item 3
      {6, 3, {.Q = {8, 1}, .stride_fr = 1}, "stride_fr=1"},  // §J1.4 item 4
      {6, 2, {.Q = {8, 1}, .stride_fr = 8}, "stride_fr=8"},
      {6, 2, {.Q = {8, 1}, .averaging_fr = A::none, .stride_fr = 2}, "stride_fr=2"},
      {6, 2, {.Q = {8, 1}, .averaging_fr = A::global, .F = 4}, "F=4"},
      {6, 2, {.Q = {8, 1}, .averaging_fr = A::none}, "F=0"},  // joint array, §J1.3
      {6, 2, {.Q = {8, 1}, .Q_fr = 129}, "Q_fr=129"},
  };
  for (Bad b : bad) {
    const bool wants_joint = std::string(b.word) == "format 'joint'" || std::string(b.word) == "F=0";
    if (wants_joint) b.o.format = JtfsFormat::joint;
    const std::string msg = message_of<UsageError>(
        [&] { TimeFrequencyScattering(b.J, b.J_fr, N, b.o, kFast); });
    EXPECT_NE(msg.find(b.word), std::string::npos) << b.word << ": " << msg;
  }
  const std::string threads = message_of<UsageError>(
      [&] { TimeFrequencyScattering(6, 2, N, {.Q = {8, 1}}, {0, Planning::estimate}); });
  EXPECT_NE(threads.find("threads=0"), std::string::npos) << threads;
}

// NaN and Inf inputs are refused.
TEST(Jtfs, NonFiniteInputIsRefused) {
  const std::size_t N = 1024;
  const TimeFrequencyScattering s(6, 2, N, {.Q = {8, 1}}, kFast);
  Array<double> x(Shape{N}, test::random_normal(N, 9));
  x.data[7] = NAN;
  EXPECT_THROW(s(x), InputError);
}

}  // namespace
}  // namespace wst
