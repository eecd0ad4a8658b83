// Text for the report's page and the command lines it shows: POSIX shell words and HTML.
#pragma once
#include <string>
#include <string_view>

namespace wst::report {

// `word` as one word of a POSIX shell command line (quoted when it needs to be).
std::string shell_word(const std::string& word);

// `s` escaped for HTML text and attribute values (& < > " ').
std::string html(std::string_view s);

// Escaped text in which `code` spans become <code>code</code> (an unmatched backtick is closed).
std::string html_with_code(std::string_view s);

}  // namespace wst::report
