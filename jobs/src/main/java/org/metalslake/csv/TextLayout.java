package org.metalslake.csv;

import java.io.Serializable;

/**
 * How a delimited text file is laid out on disk, as {@link CsvText#probe} found it: gzip or not (by
 * content), the character set, the length of a byte-order mark to skip, the field delimiter and
 * whether the first line is a spreadsheet's {@code sep=;} hint rather than data. For a workbook
 * (xlsx), {@code sheet} names the worksheet the records are read from, and the text fields are
 * unused.
 */
public record TextLayout(
    boolean gzip, String charset, int bomBytes, char delimiter, boolean sepLine, String sheet)
    implements Serializable {

  public TextLayout(boolean gzip, String charset, int bomBytes, char delimiter, boolean sepLine) {
    this(gzip, charset, bomBytes, delimiter, sepLine, null);
  }

  /** The layout of a workbook whose records are the rows of one sheet. */
  public static TextLayout workbook(String sheet) {
    return new TextLayout(false, null, 0, ',', false, sheet);
  }

  public boolean isWorkbook() {
    return sheet != null;
  }

  /** The delimiter as users name it: comma, tab, semicolon or pipe. */
  public String delimiterName() {
    return switch (delimiter) {
      case ',' -> "comma";
      case '\t' -> "tab";
      case ';' -> "semicolon";
      case '|' -> "pipe";
      default -> "'" + delimiter + "'";
    };
  }

  /** A short description for progress lines and reports, e.g. {@code gzip, UTF-8 (BOM), tab}. */
  public String describe() {
    if (isWorkbook()) {
      return "xlsx workbook, sheet '" + sheet + "'";
    }
    return (gzip ? "gzip, " : "")
        + charset
        + (bomBytes > 0 ? " (BOM)" : "")
        + ", "
        + delimiterName()
        + (sepLine ? " (sep= line)" : "");
  }
}
