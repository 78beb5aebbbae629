package org.metalslake.conform;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.format_number;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.nullif;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Helpers for quarantine reasons: one row may collect several, joined with "; ". */
public final class Reasons {
  private Reasons() {}

  public static final String ERROR = "error";
  public static final String SKIPPED = "skipped";

  /**
   * All non-null reasons joined by "; ", or null when there are none. The array filter is no
   * accident: Spark evaluates it without generated code, which keeps a conformer's many reason
   * expressions out of the generated method of its stage (inlined by {@code concat_ws} alone, the
   * USGS conformers' stage outgrows the JVM's 64 KB method limit and loses code generation).
   */
  public static Column all(Column... reasons) {
    return nullif(concat_ws("; ", array_compact(array(reasons))), lit(""));
  }

  /** A malformed line: its field count differs from the header's. */
  public static Column malformedLine() {
    return when(
        col("_fields").notEqual(col("_expected_fields")),
        format_string(
            "malformed CSV line: %d fields where the header has %d",
            col("_fields"), col("_expected_fields")));
  }

  /** Values longer than this are cut in messages. */
  static final int QUOTE_LIMIT = 100;

  /**
   * Quoted value for messages, e.g. {@code 'Atlantis'} (or {@code empty}); a value longer than
   * {@value #QUOTE_LIMIT} characters is cut, with its length: {@code 'xxxx…' (200,000 characters)}.
   */
  public static Column quoted(Column value) {
    Column whole = concat(lit("'"), value, lit("'"));
    Column cut =
        concat(
            lit("'"),
            substring(value, 1, QUOTE_LIMIT),
            lit("…' ("),
            format_number(length(value), 0),
            lit(" characters)"));
    return coalesce(when(length(value).gt(QUOTE_LIMIT), cut).otherwise(whole), lit("empty"));
  }

  /**
   * Adds {@code _reason} (the skip reason, else the error reasons) and {@code _severity} ({@code
   * skipped}, {@code error}, or null for a good fact).
   */
  public static Dataset<Row> judged(Dataset<Row> df, Column skip, Column errors) {
    return df.withColumn("_reason", coalesce(skip, errors))
        .withColumn(
            "_severity",
            when(skip.isNotNull(), lit(SKIPPED)).when(col("_reason").isNotNull(), lit(ERROR)));
  }

  /** As {@link #judged(Dataset, Column, Column)} without a skip reason. */
  public static Dataset<Row> judged(Dataset<Row> df, Column errors) {
    return judged(df, lit(null).cast("string"), errors);
  }
}
