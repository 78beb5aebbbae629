package org.metalslake.conform;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Periods as sources write them ({@code YYYY}, {@code YYYY-MM}, {@code YYYY-Qn}, and a combined
 * {@code YYYY-01/02}) to typed columns: {@code __freq} (A, Q, M; null when unreadable), {@code
 * year}, {@code quarter}, {@code month}, {@code months_covered}, {@code period_norm} and {@code
 * __period_bad} (true for a period that cannot be a real one).
 */
public final class Periods {
  private Periods() {}

  public static Dataset<Row> parse(Dataset<Row> df, Column raw) {
    return df.withColumn("__p", upper(regexp_replace(trim(raw), "\\s", "")))
        .withColumn(
            "__freq",
            when(col("__p").rlike("^[0-9]{4}$"), lit("A"))
                .when(col("__p").rlike("^[0-9]{4}-(0[1-9]|1[0-2])$"), lit("M"))
                .when(col("__p").rlike("^[0-9]{4}-01/02$"), lit("M"))
                .when(col("__p").rlike("^[0-9]{4}-Q[1-4]$"), lit("Q")))
        .withColumn(
            "year",
            when(col("__freq").isNotNull(), regexp_extract(col("__p"), "^([0-9]{4})", 1))
                .cast("int"))
        .withColumn(
            "__period_bad",
            col("__freq").isNull().or(col("year").between(1900, 2100).unary_$bang()))
        .withColumn(
            "month",
            when(col("__p").rlike("^[0-9]{4}-01/02$"), lit(2))
                .when(
                    col("__freq").equalTo("M"),
                    regexp_extract(col("__p"), "^[0-9]{4}-([0-9]{2})$", 1).cast("int")))
        .withColumn(
            "quarter",
            when(
                col("__freq").equalTo("Q"), regexp_extract(col("__p"), "Q([1-4])$", 1).cast("int")))
        .withColumn(
            "months_covered",
            when(col("__p").rlike("^[0-9]{4}-01/02$"), lit(2))
                .when(col("__freq").equalTo("M"), lit(1))
                .when(col("__freq").equalTo("Q"), lit(3))
                .when(col("__freq").equalTo("A"), lit(12)))
        .withColumn(
            "period_norm",
            when(col("__freq").equalTo("A"), col("year").cast("string"))
                .when(
                    col("__freq").equalTo("M"),
                    format_string("%04d-%02d", col("year"), col("month")))
                .when(
                    col("__freq").equalTo("Q"),
                    format_string("%04d-Q%d", col("year"), col("quarter"))))
        .drop("__p");
  }
}
