package org.metalslake.conform;

import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_filter;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The columns every conformed row carries: the lineage of its bronze record, {@code _reason} and
 * {@code _severity}. The record itself is not carried: bronze rows hold the source columns as flat
 * string columns, and only the quarantine reads them again ({@link #record}), for its rows alone.
 */
public final class Outcome {
  private Outcome() {}

  /** Bronze's array of fields found beyond the header's columns (null on well-formed rows). */
  public static final String EXTRA_FIELDS = "_extra_fields";

  private static final String[] LINEAGE = {
    "_batch_id", "_file_id", "_source_file", "_line", "_format", "_fields", "_expected_fields"
  };

  private static final String[] OUTCOME = {
    "_batch_id", "_file_id", "_source_file", "_line", "_format", "_reason", "_severity"
  };

  /** The lineage columns every candidate keeps. */
  public static Column[] lineage() {
    Column[] out = new Column[LINEAGE.length];
    for (int i = 0; i < LINEAGE.length; i++) {
      out[i] = col(LINEAGE[i]);
    }
    return out;
  }

  /** {@code cols} followed by the lineage, {@code _reason} and {@code _severity}. */
  public static Column[] withOutcome(Column... cols) {
    List<Column> out = new ArrayList<>(List.of(cols));
    for (String c : OUTCOME) {
      out.add(col(c));
    }
    return out.toArray(new Column[0]);
  }

  /**
   * A bronze table's record columns (the source columns and {@code _extra_fields}), each renamed
   * with {@code prefix}, for {@link #record} to read after a join, and its {@code _file_id} and
   * {@code _line} as {@code __rf} and {@code __rl}.
   */
  public static Dataset<Row> recordColumns(Dataset<Row> bronze, String prefix) {
    List<Column> out = new ArrayList<>();
    out.add(col("_file_id").as("__rf"));
    out.add(col("_line").as("__rl"));
    for (String c : recordFields(bronze)) {
      out.add(col("`" + c + "`").as(prefix + c));
    }
    return bronze.select(out.toArray(new Column[0]));
  }

  /**
   * A bronze row as it was read: source column → raw value (empty values left out), the fields past
   * the header's end under {@code _extra_fields}; for quarantine rows. Reads the columns of {@code
   * bronze} as {@link #recordColumns} renamed them with {@code prefix}.
   */
  public static Column record(Dataset<Row> bronze, String prefix) {
    List<Column> kv = new ArrayList<>();
    for (String c : recordFields(bronze)) {
      Column v = col("`" + prefix + c + "`");
      kv.add(lit(c));
      kv.add(c.equals(EXTRA_FIELDS) ? array_join(v, ",") : v);
    }
    return map_filter(
        org.apache.spark.sql.functions.map(kv.toArray(new Column[0])), (k, v) -> v.isNotNull());
  }

  private static List<String> recordFields(Dataset<Row> bronze) {
    List<String> out = new ArrayList<>();
    for (String c : bronze.columns()) {
      if (!c.startsWith("_")) {
        out.add(c);
      }
    }
    if (List.of(bronze.columns()).contains(EXTRA_FIELDS)) {
      out.add(EXTRA_FIELDS);
    }
    return out;
  }
}
