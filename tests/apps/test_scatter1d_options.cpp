// `wst scatter1d --T global|0|<number> --stride S` end to end (docs/scattering-options.md §1):
// outputs against Kymatio 0.4's (../shared/reference/kymatio/v04-more) and the library, the .npz of
// --T 0, the metadata, and bad values (exit code 2, one line naming the option and its range,
// nothing left behind).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "test_support.hpp"
#include "wst/io/npy.hpp"
#include "wst/core/scattering_1d.hpp"

namespace {

using wst::test::run_cli;
using Result = wst::test::CliResult;

std::string more(const std::string& name) {
  return wst::test::kymatio_ref("v04-more/s1d_Q8_J6_N2048_" + name + ".npy");
}

class Scatter1dOptions : public ::testing::Test {
 protected:
  std::string dir = wst::test::temp_dir();
  // The reference input (2, 2048) as float64 and float32.
  std::string x64 = more("x");
  std::string x32 = [this] {
    const auto x = wst::read_npy_as<double>(x64);
    const std::string path = wst::test::temp_dir() + "/x32.npy";
    wst::write_npy(path, wst::Array<float>(x.shape, std::vector<float>(x.data.begin(), x.data.end())));
    return path;
  }();

  Result scatter(const std::string& options, const std::string& in, const std::string& out) {
    return run_cli("scatter1d --J 6 --Q 8 --plan estimate " + options + " " + in + " " + dir + "/" +
                   out);
  }
};

// ---- averaged outputs: .npy, as Kymatio's array ------------------------------------------------

TEST_F(Scatter1dOptions, GlobalT16AndStride16MatchKymatio) {
  for (auto [option, name] : {std::pair{"--T global", "Tglobal"}, {"--T 16", "T16"},
                              {"--stride 16", "stride16"}}) {
    const auto ref = wst::read_npy_as<double>(more(std::string(name) + "_S"));
    Result r = scatter(option, x64, "d.npy");
    ASSERT_EQ(r.code, 0) << r.err;
    const auto d = wst::read_npy(dir + "/d.npy");
    ASSERT_TRUE(std::holds_alternative<wst::Array<double>>(d));
    EXPECT_EQ(std::get<wst::Array<double>>(d).shape, ref.shape);
    EXPECT_LE(wst::test::rel_error(std::get<wst::Array<double>>(d).data, ref.data), 1e-6) << name;
    r = scatter(option, x32, "f.npy");
    ASSERT_EQ(r.code, 0) << r.err;
    const auto f = wst::read_npy(dir + "/f.npy");
    ASSERT_TRUE(std::holds_alternative<wst::Array<float>>(f));
    EXPECT_LE(wst::test::rel_error(std::get<wst::Array<float>>(f).data, ref.data), 1e-4) << name;
  }
}

TEST_F(Scatter1dOptions, MetaRecordsTheAveraging) {
  struct Case {
    std::string options;
    nlohmann::json T, stride;
  };
  for (const Case& c : {Case{"", 64, 64}, Case{"--T 24.5 --stride 8", 24.5, 8},
                        Case{"--T global", "global", nullptr}}) {
    const Result r = scatter(c.options + " --meta " + dir + "/m.json", x64, "o.npy");
    ASSERT_EQ(r.code, 0) << r.err;
    const auto m = nlohmann::json::parse(wst::test::read_file(dir + "/m.json"));
    EXPECT_EQ(m["T"], c.T) << c.options;
    EXPECT_EQ(m["stride"], c.stride) << c.options;
    EXPECT_EQ(m["channels"].size(), 126u);
  }
}

// ---- --T 0: one array per path in an .npz ------------------------------------------------------

// The stored entries of an uncompressed zip, in order: (name, data).
std::vector<std::pair<std::string, std::string>> zip_entries(const std::string& bytes) {
  auto u = [&](std::size_t at, int n) {
    std::uint64_t v = 0;
    for (int i = n - 1; i >= 0; --i) v = v << 8 | std::uint8_t(bytes[at + i]);
    return v;
  };
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t at = 0;
  while (at + 30 <= bytes.size() && u(at, 4) == 0x04034b50) {
    EXPECT_EQ(u(at + 8, 2), 0u) << "stored, not compressed";
    const std::size_t size = u(at + 18, 4), name = u(at + 26, 2), extra = u(at + 28, 2);
    EXPECT_EQ(u(at + 22, 4), size);
    out.emplace_back(bytes.substr(at + 30, name), bytes.substr(at + 30 + name + extra, size));
    at += 30 + name + extra + size;
  }
  EXPECT_EQ(u(at, 4), 0x02014b50u) << "the central directory follows the entries";
  EXPECT_EQ(u(bytes.size() - 22, 4), 0x06054b50u) << "end of central directory";
  EXPECT_EQ(u(bytes.size() - 12, 2), out.size()) << "entries";
  EXPECT_EQ(u(bytes.size() - 10, 4), bytes.size() - 22 - at) << "central directory size";
  EXPECT_EQ(u(bytes.size() - 6, 4), at) << "central directory offset";
  return out;
}

TEST_F(Scatter1dOptions, T0WritesOneArrayPerPathNamedByItsKey) {
  const wst::Scattering1D S(6, 2048, {.averaging = wst::Averaging1D::none, .Q = {8, 1}},
                            {1, wst::Planning::estimate});
  for (const std::string& in : {x64, x32}) {
    const Result r = scatter("--T 0 --meta " + dir + "/m.json", in, "out.npz");
    ASSERT_EQ(r.code, 0) << r.err;
    const std::string bytes = wst::test::read_file(dir + "/out.npz");
    const auto entries = zip_entries(bytes);
    ASSERT_EQ(entries.size(), 126u);
    EXPECT_EQ(entries[0].first, "().npy");
    EXPECT_EQ(entries[1].first, "(0,).npy");
    EXPECT_EQ(entries[38].first, "(37,).npy");
    EXPECT_EQ(entries[39].first, "(0, 3).npy");
    const auto m = nlohmann::json::parse(wst::test::read_file(dir + "/m.json"));
    EXPECT_EQ(m["T"], 0);
    for (std::size_t c = 0; c < 126; ++c) {
      std::ofstream(dir + "/entry.npy", std::ios::binary) << entries[c].second;
      const auto got = wst::read_npy_as<double>(dir + "/entry.npy");
      char name[64];
      std::snprintf(name, sizeof name, "T0_list_%03zu_order%d", c, S.meta()[c].order);
      const auto ref = wst::read_npy_as<double>(more(name));
      ASSERT_EQ(got.shape, ref.shape) << c;
      EXPECT_EQ(got.shape, (wst::Shape{2, S.output_length(c)})) << c;
      EXPECT_EQ(m["output_shape"][c], nlohmann::json(got.shape)) << c;
      EXPECT_LE(wst::test::rel_error(got.data, ref.data), in == x64 ? 1e-6 : 1e-4) << c;
    }
    std::filesystem::remove(dir + "/entry.npy");
  }
  // The same input gives the same file, byte for byte.
  const std::string first = wst::test::read_file(dir + "/out.npz");
  ASSERT_EQ(scatter("--T 0", x32, "again.npz").code, 0);
  EXPECT_EQ(wst::test::read_file(dir + "/again.npz"), first);
}

// ---- bad values ----------------------------------------------------------------------------------

class Scatter1dBadOptions : public ::testing::TestWithParam<wst::test::BadCase> {};

TEST_P(Scatter1dBadOptions, ExitTwoOneLineNothingLeft) {
  const std::string dir = wst::test::temp_dir(), x = more("x");
  wst::test::expect_rejected(GetParam(), dir, [&](const std::string& text) {
    return wst::test::expand_placeholders(text, dir, dir + "/out.npy", dir + "/m.json",
                                          [&](const std::string&) { return x; });
  });
}

std::string args(const std::string& options, const std::string& out = "{out}") {
  return "scatter1d --J 6 --Q 8 --plan estimate " + options + " {x} " + out + " --meta {meta}";
}

INSTANTIATE_TEST_SUITE_P(
    Table, Scatter1dBadOptions,
    ::testing::Values(
        wst::test::BadCase{"NegativeT", args("--T -3"), 2,
                           {"--T", "'global' or a number >= 0", "'-3'"}},
        wst::test::BadCase{"TBelowOne", args("--T 0.5"), 2, {"--T", "from 1 to N", "'0.5'"}},
        wst::test::BadCase{"TNotANumber", args("--T local"), 2, {"--T", "'local'"}},
        wst::test::BadCase{"TInfinite", args("--T inf"), 2, {"--T", "'inf'"}},
        wst::test::BadCase{"TAboveN", args("--T 4096"), 2, {"cannot exceed input length", "T=4096",
                                                            "[1, N=2048]"}},
        wst::test::BadCase{"StrideNotPowerOfTwo", args("--stride 12"), 2,
                           {"--stride", "power of two >= 1", "'12'"}},
        wst::test::BadCase{"StrideZero", args("--stride 0"), 2, {"--stride", "'0'"}},
        wst::test::BadCase{"StrideAboveT", args("--T 16 --stride 32"), 2,
                           {"--stride 32 is out of range", "from 1 to 2^floor(log2 T) = 16"}},
        wst::test::BadCase{"StrideAboveDefaultT", args("--stride 128"), 2,
                           {"--stride 128", "= 64"}},
        wst::test::BadCase{"StrideWithGlobal", args("--T global --stride 16"), 2,
                           {"--stride 16 is only used when averaging over T"}},
        wst::test::BadCase{"StrideWithT0", args("--T 0 --stride 16", "{dir}/out.npz"), 2,
                           {"--stride 16", "--T 0"}},
        wst::test::BadCase{"T0WithoutNpz", args("--T 0"), 2, {"--T 0", "must end in .npz"}},
        wst::test::BadCase{"NpzWithoutT0", args("--T global", "{dir}/out.npz"), 2,
                           {"only --T 0 writes an .npz"}}),
    [](const auto& info) { return info.param.name; });

}  // namespace
