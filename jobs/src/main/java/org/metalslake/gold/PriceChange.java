package org.metalslake.gold;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.metalslake.gold.TradeTotals.toCols;

import java.time.LocalDate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The change of each price series between two dates: the last observation on or before each date
 * (so a weekend or holiday takes the previous trading day), the absolute change and the percent
 * change, guarded as in {@code gold.price_trends} (null across a sign change or from a base not
 * above zero, with the reason in {@code change_flag}).
 */
public final class PriceChange {
  private PriceChange() {}

  public static Dataset<Row> between(Dataset<Row> prices, LocalDate from, LocalDate to) {
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("--to " + to + " is before --from " + from);
    }
    Dataset<Row> at = prices.filter(col("date").isNotNull().and(col("price").isNotNull()));
    Dataset<Row> start = lastOnOrBefore(at, from, "from");
    Dataset<Row> end = lastOnOrBefore(at, to, "to");
    return start
        .transform(st -> PriceTrends.joinOnSeries(st, end, "inner"))
        .withColumn("change", col("to_price").minus(col("from_price")))
        .withColumn("change_pct", PriceTrends.pct(col("to_price"), col("from_price")))
        .withColumn("change_flag", PriceTrends.flag(col("to_price"), col("from_price")))
        .select(
            col("metal"),
            col("market"),
            col("series"),
            col("basis"),
            col("currency"),
            col("unit"),
            col("source"),
            col("from_date"),
            col("from_price"),
            col("to_date"),
            col("to_price"),
            col("change"),
            col("change_pct"),
            col("change_flag"))
        .orderBy("metal", "market", "series", "source");
  }

  private static Dataset<Row> lastOnOrBefore(Dataset<Row> prices, LocalDate date, String prefix) {
    return prices
        .filter(col("date").leq(lit(java.sql.Date.valueOf(date))))
        .groupBy(toCols(PriceTrends.SERIES))
        .agg(
            max("date").as(prefix + "_date"),
            max_by(col("price"), col("date")).as(prefix + "_price"));
  }
}
