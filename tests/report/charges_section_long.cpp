// The report's section on what 3D harmonic scattering predicts (wst/report/charges.hpp) with
// its --quick setting: two figures, the two tables, the command. About 10 s: ctest label `long`.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "test_support.hpp"
#include "wst/report/charges.hpp"

TEST(ChargesSection, QuickSectionHasItsFiguresTablesAndCommand) {
  wst::report::Settings s;
  s.dir = wst::test::temp_dir();
  s.out = "out";
  s.quick = true;
  s.exec.threads = 2;
  const wst::report::Section sec = wst::report::charges_section(s);
  ASSERT_EQ(sec.images.size(), 2u);
  for (const auto& img : sec.images) {
    EXPECT_GT(std::filesystem::file_size(s.dir + "/" + img.file), 1000u) << img.file;
    EXPECT_NE(img.caption.find("."), std::string::npos);
  }
  ASSERT_EQ(sec.tables.size(), 2u);
  EXPECT_EQ(sec.tables[0].rows.size(), 3u);
  EXPECT_EQ(sec.tables[1].rows.size(), 4u);
  ASSERT_EQ(sec.commands.size(), 1u);
  EXPECT_NE(sec.commands[0].find("build/wst charges --out out --quick"), std::string::npos);
}
