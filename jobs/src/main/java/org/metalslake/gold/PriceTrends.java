package org.metalslake.gold;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.signum;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.try_divide;
import static org.apache.spark.sql.functions.when;
import static org.metalslake.gold.TradeTotals.toCols;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.metalslake.ref.Vocabulary;
import org.metalslake.storage.TableDoc;

/**
 * {@code gold.price_trends} (SPEC §6): per price or charge series and month, the month's average,
 * range and last price, changes on the month before and the same month a year before, and the
 * volatility of the last three months; converted to one currency where an exchange-rate series is
 * given.
 */
public final class PriceTrends {
  private PriceTrends() {}

  /** A series: one metal, market, series and qualifier in one currency and unit. */
  static final List<String> SERIES =
      List.of("source", "metal", "market", "series", "series_kind", "basis", "currency", "unit");

  public static final String VOLATILITY_CONVENTION =
      "Rolling 3-month volatility, percent: sample standard deviation of the log returns"
          + " ln(p_t / p_t-1) between consecutive observations whose later observation p_t is"
          + " dated in this month or the two calendar months before, annualised by the square root of the observations per year"
          + " (obs_per_year: 252 daily, 52 weekly, 12 monthly), x 100; null with fewer than 2"
          + " returns, and for charges (TC/RC), whose values may be zero or negative";

  public static final TableDoc DOC =
      TableDoc.of(
              "Price and charge trends per series and month: average, range, last, changes,"
                  + " volatility; in the series' own currency and unit")
          .column("source", "Publisher or dataset of the series")
          .column("metal", "Metal code from ref.metals")
          .column("market", "Market or assessment (LME cash, China spot, benchmark…)")
          .column("series", "price, TC, RC, or a grade/product")
          .column("series_kind", "price, or charge (TC/RC, may be negative)")
          .column("basis", "Qualifier as given (CIF China, battery grade…)")
          .column("currency", "Currency of the prices (ISO; US cents are converted to USD)")
          .column("unit", "Per t, dmt (dry metric tonne of concentrate) or troy oz")
          .column("year", "Calendar year")
          .column("month", "Month 1-12")
          .column("period", "YYYY-MM")
          .column("obs", "Observations in the month (gaps are not filled)")
          .column("first_date", "First observation date in the month")
          .column("last_date", "Last observation date in the month")
          .column("avg_price", "Mean of the month's observations")
          .column("min_price", "Lowest observation of the month")
          .column("max_price", "Highest observation of the month")
          .column("last_price", "Observation on last_date")
          .column("mom_change", "avg_price - the previous calendar month's avg_price")
          .column(
              "mom_pct",
              "(avg_price / previous month's avg_price - 1) * 100; null when the previous month is"
                  + " missing, or when its value is not above zero or the sign changes (see"
                  + " mom_flag)")
          .column(
              "mom_flag",
              "sign_change or non_positive_base when a percent change would be meaningless")
          .column("yoy_change", "avg_price - the same month a year earlier")
          .column(
              "yoy_pct", "(avg_price / same month a year earlier - 1) * 100, guarded as mom_pct")
          .column("yoy_flag", "sign_change or non_positive_base, as mom_flag")
          .column("volatility_3m_pct", VOLATILITY_CONVENTION)
          .column("volatility_returns", "Log returns behind volatility_3m_pct")
          .column("obs_per_year", "Annualisation: 252 daily, 52 weekly, 12 monthly series")
          .column(
              "converted_currency",
              "Currency of the converted columns (prices.convert-to), where a rate is known")
          .column(
              "fx_rate",
              "Month-average rate used: units of the series' currency per converted_currency (1"
                  + " for the same currency)")
          .column("fx_source", "Source of fx_rate (silver.fx_rates), or 'same currency'")
          .column("avg_price_converted", "avg_price / fx_rate (at the month-average rate)")
          .column("last_price_converted", "last_price / fx_rate (at the month-average rate)");

  public static Dataset<Row> compute(Dataset<Row> prices, Dataset<Row> fx, String convertTo) {
    WindowSpec bySeries = Window.partitionBy(toCols(SERIES)).orderBy(col("date"));
    Column prev = lag(col("price"), 1).over(bySeries);
    Column isPrice = col("series_kind").equalTo(Vocabulary.PRICE);
    Dataset<Row> obs =
        prices
            .filter(col("date").isNotNull().and(col("price").isNotNull()))
            .withColumn("__prev", prev)
            .withColumn("__gap", datediff(col("date"), lag(col("date"), 1).over(bySeries)))
            .withColumn(
                "__r",
                when(
                    isPrice.and(col("price").gt(0)).and(col("__prev").gt(0)),
                    log(try_divide(col("price"), col("__prev")))));
    // Annualisation from the series' typical spacing: daily (trading days), weekly, monthly.
    Dataset<Row> spacing =
        obs.groupBy(toCols(SERIES))
            .agg(
                percentile_approx(col("__gap"), lit(0.5), lit(10_000)).as("__median_gap"),
                max(when(col("freq").equalTo("M"), lit(1)).otherwise(lit(0))).as("__monthly"))
            .withColumn(
                "obs_per_year",
                when(col("__monthly").equalTo(1), lit(12))
                    .when(col("__median_gap").leq(4), lit(252))
                    .when(col("__median_gap").leq(10), lit(52))
                    .otherwise(lit(12)))
            .drop("__median_gap", "__monthly");
    List<String> monthKey = new ArrayList<>(SERIES);
    monthKey.addAll(List.of("year", "month"));
    Dataset<Row> months =
        obs.groupBy(toCols(monthKey))
            .agg(
                count(lit(1)).as("obs"),
                min("date").as("first_date"),
                max("date").as("last_date"),
                avg("price").as("avg_price"),
                min("price").as("min_price"),
                max("price").as("max_price"),
                max_by(col("price"), col("date")).as("last_price"),
                count(col("__r")).as("__n"),
                sum(col("__r")).as("__s1"),
                sum(pow(col("__r"), 2)).as("__s2"))
            .transform(m -> joinOnSeries(m, spacing, "left"))
            .withColumn("__idx", col("year").multiply(12).plus(col("month")));
    WindowSpec byIndex = Window.partitionBy(toCols(SERIES)).orderBy(col("__idx"));
    Column lastMonth = first(col("avg_price")).over(byIndex.rangeBetween(-1, -1));
    Column lastYear = first(col("avg_price")).over(byIndex.rangeBetween(-12, -12));
    WindowSpec quarter = byIndex.rangeBetween(-2, 0);
    Column n = sum(col("__n")).over(quarter);
    Column s1 = sum(col("__s1")).over(quarter);
    Column s2 = sum(col("__s2")).over(quarter);
    Dataset<Row> trends =
        months
            .withColumn("__prev_m", lastMonth)
            .withColumn("__prev_y", lastYear)
            .withColumn("volatility_returns", n)
            .withColumn(
                "__var",
                when(
                    n.geq(2),
                    greatest(lit(0.0), s2.minus(pow(s1, 2).divide(n)).divide(n.minus(1)))))
            .withColumn(
                "volatility_3m_pct",
                when(
                    isPrice,
                    sqrt(col("__var"))
                        .multiply(sqrt(col("obs_per_year").cast("double")))
                        .multiply(100)))
            .withColumn("mom_change", col("avg_price").minus(col("__prev_m")))
            .withColumn("mom_pct", pct(col("avg_price"), col("__prev_m")))
            .withColumn("mom_flag", flag(col("avg_price"), col("__prev_m")))
            .withColumn("yoy_change", col("avg_price").minus(col("__prev_y")))
            .withColumn("yoy_pct", pct(col("avg_price"), col("__prev_y")))
            .withColumn("yoy_flag", flag(col("avg_price"), col("__prev_y")))
            .withColumn(
                "period",
                org.apache.spark.sql.functions.format_string(
                    "%04d-%02d", col("year"), col("month")));
    return withConversion(trends, fx, convertTo)
        .select(
            col("source"),
            col("metal"),
            col("market"),
            col("series"),
            col("series_kind"),
            col("basis"),
            col("currency"),
            col("unit"),
            col("year"),
            col("month"),
            col("period"),
            col("obs"),
            col("first_date"),
            col("last_date"),
            col("avg_price"),
            col("min_price"),
            col("max_price"),
            col("last_price"),
            col("mom_change"),
            col("mom_pct"),
            col("mom_flag"),
            col("yoy_change"),
            col("yoy_pct"),
            col("yoy_flag"),
            col("volatility_3m_pct"),
            col("volatility_returns"),
            col("obs_per_year"),
            col("converted_currency"),
            col("fx_rate"),
            col("fx_source"),
            col("avg_price_converted"),
            col("last_price_converted"));
  }

  /** Joins on the series columns, null-safe: a series without a {@code basis} is one series. */
  static Dataset<Row> joinOnSeries(Dataset<Row> left, Dataset<Row> right, String how) {
    return Joins.lookup(left, right, SERIES, how);
  }

  /**
   * Percent change from {@code base} to {@code value}: only when the base is above zero and the
   * value not below it (a charge going from 100 to −45 is no "−145 %").
   */
  public static Column pct(Column value, Column base) {
    return when(base.gt(0).and(value.geq(0)), try_divide(value, base).minus(1).multiply(100));
  }

  /**
   * Why {@link #pct} is null although both values exist: {@code sign_change} when the two have
   * opposite signs, else {@code non_positive_base} (a base of zero or below).
   */
  public static Column flag(Column value, Column base) {
    return when(
        value.isNotNull().and(base.isNotNull()).and(base.gt(0).and(value.geq(0)).unary_$bang()),
        when(signum(value).multiply(signum(base)).lt(0), lit("sign_change"))
            .otherwise(lit("non_positive_base")));
  }

  /**
   * Month-average exchange rates: the series' currency per {@code convertTo}, either way quoted.
   */
  static Dataset<Row> withConversion(Dataset<Row> trends, Dataset<Row> fx, String convertTo) {
    Column same = col("currency").equalTo(lit(convertTo));
    if (fx == null) {
      return trends
          .withColumn("converted_currency", when(same, lit(convertTo)))
          .withColumn("fx_rate", when(same, lit(1.0)))
          .withColumn("fx_source", when(same, lit("same currency")))
          .withColumn("avg_price_converted", when(same, col("avg_price")))
          .withColumn("last_price_converted", when(same, col("last_price")));
    }
    Dataset<Row> monthly =
        fx.filter(col("rate").gt(0))
            .groupBy("source", "base_currency", "quote_currency", "year", "month")
            .agg(avg("rate").as("__rate"));
    // Per currency C: units of C per unit of convertTo, from convertTo/C or from C/convertTo.
    Dataset<Row> direct =
        monthly
            .filter(col("base_currency").equalTo(convertTo))
            .select(
                col("quote_currency").as("__ccy"),
                col("year").as("__y"),
                col("month").as("__m"),
                col("__rate").as("__fx"),
                col("source").as("__fx_source"),
                lit(0).as("__inverse"));
    Dataset<Row> inverse =
        monthly
            .filter(col("quote_currency").equalTo(convertTo))
            .select(
                col("base_currency").as("__ccy"),
                col("year").as("__y"),
                col("month").as("__m"),
                lit(1.0).divide(col("__rate")).as("__fx"),
                col("source").as("__fx_source"),
                lit(1).as("__inverse"));
    Dataset<Row> rates =
        Sources.pick(
                direct.unionByName(inverse).withColumnRenamed("__fx_source", "source"),
                List.of("__ccy", "__y", "__m"),
                List.of(),
                col("__inverse"),
                lit(0))
            .withColumnRenamed("source", "__fx_source")
            .drop("__inverse");
    Dataset<Row> joined =
        trends.join(
            org.apache.spark.sql.functions.broadcast(rates),
            col("currency")
                .equalTo(col("__ccy"))
                .and(col("year").equalTo(col("__y")))
                .and(col("month").equalTo(col("__m"))),
            "left");
    Column rate = when(same, lit(1.0)).otherwise(col("__fx"));
    return joined
        .withColumn("fx_rate", rate)
        .withColumn("converted_currency", when(rate.isNotNull(), lit(convertTo)))
        .withColumn("fx_source", when(same, lit("same currency")).otherwise(col("__fx_source")))
        .withColumn("avg_price_converted", try_divide(col("avg_price"), rate))
        .withColumn("last_price_converted", try_divide(col("last_price"), rate))
        .drop("__ccy", "__y", "__m", "__fx", "__fx_source");
  }
}
