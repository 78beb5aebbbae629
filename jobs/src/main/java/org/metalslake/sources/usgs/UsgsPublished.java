package org.metalslake.sources.usgs;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.nullif;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.metalslake.conform.Outcome;
import org.metalslake.conform.ProductionConformer;
import org.metalslake.conform.Reasons;
import org.metalslake.ref.RefData;

/**
 * Figures USGS publishes in its summary tables (the Fig2 net import reliance table, the
 * critical-minerals tables T5 and T7) as {@code silver.published_balance} rows, and the value rules
 * those tables share: quoted thousands ({@code "230,000"}), {@code W} withheld, {@code NA}, {@code
 * E} net exporter, bounds ({@code >50}, {@code <100,000}).
 */
final class UsgsPublished {
  private UsgsPublished() {}

  /** How a net import reliance is defined by USGS: net imports over apparent consumption. */
  static final String NIR_METHOD = "trade";

  /** Quoted thousands ({@code 230,000}, {@code 1,700,000}) without the commas; other text as is. */
  static Column withoutThousands(Column raw) {
    Column t = trim(raw);
    return when(t.rlike("^-?[0-9]{1,3}(,[0-9]{3})+(\\.[0-9]+)?$"), regexp_replace(t, ",", ""))
        .otherwise(raw);
  }

  /** A code or a bound, not a number: W, NA, E, a dash, {@code >75}, {@code <100,000}. */
  static Column isCode(Column raw) {
    return upper(trim(raw))
        .isin("W", "NA", "E", "--", "\u2014")
        .or(trim(raw).rlike("^[<>]\\s*[0-9.,]+$"));
  }

  /**
   * Published-balance rows, one per row of {@code facts}, which carries the lineage and: {@code
   * __country} (a name or ISO3), {@code __measure}, {@code __metal_name}, {@code __stage_name},
   * {@code __basis}, {@code __raw} (the figure as written), {@code __tonnes} (true for a quantity,
   * false for a percentage), {@code __unit_name} (null: metric tons), {@code __column} (the source
   * column), {@code __year_raw} ({@code 2023} or {@code 2023_estimated}), {@code __release} and
   * {@code __skip} (why a record outside the product's scope is skipped, else null).
   */
  static Dataset<Row> published(Dataset<Row> facts, String source, RefData ref) {
    Column yearRaw = trim(col("__year_raw"));
    Dataset<Row> df =
        facts
            .withColumn("__r", trim(col("__raw")))
            .withColumn(
                "__year",
                nullif(regexp_extract(yearRaw, "(?i)^([0-9]{4})(_estimated)?$", 1), lit(""))
                    .cast(DataTypes.IntegerType))
            .withColumn(
                "__unit_given", coalesce(nullif(trim(col("__unit_name")), lit("")), lit("t")));
    df = ref.withCountry(df, "__country", "__iso3");
    df = ref.withMetal(df, "__metal_name", "__metal");
    df = ref.withStage(df, "__stage_name", "__stage");
    df = ref.withUnit(df, "__unit_given", "__unit");
    Column r = col("__r");
    Column present = r.isNotNull().and(r.notEqual(""));
    Column code = isCode(r);
    Column number = ProductionConformer.number(withoutThousands(r));
    Column factor = when(col("__tonnes"), col("__unit_factor")).otherwise(lit(1.0));
    Column value =
        when(code, lit(null).cast(DataTypes.DoubleType)).otherwise(number.multiply(factor));
    Column estimated = coalesce(lower(yearRaw).contains("estimated"), lit(false));
    Column withheld = coalesce(upper(r).equalTo("W"), lit(false));
    Column errors =
        Reasons.all(
            Reasons.malformedLine(),
            when(
                col("__year").isNull(), concat(lit("impossible period "), Reasons.quoted(yearRaw))),
            when(
                col("__iso3").isNull(),
                concat(lit("unknown country "), Reasons.quoted(col("__country")))),
            when(
                col("__metal").isNull(),
                lit("unknown metal in ref usgs_published_commodities.csv")),
            when(
                col("__stage").isNull(),
                lit("unknown stage in ref usgs_published_commodities.csv")),
            when(
                col("__tonnes").and(col("__unit").isNull()),
                concat(lit("unknown unit "), Reasons.quoted(col("__unit_given")))),
            when(
                present.and(code.unary_$bang()).and(number.isNull()),
                concat(
                    lit("unparseable number "),
                    Reasons.quoted(r),
                    lit(" in column "),
                    col("__column"))));
    return Reasons.judged(df, col("__skip"), errors)
        .select(
            Outcome.withOutcome(
                lit(source).as("source"),
                col("__iso3").as("country_iso3"),
                col("__metal").as("metal"),
                col("__stage").as("stage"),
                col("__basis").as("basis"),
                col("__measure").as("measure"),
                col("__year").cast("string").as("period"),
                col("__year").as("year"),
                value.as("value"),
                when(present, r).as("value_text"),
                when(col("__measure").equalTo("nir"), lit(NIR_METHOD)).as("method"),
                col("__column").as("columns"),
                nullif(concat_ws(",", when(estimated, lit("e")), when(withheld, lit("W"))), lit(""))
                    .as("flags"),
                nullif(trim(col("__release")), lit("")).as("release")));
  }
}
