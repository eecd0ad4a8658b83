// lab/digits: indices spread over the classes, digits centred in larger images.
#include <gtest/gtest.h>

#include "test_support.hpp"
#include "wst/lab/digits.hpp"
#include "wst/support/error.hpp"

namespace {

wst::Digits three_digits() {
  wst::Digits d;
  d.rows = 2;
  d.cols = 3;
  for (int i = 0; i < 3; ++i) {
    for (int p = 0; p < 6; ++p) d.images.push_back(float(10 * i + p + 1));
    d.labels.push_back(i);
  }
  return d;
}

TEST(LabDigits, SpreadIndicesCoverTheRangeEvenly) {
  EXPECT_EQ(wst::lab::spread_indices(10, 5), (std::vector<std::size_t>{0, 2, 4, 6, 8}));
  EXPECT_EQ(wst::lab::spread_indices(10, 4, 3), (std::vector<std::size_t>{3, 5, 8, 0}));
  EXPECT_EQ(wst::lab::spread_indices(10000, 3).back(), 6666u);
  EXPECT_THROW(wst::lab::spread_indices(0, 2), wst::UsageError);
}

TEST(LabDigits, CentredWithZerosAround) {
  const wst::Digits d = three_digits();
  const std::vector<double> x = wst::lab::centred_digits(d, {2, 0}, 5);
  ASSERT_EQ(x.size(), 2u * 25u);
  // Digit 2 (values 21 … 26) at rows 1–2, columns 1–3 of a 5 × 5 image.
  EXPECT_EQ(x[0], 0.0);
  EXPECT_EQ(x[1 * 5 + 1], 21.0);
  EXPECT_EQ(x[1 * 5 + 3], 23.0);
  EXPECT_EQ(x[2 * 5 + 3], 26.0);
  EXPECT_EQ(x[3 * 5 + 1], 0.0);
  EXPECT_EQ(x[25 + 1 * 5 + 1], 1.0);  // digit 0 in the second image
  double sum = 0;
  for (double v : x) sum += v;
  EXPECT_EQ(sum, (21 + 22 + 23 + 24 + 25 + 26) + (1 + 2 + 3 + 4 + 5 + 6));
  EXPECT_THROW(wst::lab::centred_digits(d, {0}, 2), wst::UsageError);
  EXPECT_THROW(wst::lab::centred_digits(d, {3}, 5), wst::UsageError);
}

}  // namespace
