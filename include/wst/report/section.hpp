// What one section of the report shows (wst/report/sections.hpp makes them, wst/report/page.hpp
// turns them into HTML): its pictures with captions, small tables of the numbers behind them,
// the command lines that regenerate them, and what is missing and why.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace wst::report {

// One picture: its file name inside the report folder, its alt text, and its caption (two
// sentences: what it shows, and which part of the seed it illustrates).
struct Image {
  std::string file, alt, caption;
};

// A table of plain-text cells (escaped by the page; a cell "*text*" is shown in italics).
struct Table {
  std::string caption;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::size_t label_columns = 1;       // left-aligned text columns; the others are numbers
  std::size_t after_image = SIZE_MAX;  // shown after images[after_image], else after them all
};

// Something a section could not show: what, why, and the command that produces it.
struct Missing {
  std::string what, why, how;
};

struct Section {
  std::vector<Image> images;
  std::vector<Table> tables;
  std::vector<Missing> missing;
  std::vector<std::string> commands;  // shell lines that regenerate the section's figures
  std::vector<std::string> notes;     // short remarks shown under the figures
};

}  // namespace wst::report
