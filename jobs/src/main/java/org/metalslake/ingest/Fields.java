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
}
