package org.metalslake.sources;

import java.util.List;

/**
 * Where a workbook format's records are: the sheet, the row its header is on (as the spreadsheet
 * numbers rows) and the header's column names (as the format names them, one per column from A).
 */
public record SheetHeader(String sheet, long row, List<String> names) {
  public SheetHeader {
    names = List.copyOf(names);
  }
}
