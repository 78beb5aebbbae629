package org.metalslake.conform;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.nullif;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.translate;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Numbers as sources write them: blanks and no-break spaces between digits, U+2212 minus, commas
 * grouping thousands ({@code 1,234,567.5}). A number is finite: Spark reads {@code NaN}, {@code
 * Infinity} and {@code inf} as doubles, which are never a figure here.
 *
 * <p>A comma is a thousands separator only where it cannot be a decimal comma: in groups of exactly
 * three digits after a first group of one to three, and only when the file writes no decimal comma
 * in the same field ({@link #withDecimalCommaFiles}); {@code 1,5} and {@code 1.234,5} are never
 * guessed at. Ordinary values (no comma) do no regular-expression work.
 */
public final class Numbers {
  private Numbers() {}

  /** Commas grouping thousands: {@code 1,234}, {@code -12,345,678.25}. */
  static final String THOUSANDS = "^[-+]?[1-9][0-9]{0,2}(,[0-9]{3})+(\\.[0-9]+)?$";

  /**
   * A decimal comma where it is not also a thousands pattern: {@code 1,5}, {@code 0,125}, {@code
   * 1234,567}, {@code 1.234,5} (dots grouping thousands).
   */
  static final String DECIMAL_COMMA = "^[-+]?([0-9]+,[0-9]+|[0-9]{1,3}(\\.[0-9]{3})+,[0-9]+)$";

  /** The words Spark (or a spreadsheet) writes for non-finite values, any case, with a sign. */
  static final String NON_FINITE_WORD = "(?i)^[-+]?(nan|inf|infinity)$";

  /** A value that looks like a number but for its commas (for the reason's note). */
  private static final String DIGITS_AND_SEPARATORS = "^[-+]?[0-9.,]*[0-9][0-9.,]*$";

  private static final String FLAG_PREFIX = "__dc_";

  /** The raw value trimmed, U+2212 made '-', no-break, thin and plain blanks deleted: no regex. */
  static Column cleaned(Column raw) {
    return translate(trim(raw), "\u2212\u00A0\u2009 \t", "-");
  }

  /**
   * The finite number {@code raw} holds, or null: thousands commas are dropped where {@code
   * decimalCommaFile} (true when the file writes decimal commas in this field) is false.
   */
  public static Column parse(Column raw, Column decimalCommaFile) {
    Column c = cleaned(raw);
    Column plain =
        when(
                c.contains(","),
                when(
                    decimalCommaFile.unary_$bang().and(c.rlike(THOUSANDS)),
                    regexp_replace(c, ",", "")))
            .otherwise(c);
    Column d = nullif(plain, lit("")).try_cast(DataTypes.DoubleType);
    return when(finite(d), d);
  }

  /**
   * Candidate column {@code column} parsed with its file's decimal commas in mind: {@link
   * #withDecimalCommaFiles} must have added the file's flags for it.
   */
  public static Column parse(String column) {
    return parse(col(column), decimalCommaFile(column));
  }

  /**
   * True for a finite double, false for NaN and ±Infinity (Spark orders NaN above Infinity), null
   * for null: one comparison.
   */
  public static Column finite(Column value) {
    return abs(value).lt(lit(Double.POSITIVE_INFINITY));
  }

  /**
   * True when {@code raw} is a non-finite value ({@code NaN}, {@code -inf}, {@code 1e999}), which
   * {@link #parse} gives as null. For reasons: evaluated only on the rows that did not parse.
   */
  static Column nonFinite(Column raw) {
    Column c = cleaned(raw);
    return coalesce(
        c.rlike(NON_FINITE_WORD)
            .or(finite(nullif(c, lit("")).try_cast(DataTypes.DoubleType)).unary_$bang()),
        lit(false));
  }

  /**
   * What a reason adds about the commas of a value that did not parse: an ambiguous thousands
   * pattern in a file with decimal commas, or a decimal comma or misplaced separator; else empty.
   */
  static Column commaNote(Column raw, Column decimalCommaFile) {
    Column c = cleaned(raw);
    return coalesce(
        when(
            c.contains(","),
            when(
                    decimalCommaFile.and(c.rlike(THOUSANDS)),
                    lit(
                        " (ambiguous: a thousands separator, but the file also uses decimal commas)"))
                .when(
                    c.rlike(DIGITS_AND_SEPARATORS),
                    lit(" (a decimal comma or misplaced thousands separator)"))),
        lit(""));
  }

  /**
   * {@code df} with a column per field telling whether the row's file ({@code _file_id}) writes a
   * decimal comma in that field ({@link #decimalCommaFile}). Only the rows with a comma in one of
   * the fields are aggregated, to one row per file that has any, and that small result is
   * broadcast: a batch without commas adds a scan of those columns and no shuffle of its rows.
   */
  public static Dataset<Row> withDecimalCommaFiles(Dataset<Row> df, String... fields) {
    Column anyComma = lit(false);
    List<Column> flags = new ArrayList<>();
    for (String f : fields) {
      anyComma = anyComma.or(col(f).contains(","));
      Column c = cleaned(col(f));
      flags.add(
          max(coalesce(c.rlike(DECIMAL_COMMA).and(c.rlike(THOUSANDS).unary_$bang()), lit(false)))
              .as(FLAG_PREFIX + f));
    }
    Dataset<Row> files =
        df.filter(anyComma)
            .groupBy(col("_file_id").as(FLAG_PREFIX + "file"))
            .agg(flags.get(0), flags.subList(1, flags.size()).toArray(new Column[0]));
    return df.join(
            broadcast(files), col("_file_id").equalTo(col(FLAG_PREFIX + "file")), "left_outer")
        .drop(FLAG_PREFIX + "file");
  }

  /**
   * True when the row's file writes a decimal comma in {@code field}: the column {@link
   * #withDecimalCommaFiles} added, false for files without one.
   */
  public static Column decimalCommaFile(String field) {
    return coalesce(col(FLAG_PREFIX + field), lit(false));
  }
}
