#include "help_format.h"

#include <sstream>
#include <vector>

namespace cli {
namespace {

constexpr std::size_t kPageWidth = 80;
constexpr std::size_t kTermColumn = 30;

// Appends the words of `text` to `out`, whose current line already holds `used` characters;
// a line that would pass the page width continues on a new one indented by `indent`.
void appendWrapped(std::string& out, const std::string& text, std::size_t used,
                   std::size_t indent) {
  std::istringstream words(text);
  std::string word;
  bool first = true;
  while (words >> word) {
    if (!first && used + 1 + word.size() > kPageWidth) {
      out += '\n';
      out.append(indent, ' ');
      used = indent;
      first = true;
    }
    if (!first) {
      out += ' ';
      ++used;
    }
    out += word;
    used += word.size();
    first = false;
  }
}

// `left` in the first column and `text` wrapped at word boundaries in the second; a term too
// long for its column gets a line of its own.
std::string twoColumns(const std::string& left, const std::string& text) {
  std::string out = left;
  if (out.size() + 1 > kTermColumn) {
    out += '\n';
    out.append(kTermColumn, ' ');
  } else {
    out.append(kTermColumn - out.size(), ' ');
  }
  appendWrapped(out, text, kTermColumn, kTermColumn);
  return out + '\n';
}

// The command line that runs `app`: its parents' names, then its own.
std::string commandPath(const CLI::App* app) {
  std::string path = app->get_name();
  for (const CLI::App* p = app->get_parent(); p; p = p->get_parent())
    path = p->get_name() + (path.empty() ? "" : " " + path);
  return path;
}

}  // namespace

std::string wrapText(const std::string& text, std::size_t indent, std::size_t column) {
  std::string out;
  std::istringstream lines(text);
  std::string line;
  bool first = true;
  while (std::getline(lines, line)) {
    if (!first) out += '\n';
    if (!first && !line.empty() && line[0] != ' ') out.append(indent, ' ');
    if (line.empty() || line[0] == ' ')
      out += line;
    else
      appendWrapped(out, line, first ? column : indent, indent);
    first = false;
  }
  return out;
}

HelpFormatter::HelpFormatter() {
  label("SUBCOMMAND", "COMMAND");
  label("Positionals", "Arguments");
  column_width(kTermColumn);
}

std::string HelpFormatter::make_usage(const CLI::App* app, std::string) const {
  std::string path = commandPath(app);
  if (!app->get_subcommands({}).empty()) {
    // The tool itself: a command, its options and input; or help and version.
    return "Usage: " + path + " COMMAND [OPTIONS] [INPUT...]\n       " + path +
           " --help | --version\n";
  }
  std::string usage = "Usage: " + path;
  bool optional = false;
  for (const CLI::Option* opt : app->get_options()) {
    if (opt->get_positional() || opt == app->get_help_ptr()) continue;
    if (opt->get_required()) {
      usage += " " + opt->get_name(false, false) + " " + opt->get_type_name();
    } else {
      optional = true;
    }
  }
  if (optional) usage += " [OPTIONS]";
  for (const CLI::Option* opt : app->get_options())
    if (opt->get_positional()) usage += " " + make_option_usage(opt);
  return usage + "\n";
}

std::string HelpFormatter::make_help(const CLI::App* app, std::string name,
                                     CLI::AppFormatMode mode) const {
  if (mode == CLI::AppFormatMode::Sub) return make_expanded(app);
  std::string out = make_usage(app, name);
  if (!app->get_description().empty()) out += "\n" + wrapText(app->get_description()) + "\n";
  out += make_positionals(app);  // each group starts with a blank line
  out += make_groups(app, mode);
  out += make_subcommands(app, mode);
  if (!app->get_footer().empty()) out += "\n" + app->get_footer() + "\n";
  // Each group opens with a blank line and CLI11 adds one between groups: keep one.
  for (std::size_t at; (at = out.find("\n\n\n")) != std::string::npos;) out.erase(at, 1);
  return out;
}

std::string HelpFormatter::make_option(const CLI::Option* opt, bool positional) const {
  return twoColumns("  " + make_option_name(opt, positional) + make_option_opts(opt),
                    make_option_desc(opt));
}

std::string HelpFormatter::make_subcommand(const CLI::App* sub) const {
  return twoColumns("  " + sub->get_display_name(true), sub->get_description());
}

}  // namespace cli
