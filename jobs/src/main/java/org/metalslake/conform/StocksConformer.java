package org.metalslake.conform;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.nullif;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;
import static org.metalslake.conform.ProductionConformer.present;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.metalslake.ref.RefData;
import org.metalslake.storage.TableDoc;

/**
 * Canonical stock candidates to typed {@code silver.stocks} facts: a stock level at the end of the
 * period and/or a stock change over it (increase positive), in metric tonnes.
 *
 * <p>Candidate columns: lineage and {@code record}; {@code period, country, metal, stage, series,
 * stock_level, stock_change, unit, source, flag, release} (strings); {@code _pre_reason} and {@code
 * _skip_reason}.
 */
public final class StocksConformer {
  private StocksConformer() {}

  public static final List<String> KEY =
      List.of("source", "country_iso3", "metal", "stage", "series", "period");

  public static final TableDoc DOC =
      TableDoc.of("Stocks: levels at the end of a period and changes over it, metric tonnes")
          .column("source", "Publisher or dataset of the figure")
          .column("country_iso3", "ISO3 of the country holding the stocks")
          .column("metal", "Metal code from ref.metals")
          .column("stage", "Stage code from ref.stages")
          .column(
              "series",
              "Which stocks: industry, exchange (LME, SHFE…), government; 'total' when not said")
          .column("basis", "metal_content (default) or gross")
          .column("period", "YYYY, YYYY-MM or YYYY-Qn")
          .column("stock_level_t", "Stock at the end of the period, metric tonnes")
          .column("stock_change_t", "Change over the period, metric tonnes (increase positive)")
          .column("unit_reported", "Unit as published")
          .column("flags", "e estimated, W withheld, p provisional, r revised")
          .column("release", "Release or vintage of the source");

  /** The source columns candidates are read from (the generic format of the dataset). */
  public static final List<String> SOURCE_COLUMNS =
      List.of(
          "period",
          "country",
          "metal",
          "stage",
          "series",
          "basis",
          "stock_level",
          "stock_change",
          "unit",
          "source",
          "flag",
          "release");

  public static Dataset<Row> candidates(Dataset<Row> records, Map<String, Column> given) {
    return Candidates.of(records, SOURCE_COLUMNS, List.of("_skip_reason"), given);
  }

  public static Dataset<Row> conform(Dataset<Row> candidates, RefData ref) {
    Dataset<Row> df = Numbers.withDecimalCommaFiles(candidates, "stock_level", "stock_change");
    df = Periods.parse(df, col("period"));
    df = ref.withCountry(df, "country", "__country");
    df = ref.withMetal(df, "metal", "__metal");
    df = ref.withStage(df, "stage", "__stage");
    df = ref.withUnit(df, "unit", "__unit");
    Column level = Numbers.parse("stock_level");
    Column change = Numbers.parse("stock_change");
    Column withheld =
        coalesce(upper(trim(col("stock_level"))).equalTo("W"), lit(false))
            .or(coalesce(upper(trim(col("stock_change"))).equalTo("W"), lit(false)));
    Column basisNorm = ProductionConformer.basis(col("basis"), lit("metal_content"));
    df =
        df.withColumn("__level", level)
            .withColumn("__change", change)
            .withColumn("__basis", basisNorm);
    Column ceiling = ref.quantityCeilings().tonnes(col("__metal"));
    Column setting = ref.quantityCeilings().setting(col("__metal"));
    Column reason =
        Reasons.all(
            col("_pre_reason"),
            Rules.possible("period", col("__period_bad"), col("period")),
            Rules.known("country", col("__country")),
            Rules.known("metal", col("__metal")),
            Rules.known("stage", col("__stage")),
            Rules.known("unit", col("__unit")),
            Rules.number(
                withheld.unary_$bang(),
                "stock level",
                "stock level",
                "stock_level",
                col("__level")),
            Rules.number(
                withheld.unary_$bang(),
                "stock change",
                "stock change",
                "stock_change",
                col("__change")),
            when(
                present(col("stock_level"))
                    .unary_$bang()
                    .and(present(col("stock_change")).unary_$bang()),
                lit("missing stock level and change (give one, or W when withheld)")),
            Rules.nonNegative("stock level", col("__level")),
            Rules.plausible(
                "stock level",
                col("__level").multiply(col("__unit_factor")),
                ceiling,
                setting,
                col("stock_level"),
                col("unit")),
            Rules.plausible(
                "stock change",
                abs(col("__change")).multiply(col("__unit_factor")),
                ceiling,
                setting,
                col("stock_change"),
                col("unit")),
            Rules.oneOf("basis", col("__basis"), "gross", "metal_content"));
    Column skip = col("_skip_reason");
    return Reasons.judged(df, skip, reason)
        .select(
            Outcome.withOutcome(
                coalesce(nullif(trim(col("source")), lit("")), lit("unspecified")).as("source"),
                col("__country").as("country_iso3"),
                col("__metal").as("metal"),
                col("__stage").as("stage"),
                coalesce(nullif(lower(trim(col("series"))), lit("")), lit("total")).as("series"),
                col("__basis").as("basis"),
                col("period_norm").as("period"),
                col("__freq").as("freq"),
                col("year"),
                col("quarter"),
                col("month"),
                col("__level").multiply(col("__unit_factor")).as("stock_level_t"),
                col("__change").multiply(col("__unit_factor")).as("stock_change_t"),
                col("__unit").as("unit_reported"),
                when(withheld, lit("W")).otherwise(nullif(trim(col("flag")), lit(""))).as("flags"),
                nullif(trim(col("release")), lit("")).as("release")));
  }
}
