package org.metalslake.conform;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.exists;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.nullif;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.metalslake.ref.RefData;
import org.metalslake.storage.TableDoc;
import org.metalslake.storage.TableId;
import org.metalslake.storage.Tables;

/**
 * Canonical production candidates (strings, as the formats map them) to typed {@code
 * silver.production} facts, with a quarantine reason for every fact that cannot be trusted.
 *
 * <p>Candidate columns: lineage and {@code record}; {@code period, country, region, metal, stage,
 * quantity, ytd_quantity, unit, basis, source, flag, release, published_yoy, published_ytd_yoy}
 * (strings); {@code _pre_reason} and {@code _skip_reason} set by the format.
 */
public final class ProductionConformer {
  private ProductionConformer() {}

  public static final TableId TABLE = Tables.PRODUCTION;

  /** The natural key of a production fact; a later release replaces an earlier one. */
  public static final List<String> KEY =
      List.of("source", "country_iso3", "region", "metal", "stage", "basis", "period");

  public static final List<String> FLAGS = List.of("e", "W", "p", "r");

  public static final TableDoc DOC =
      TableDoc.of("Production facts, typed and conformed; quantities in metric tonnes")
          .column("source", "Publisher or dataset the figure comes from (part of the key)")
          .column("country_iso3", "ISO 3166-1 alpha-3; WLD = world total, XOC = other countries")
          .column("country_kind", "country, world or other (world/other rows are never summed)")
          .column("region", "Sub-national region, null for a national figure")
          .column("metal", "Metal code from ref.metals")
          .column("stage", "Value-chain stage code from ref.stages")
          .column("basis", "gross, metal_content or oxide_equivalent")
          .column("period", "YYYY, YYYY-MM or YYYY-Qn")
          .column("freq", "A annual, Q quarterly, M monthly")
          .column("year", "Calendar year")
          .column("quarter", "Quarter 1-4 for quarterly rows")
          .column("month", "Month 1-12 for monthly rows (last month of a combined period)")
          .column("months_covered", "Months the value covers: 2 for January-February combined")
          .column("quantity_t", "Value for the period in metric tonnes (null when withheld)")
          .column("ytd_t", "Published year-to-date cumulative value, metric tonnes")
          .column("published_yoy_pct", "Year-on-year change published by the source, percent")
          .column("published_ytd_yoy_pct", "Year-to-date change published by the source, percent")
          .column("unit_reported", "Unit of the figure as published")
          .column("flags", "e estimated, W withheld, p provisional, r revised")
          .column("release", "Release or vintage of the source");

  /** The source columns candidates are read from (the generic format of the dataset). */
  public static final List<String> SOURCE_COLUMNS =
      List.of(
          "period",
          "country",
          "region",
          "metal",
          "stage",
          "quantity",
          "unit",
          "basis",
          "source",
          "flag",
          "release");

  private static final List<String> NULL_UNLESS_GIVEN =
      List.of("ytd_quantity", "published_yoy", "published_ytd_yoy", "_skip_reason");

  /**
   * Canonical production candidates from bronze records: each candidate column is read from the
   * source column of the same name, or is null, unless {@code given} maps it to another expression;
   * lineage and {@code record} are kept, and a malformed line gets its reason.
   */
  public static Dataset<Row> candidates(Dataset<Row> records, Map<String, Column> given) {
    return Candidates.of(records, SOURCE_COLUMNS, NULL_UNLESS_GIVEN, given);
  }

  /**
   * Parses a number as sources write it: blanks, U+2212 minus, commas grouping thousands ({@code
   * 1,234}); null when not a finite number. Conformers parse with their file's decimal commas in
   * mind instead ({@link Numbers#parse}).
   */
  public static Column number(Column raw) {
    return Numbers.parse(raw, lit(false));
  }

  /** True when a raw value is given: not null and not blank. */
  public static Column present(Column raw) {
    return raw.isNotNull().and(trim(raw).notEqual(""));
  }

  /**
   * A basis as users write it ({@code Metal content}, {@code gross}), or {@code dflt} when empty.
   */
  public static Column basis(Column raw, Column dflt) {
    return coalesce(nullif(regexp_replace(lower(trim(raw)), "[\\s-]+", "_"), lit("")), dflt);
  }

  /** The numeric candidate columns, parsed with their file's decimal commas in mind. */
  private static final String[] NUMBERS = {
    "quantity", "ytd_quantity", "published_yoy", "published_ytd_yoy"
  };

  public static Dataset<Row> conform(Dataset<Row> candidates, RefData ref) {
    Dataset<Row> df = Numbers.withDecimalCommaFiles(candidates, NUMBERS);
    df = Periods.parse(df, col("period"));

    df = ref.withCountry(df, "country", "country_iso3");
    df = ref.withMetal(df, "metal", "metal_code");
    df = ref.withStage(df, "stage", "stage_code");
    df = ref.withUnit(df, "unit", "unit_code");

    // Most rows carry no flag: the higher-order functions below (interpreted, not compiled) only
    // run for rows that do.
    Column hasFlag = present(col("flag"));
    Column flagList =
        split(trim(regexp_replace(coalesce(col("flag"), lit("")), "[,;|/]", " ")), "\\s+");
    Column flagsNorm =
        when(hasFlag.unary_$bang(), lit(""))
            .otherwise(
                concat_ws(
                    ",",
                    org.apache.spark.sql.functions.filter(
                        org.apache.spark.sql.functions.transform(
                            flagList,
                            f ->
                                when(lower(f).equalTo("w"), lit("W"))
                                    .when(lower(f).isin("e", "p", "r"), lower(f))
                                    .otherwise(f)),
                        f -> f.notEqual(lit("")))));
    Column unknownFlag =
        hasFlag.and(
            exists(
                flagList,
                f -> f.notEqual(lit("")).and(lower(f).isin("e", "w", "p", "r").unary_$bang())));
    Column withheldValue = coalesce(upper(trim(col("quantity"))).equalTo("W"), lit(false));
    Column withheld = withheldValue.or(flagsNorm.contains("W"));
    Column qty = Numbers.parse("quantity");
    Column ytdQty = Numbers.parse("ytd_quantity");
    Column basisNorm = ProductionConformer.basis(col("basis"), lit("metal_content"));

    df =
        df.withColumn("__q", qty)
            .withColumn("__ytd", ytdQty)
            .withColumn("__withheld", withheld)
            .withColumn("__basis", basisNorm)
            .withColumn(
                "__flags",
                when(
                        withheldValue.and(flagsNorm.contains("W").unary_$bang()),
                        concat_ws(",", lit("W"), nullif(flagsNorm, lit(""))))
                    .otherwise(flagsNorm))
            .withColumn("__yoy", Numbers.parse("published_yoy"))
            .withColumn("__ytd_yoy", Numbers.parse("published_ytd_yoy"));

    Column ceiling = ref.quantityCeilings().tonnes(col("metal_code"));
    Column setting = ref.quantityCeilings().setting(col("metal_code"));
    Column reason =
        Reasons.all(
            col("_pre_reason"),
            Rules.possible("period", col("__period_bad"), col("period")),
            Rules.known("country", col("country_iso3")),
            Rules.known("metal", col("metal_code")),
            Rules.known("stage", col("stage_code")),
            Rules.known("unit", col("unit_code")),
            Rules.oneOf("basis", col("__basis"), "gross", "metal_content", "oxide_equivalent"),
            Rules.number(withheldValue.unary_$bang(), "number", "quantity", "quantity", col("__q")),
            Rules.number(
                "year-to-date number", "year-to-date quantity", "ytd_quantity", col("__ytd")),
            Rules.number("published YoY", "published YoY", "published_yoy", col("__yoy")),
            Rules.number(
                "published YTD YoY", "published YTD YoY", "published_ytd_yoy", col("__ytd_yoy")),
            when(
                present(col("quantity"))
                    .unary_$bang()
                    .and(present(col("ytd_quantity")).unary_$bang())
                    .and(withheld.unary_$bang()),
                lit("missing quantity (give a number, or flag W when withheld)")),
            Rules.nonNegative("quantity", col("__q"), col("__ytd")),
            Rules.plausible(
                "quantity",
                col("__q").multiply(col("unit_code_factor")),
                ceiling,
                setting,
                col("quantity"),
                col("unit")),
            Rules.plausible(
                "year-to-date quantity",
                col("__ytd").multiply(col("unit_code_factor")),
                ceiling,
                setting,
                col("ytd_quantity"),
                col("unit")),
            when(
                present(col("ytd_quantity")).and(col("__freq").notEqual("M")),
                lit("a year-to-date value needs a monthly period")),
            Rules.unknown("flag", unknownFlag, col("flag")));

    Column skip = col("_skip_reason");
    return Reasons.judged(df, skip, reason)
        .select(
            Outcome.withOutcome(
                coalesce(nullif(trim(col("source")), lit("")), lit("unspecified")).as("source"),
                col("country_iso3"),
                col("country_iso3_kind").as("country_kind"),
                nullif(trim(col("region")), lit("")).as("region"),
                col("metal_code").as("metal"),
                col("stage_code").as("stage"),
                col("__basis").as("basis"),
                col("period_norm").as("period"),
                col("__freq").as("freq"),
                col("year"),
                col("quarter"),
                col("month"),
                col("months_covered"),
                col("__q").multiply(col("unit_code_factor")).as("quantity_t"),
                col("__ytd").multiply(col("unit_code_factor")).as("ytd_t"),
                col("__yoy").as("published_yoy_pct"),
                col("__ytd_yoy").as("published_ytd_yoy_pct"),
                col("unit_code").as("unit_reported"),
                nullif(col("__flags"), lit("")).as("flags"),
                nullif(trim(col("release")), lit("")).as("release")));
  }
}
