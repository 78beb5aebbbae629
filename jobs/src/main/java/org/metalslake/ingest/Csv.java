package org.metalslake.ingest;

import java.util.ArrayList;
import java.util.List;

/** A small RFC 4180 line splitter for headers and reference files read on the driver. */
public final class Csv {
  private Csv() {}

  public static final char BOM = '\uFEFF';

  public static String stripBom(String s) {
    return !s.isEmpty() && s.charAt(0) == BOM ? s.substring(1) : s;
  }

  /** Splits one CSV line; quoted fields may hold commas and doubled quotes. */
  public static List<String> split(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
            cur.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          cur.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else if (c != '\r' && c != '\n') {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }

  /** Parses a whole small file: first line is the header; blank lines are skipped. */
  public static List<List<String>> parse(String text) {
    List<List<String>> rows = new ArrayList<>();
    for (String line : stripBom(text).split("\r?\n")) {
      if (!line.isBlank()) {
        rows.add(split(line));
      }
    }
    return rows;
  }
}
