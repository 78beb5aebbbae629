package org.metalslake.conform;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.month;
import static org.apache.spark.sql.functions.nullif;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.try_to_date;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.year;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.metalslake.storage.TableDoc;

/**
 * Exchange rates to {@code silver.fx_rates}: how many units of the quote currency one unit of the
 * base currency buys on a date ({@code USD,CNY,7.10}: 1 USD = 7.10 CNY). Only used to convert price
 * trends, and the conversion is stated beside the converted figures.
 */
public final class FxRatesConformer {
  private FxRatesConformer() {}

  public static final List<String> KEY =
      List.of("source", "base_currency", "quote_currency", "date");

  public static final TableDoc DOC =
      TableDoc.of("Exchange rates: quote-currency units per unit of the base currency, per date")
          .column("source", "Publisher of the rate (part of the key)")
          .column("base_currency", "ISO code of the base currency (USD in USD/CNY)")
          .column("quote_currency", "ISO code of the quote currency (CNY in USD/CNY)")
          .column("date", "Date of the rate")
          .column("year", "Calendar year")
          .column("month", "Month 1-12")
          .column("rate", "Units of quote_currency per unit of base_currency")
          .column("release", "Release or vintage of the source");

  public static Dataset<Row> conform(Dataset<Row> records) {
    List<Column> cols = new ArrayList<>(List.of(Outcome.lineage()));
    cols.add(col("date").as("date"));
    cols.add(col("base_currency").as("base"));
    cols.add(col("quote_currency").as("quote"));
    cols.add(col("rate").as("rate"));
    cols.add(col("source").as("source"));
    cols.add(col("release").as("release"));
    Dataset<Row> df =
        Numbers.withDecimalCommaFiles(records.select(cols.toArray(new Column[0])), "rate");
    Column date = try_to_date(trim(col("date")), "yyyy-MM-dd");
    Column rate = Numbers.parse("rate");
    Column base = PricesConformer.currency(col("base"));
    Column quote = PricesConformer.currency(col("quote"));
    df =
        df.withColumn("__date", when(trim(col("date")).rlike("^[0-9]{4}-[0-9]{2}-[0-9]{2}$"), date))
            .withColumn("__rate", rate)
            .withColumn("__base", base)
            .withColumn("__quote", quote);
    Column reason =
        Reasons.all(
            Reasons.malformedLine(),
            Rules.possible("date", col("__date").isNull(), col("date"), " (YYYY-MM-DD)"),
            Rules.unknown(
                "base currency",
                col("__base").isNull().or(col("__base").equalTo("USc")),
                col("base")),
            Rules.unknown(
                "quote currency",
                col("__quote").isNull().or(col("__quote").equalTo("USc")),
                col("quote")),
            Rules.number("rate", "rate", "rate", col("__rate")),
            Rules.required("rate", col("rate")),
            when(col("__rate").leq(0), lit("an exchange rate must be above zero")));
    return Reasons.judged(df, reason)
        .select(
            Outcome.withOutcome(
                coalesce(nullif(trim(col("source")), lit("")), lit("unspecified")).as("source"),
                col("__base").as("base_currency"),
                col("__quote").as("quote_currency"),
                col("__date").as("date"),
                year(col("__date")).as("year"),
                month(col("__date")).as("month"),
                col("__rate").as("rate"),
                nullif(trim(col("release")), lit("")).as("release")));
  }
}
