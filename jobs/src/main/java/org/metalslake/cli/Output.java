package org.metalslake.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Prints query results as an aligned table, CSV or JSON lines. */
final class Output {
  private Output() {}

  /** Refuses an unknown {@code --format} as a usage error, before the command does any work. */
  static void checkFormat(Object command, String format) {
    if (!format.matches("table|csv|json")) {
      throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(command),
          "unknown --format '" + format + "': table, csv or json");
    }
  }

  static void print(Dataset<Row> df, String format, int limit, PrintStream out) {
    switch (format.toLowerCase(Locale.ROOT)) {
      case "json" -> df.limit(limit).toJSON().collectAsList().forEach(out::println);
      case "csv" -> {
        out.println(String.join(",", List.of(df.columns()).stream().map(Output::csv).toList()));
        for (Row r : df.limit(limit).collectAsList()) {
          List<String> cells = new ArrayList<>();
          for (int i = 0; i < r.size(); i++) {
            cells.add(csv(r.isNullAt(i) ? "" : String.valueOf(r.get(i))));
          }
          out.println(String.join(",", cells));
        }
      }
      case "table" -> table(df, limit, out);
      default ->
          throw new IllegalArgumentException("unknown format '" + format + "': table, csv or json");
    }
  }

  static String csv(String s) {
    if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
      return "\"" + s.replace("\"", "\"\"") + "\"";
    }
    return s;
  }

  private static void table(Dataset<Row> df, int limit, PrintStream out) {
    String[] cols = df.columns();
    List<Row> rows = df.limit(limit + 1).collectAsList();
    boolean more = rows.size() > limit;
    if (more) {
      rows = rows.subList(0, limit);
    }
    int[] w = new int[cols.length];
    List<String[]> cells = new ArrayList<>();
    for (int i = 0; i < cols.length; i++) {
      w[i] = cols[i].length();
    }
    for (Row r : rows) {
      String[] c = new String[cols.length];
      for (int i = 0; i < cols.length; i++) {
        c[i] = r.isNullAt(i) ? "null" : cell(r.get(i));
        w[i] = Math.min(60, Math.max(w[i], c[i].length()));
      }
      cells.add(c);
    }
    StringBuilder sep = new StringBuilder("+");
    for (int x : w) {
      sep.append("-".repeat(x + 2)).append('+');
    }
    out.println(sep);
    out.println(line(cols, w));
    out.println(sep);
    for (String[] c : cells) {
      out.println(line(c, w));
    }
    out.println(sep);
    out.println(rows.size() + (more ? "+ rows (showing the first " + limit + ")" : " rows"));
  }

  private static String cell(Object o) {
    if (o instanceof Double d) {
      return d == Math.rint(d) && Math.abs(d) < 1e15
          ? String.format(Locale.ROOT, "%.1f", d)
          : String.format(Locale.ROOT, "%.4f", d).replaceAll("0+$", "");
    }
    String s = String.valueOf(o);
    return s.length() > 60 ? s.substring(0, 57) + "..." : s;
  }

  private static String line(String[] c, int[] w) {
    StringBuilder sb = new StringBuilder("|");
    for (int i = 0; i < c.length; i++) {
      String v = c[i].length() > w[i] ? c[i].substring(0, w[i]) : c[i];
      sb.append(' ').append(v).append(" ".repeat(w[i] - v.length())).append(" |");
    }
    return sb.toString();
  }
}
