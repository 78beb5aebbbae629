package org.metalslake.gold;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.metalslake.gold.TradeTotals.toCols;
import static org.metalslake.gold.TradeTotals.toSeq;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * National production per source and year: the reported annual figure, else the sum of the months
 * when they cover all twelve and none is withheld. World and other-countries rows are kept with
 * their {@code country_kind}; sub-national rows are not national figures and are left out.
 */
public final class AnnualProduction {
  private AnnualProduction() {}

  static final List<String> KEY =
      List.of("source", "country_iso3", "country_kind", "metal", "stage", "basis", "year");

  /** Columns: the key, {@code production_t} and {@code flags} (of the reported figure). */
  public static Dataset<Row> of(Dataset<Row> production) {
    Dataset<Row> national = production.filter(col("region").isNull());
    Dataset<Row> summed =
        national
            .filter(col("freq").equalTo("M"))
            .groupBy(toCols(KEY))
            .agg(
                sum("quantity_t").as("__sum"),
                sum("months_covered").as("__covered"),
                count(col("quantity_t")).as("__n"),
                count(lit(1)).as("__rows"));
    Dataset<Row> reported =
        national
            .filter(col("freq").equalTo("A"))
            .select(
                col("source"),
                col("country_iso3"),
                col("country_kind"),
                col("metal"),
                col("stage"),
                col("basis"),
                col("year"),
                col("quantity_t").as("__reported"),
                col("flags").as("__flags"),
                lit(true).as("__has_reported"));
    return reported
        .join(summed, toSeq(KEY), "full_outer")
        .select(
            col("source"),
            col("country_iso3"),
            col("country_kind"),
            col("metal"),
            col("stage"),
            col("basis"),
            col("year"),
            coalesce(
                    col("__reported"),
                    when(
                        col("__has_reported")
                            .isNull()
                            .and(col("__covered").equalTo(12))
                            .and(col("__n").equalTo(col("__rows"))),
                        col("__sum")))
                .as("production_t"),
            col("__flags").as("flags"));
  }
}
