// Rows of text parameters for Connection::insertRows, kept the way Connector/C's array binding
// reads them: per column, one array of value pointers, one of lengths and one of NULL indicators.
// The values are not copied: each must stay alive, unchanged, until the rows are sent.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace actions::db {

class ParameterRows {
 public:
  struct Column {
    std::vector<const char*> values;
    std::vector<unsigned long> lengths;
    std::vector<char> indicators;  // Connector/C's STMT_INDICATOR_NONE (0) or _NULL (1)
  };

  explicit ParameterRows(std::size_t columns) : columns_(columns) {}

  // Forgets the rows, keeping the arrays' capacity for the next batch.
  void clear() {
    for (Column& c : columns_) {
      c.values.clear();
      c.lengths.clear();
      c.indicators.clear();
    }
  }
  void reserve(std::size_t rows) {
    for (Column& c : columns_) {
      c.values.reserve(rows);
      c.lengths.reserve(rows);
      c.indicators.reserve(rows);
    }
  }

  // Appends a value to `column`; every column gets one value per row, in row order.
  void text(std::size_t column, std::string_view value) {
    Column& c = columns_[column];
    c.values.push_back(value.data() ? value.data() : "");
    c.lengths.push_back(static_cast<unsigned long>(value.size()));
    c.indicators.push_back(0);
  }
  void null(std::size_t column) {
    Column& c = columns_[column];
    c.values.push_back("");
    c.lengths.push_back(0);
    c.indicators.push_back(1);
  }

  std::size_t columnCount() const { return columns_.size(); }
  std::size_t rowCount() const { return columns_.empty() ? 0 : columns_[0].values.size(); }
  const Column& column(std::size_t i) const { return columns_[i]; }

 private:
  std::vector<Column> columns_;
};

}  // namespace actions::db
