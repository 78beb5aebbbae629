package org.metalslake.storage;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Writing a table for people and tools outside the lake. */
public final class Export {
  private Export() {}

  /**
   * Text a spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage return) is
   * prefixed with a single quote, the usual defence against CSV formula injection; numbers stay
   * numbers.
   */
  public static Column spreadsheetSafe(Column text) {
    return when(text.rlike("^[=+\\-@\\t\\r]"), concat(lit("'"), text)).otherwise(text);
  }

  /** Nested columns as JSON text, then every text column made spreadsheet-safe. */
  public static Dataset<Row> forCsv(Dataset<Row> df) {
    List<Column> cols = new ArrayList<>();
    for (StructField f : df.schema().fields()) {
      Column c = col("`" + f.name() + "`");
      boolean nested =
          f.dataType() instanceof MapType
              || f.dataType() instanceof ArrayType
              || f.dataType() instanceof StructType;
      if (nested) {
        c = to_json(c);
      }
      if (nested || f.dataType() instanceof StringType) {
        c = spreadsheetSafe(c);
      }
      cols.add(c.as(f.name()));
    }
    return df.select(cols.toArray(new Column[0]));
  }

  /**
   * Writes {@code df} to {@code target}: one CSV file with a header (UTF-8, RFC 4180 quoting), or a
   * Parquet folder. Refuses an existing target unless {@code force}. Returns the rows written.
   */
  public static long write(Dataset<Row> df, String target, String format, boolean force) {
    Path out = new Path(target);
    try {
      FileSystem fs = out.getFileSystem(df.sparkSession().sparkContext().hadoopConfiguration());
      if (fs.exists(out)) {
        if (!force) {
          throw new IllegalArgumentException(
              target + " exists: choose another path, or --force to replace it");
        }
        fs.delete(out, true);
      }
      long rows = df.count();
      if (format.equals("parquet")) {
        df.write().parquet(target);
        return rows;
      }
      Path tmp = new Path(out.getParent(), "." + out.getName() + ".export-tmp");
      fs.delete(tmp, true);
      forCsv(df)
          .coalesce(1)
          .write()
          .option("header", "true")
          .option("escape", "\"")
          .option("emptyValue", "")
          .csv(tmp.toString());
      FileStatus[] parts = fs.globStatus(new Path(tmp, "part-*.csv"));
      if (parts == null || parts.length != 1) {
        throw new IllegalStateException("expected one CSV part in " + tmp);
      }
      if (!fs.rename(parts[0].getPath(), out)) {
        throw new IOException("could not move the export to " + target);
      }
      fs.delete(tmp, true);
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException("export to " + target + " failed: " + e.getMessage(), e);
    }
  }
}
