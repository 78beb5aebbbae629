package org.metalslake.ingest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.sql.Column;

/** Access to a bronze record's source columns by name, forgiving of the header's letter case. */
public final class Fields {
  private Fields() {}

  /** The raw value of column {@code name} (lower, upper or capitalised spelling in the header). */
  public static Column get(String name) {
    Set<String> spellings = new LinkedHashSet<>();
    spellings.add(name);
    spellings.add(name.toLowerCase(Locale.ROOT));
    spellings.add(name.toUpperCase(Locale.ROOT));
    spellings.add(
        Character.toUpperCase(name.charAt(0)) + name.substring(1).toLowerCase(Locale.ROOT));
    Column[] options = spellings.stream().map(s -> col("record").getItem(s)).toArray(Column[]::new);
    return options.length == 1 ? options[0] : coalesce(options);
  }

  /** The lineage columns every fact keeps. */
  public static Column[] lineage() {
    return new Column[] {
      col("_batch_id"),
      col("_file_id"),
      col("_source_file"),
      col("_line"),
      col("_format"),
      col("_fields"),
      col("_expected_fields"),
      col("record")
    };
  }

  /** The columns every conformed row ends with: lineage, the raw record, reason and severity. */
  private static final String[] OUTCOME = {
    "_batch_id", "_file_id", "_source_file", "_line", "_format", "record", "_reason", "_severity"
  };

  /** {@code cols} followed by the lineage, record, {@code _reason} and {@code _severity}. */
  public static Column[] withOutcome(Column... cols) {
    Column[] out = new Column[cols.length + OUTCOME.length];
    System.arraycopy(cols, 0, out, 0, cols.length);
    for (int i = 0; i < OUTCOME.length; i++) {
      out[cols.length + i] = col(OUTCOME[i]);
    }
    return out;
  }
}
