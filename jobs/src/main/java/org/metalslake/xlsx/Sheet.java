package org.metalslake.xlsx;

import java.io.Serializable;
import java.util.List;

/**
 * A worksheet of a workbook by name, with its first rows (those that have a value): what a format
 * looks at to recognise the sheet it reads and find its header.
 */
public record Sheet(String name, List<SheetRow> rows) implements Serializable {
  public Sheet {
    rows = List.copyOf(rows);
  }
}
