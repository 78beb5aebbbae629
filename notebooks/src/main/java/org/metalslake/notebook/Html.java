package org.metalslake.notebook;

import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Rows as an HTML table for a notebook's output. */
final class Html {
  private Html() {}

  static String table(StructType schema, List<Row> rows) {
    StringBuilder s = new StringBuilder("<table>\n<thead><tr>");
    for (StructField f : schema.fields()) {
      s.append("<th>").append(escape(f.name())).append("</th>");
    }
    s.append("</tr></thead>\n<tbody>\n");
    for (Row r : rows) {
      s.append("<tr>");
      for (int i = 0; i < schema.fields().length; i++) {
        boolean number = schema.fields()[i].dataType() instanceof NumericType;
        s.append(number ? "<td style=\"text-align:right\">" : "<td>")
            .append(r.isNullAt(i) ? "" : escape(cell(r.get(i))))
            .append("</td>");
      }
      s.append("</tr>\n");
    }
    return s.append("</tbody>\n</table>").toString();
  }

  /** Doubles with at most two decimals and thousands separators; the rest as printed. */
  static String cell(Object v) {
    if (v instanceof Double d && !d.isNaN() && !d.isInfinite()) {
      return String.format(Locale.ROOT, Math.rint(d) == d ? "%,.0f" : "%,.2f", d);
    }
    if (v instanceof Long) { // counts; an Integer is a year, a month or a rank: as it is
      return String.format(Locale.ROOT, "%,d", v);
    }
    return String.valueOf(v);
  }

  static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
