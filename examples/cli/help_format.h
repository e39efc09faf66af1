// The layout of every --help page, in the manner of a Unix tool's: a synopsis first (required
// options spelled out), the description, the arguments and the option groups in two columns
// wrapped to 80 characters, then the details, exit statuses and examples (see setHelp).
#pragma once

#include <CLI/App.hpp>
#include <CLI/Formatter.hpp>

#include <string>

namespace cli {

// `text` wrapped at word boundaries to the page width (80), every line after the first indented
// by `indent` spaces; lines of `text` that start with a space are kept as they are (a layout).
// `column` is where the first line starts.
std::string wrapText(const std::string& text, std::size_t indent = 0, std::size_t column = 0);

class HelpFormatter : public CLI::Formatter {
 public:
  HelpFormatter();

  std::string make_help(const CLI::App* app, std::string name,
                        CLI::AppFormatMode mode) const override;
  std::string make_usage(const CLI::App* app, std::string name) const override;
  std::string make_option(const CLI::Option* opt, bool positional) const override;
  std::string make_subcommand(const CLI::App* sub) const override;
};

}  // namespace cli
