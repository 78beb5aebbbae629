package org.metalslake.xlsx;

import java.io.Serializable;
import java.util.List;

/**
 * One row of a worksheet as stored: its row number (1 for the first row, as the spreadsheet shows
 * it) and its cells from column A to the last cell that has a value, each as text (empty for a cell
 * without one).
 */
public record SheetRow(long number, List<String> cells) implements Serializable {
  public SheetRow {
    cells = List.copyOf(cells);
  }

  /** The cell of a column counted from 0 (A), empty past the row's last value. */
  public String cell(int column) {
    return column < cells.size() ? cells.get(column) : "";
  }

  /** True when no cell has a value. */
  public boolean blank() {
    return cells.stream().allMatch(String::isBlank);
  }
}
