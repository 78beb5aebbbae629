package org.metalslake.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lower;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.metalslake.config.Settings;
import org.metalslake.gold.PriceChange;
import org.metalslake.ref.RefData;
import org.metalslake.storage.Lake;
import org.metalslake.storage.Tables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code change --from DATE --to DATE}: how far each price series moved between two dates. */
@Command(
    name = "change",
    mixinStandardHelpOptions = true,
    description =
        "Change of price and charge series between two dates (last observation on or before"
            + " each date), from silver.prices.")
final class ChangeCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--from", required = true, paramLabel = "YYYY-MM-DD")
  String from;

  @Option(names = "--to", required = true, paramLabel = "YYYY-MM-DD")
  String to;

  @Option(names = "--metal", description = "Metal code or name (cobalt, Co)")
  String metal;

  @Option(names = "--market", description = "Market, as in silver.prices (case-insensitive)")
  String market;

  @Option(names = "--series", description = "price, TC, RC or a grade (case-insensitive)")
  String series;

  @Option(names = "--format", defaultValue = "table", description = "table, csv or json")
  String format;

  @Override
  public Integer call() {
    LocalDate start = date("--from", from);
    LocalDate end = date("--to", to);
    if (end.isBefore(start)) {
      throw new ParameterException(
          new picocli.CommandLine(this), "--to " + end + " is before --from " + start);
    }
    Output.checkFormat(this, format);
    Settings settings = common.settings();
    SparkSession spark = Sessions.get(settings);
    Lake lake = new Lake(spark, settings);
    if (!lake.exists(Tables.PRICES)) {
      throw new ParameterException(
          new picocli.CommandLine(this),
          "no table silver.prices in " + settings.lakeRoot() + ": run the pipeline on price files");
    }
    Dataset<Row> prices = lake.read(Tables.PRICES);
    if (metal != null) {
      RefData ref = RefData.load(spark, settings.refDir());
      Dataset<Row> m =
          ref.withMetal(
              spark.createDataFrame(
                  java.util.List.of(org.apache.spark.sql.RowFactory.create(metal)),
                  org.apache.spark.sql.types.StructType.fromDDL("name STRING")),
              "name",
              "code");
      String code = m.first().getAs("code");
      if (code == null) {
        throw new ParameterException(
            new picocli.CommandLine(this), "unknown metal '" + metal + "'");
      }
      prices = prices.filter(col("metal").equalTo(code));
    }
    if (market != null) {
      prices = prices.filter(lower(col("market")).equalTo(market.toLowerCase(Locale.ROOT)));
    }
    if (series != null) {
      prices = prices.filter(lower(col("series")).equalTo(series.toLowerCase(Locale.ROOT)));
    }
    Output.print(PriceChange.between(prices, start, end), format, 1000, System.out);
    return 0;
  }

  private LocalDate date(String option, String value) {
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw new ParameterException(
          new picocli.CommandLine(this),
          option + " must be a date YYYY-MM-DD, not '" + value + "'");
    }
  }
}
