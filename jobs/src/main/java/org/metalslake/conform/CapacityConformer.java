package org.metalslake.conform;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.nullif;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;
import static org.metalslake.conform.ProductionConformer.present;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.metalslake.ref.RefData;
import org.metalslake.ref.Vocabulary;
import org.metalslake.storage.TableDoc;

/**
 * Plant-level capacity records to typed {@code silver.capacity} facts: one row per plant (or plant
 * unit or expansion phase, each with its own {@code plant_id}), metal and stage, with its nameplate
 * capacity in metric tonnes a year, its status and the months it starts and stops operating.
 *
 * <p>Candidate columns: lineage and {@code record}; {@code plant_id, plant, company, owner_country,
 * country, region, metal, stage, capacity, unit, status, start_date, end_date, basis, source,
 * release} (strings); {@code _pre_reason} and {@code _skip_reason}.
 */
public final class CapacityConformer {
  private CapacityConformer() {}

  /** A plant's identity: a later file with the same key revises the plant (status, dates…). */
  public static final List<String> KEY = List.of("source", "plant_id", "metal", "stage");

  public static final String OPERATING = Vocabulary.OPERATING;
  public static final String UNDER_CONSTRUCTION = Vocabulary.UNDER_CONSTRUCTION;
  public static final String PLANNED = Vocabulary.PLANNED;
  public static final String CLOSED = Vocabulary.CLOSED;

  public static final TableDoc DOC =
      TableDoc.of(
              "Plant-level capacity: nameplate capacity per plant, metal and stage in metric tonnes"
                  + " a year, with status and operating dates")
          .column("source", "Dataset the plant list comes from (part of the key)")
          .column("plant_id", "Plant, unit or expansion phase identifier (part of the key)")
          .column("plant", "Plant name")
          .column("company", "Operating or owning company")
          .column(
              "owner_iso3",
              "Country of the owning company (ISO3); the plant's country when not given")
          .column("owner_given", "True when the source names the owner country")
          .column("country_iso3", "Country where the plant is (ISO3)")
          .column("region", "Sub-national region, null when not given")
          .column("metal", "Metal code from ref.metals")
          .column("stage", "Value-chain stage code from ref.stages (mine, smelter, refinery…)")
          .column("basis", "metal_content (default) or gross")
          .column("status", "operating, under_construction, planned or closed")
          .column("capacity_t", "Nameplate capacity, metric tonnes per year")
          .column(
              "start_year",
              "Year the plant starts (or started) operating; null = before any year reported")
          .column("start_month", "Month 1-12 it starts (1 when only the year is given)")
          .column("end_year", "Year it stops (or stopped) operating; null = still operating")
          .column("end_month", "Last month 1-12 it operates (12 when only the year is given)")
          .column("unit_reported", "Unit code the capacity was given in (kt for kt/y or ktpa)")
          .column("release", "Release or vintage of the plant list");

  /** The source columns candidates are read from (the generic format of the dataset). */
  public static final List<String> SOURCE_COLUMNS =
      List.of(
          "plant_id",
          "plant",
          "company",
          "owner_country",
          "country",
          "region",
          "metal",
          "stage",
          "capacity",
          "unit",
          "status",
          "start_date",
          "end_date",
          "basis",
          "source",
          "release");

  public static Dataset<Row> candidates(Dataset<Row> records, Map<String, Column> given) {
    return Candidates.of(records, SOURCE_COLUMNS, List.of("_skip_reason"), given);
  }

  /** A status as plant lists write it, or null when it is none of the four. */
  public static Column status(Column raw) {
    Column s = regexp_replace(lower(trim(raw)), "[\\s_-]+", " ");
    return when(
            s.isin("operating", "operational", "in operation", "active", "producing"),
            lit(OPERATING))
        .when(
            s.isin("under construction", "construction", "in construction", "commissioning"),
            lit(UNDER_CONSTRUCTION))
        .when(s.isin("planned", "proposed", "announced", "project", "feasibility"), lit(PLANNED))
        .when(s.isin("closed", "shut", "shut down", "shutdown", "decommissioned"), lit(CLOSED));
  }

  /**
   * A capacity unit without its per-year suffix: {@code kt/y}, {@code ktpa}, {@code t per year}.
   */
  public static Column annualUnit(Column raw) {
    return regexp_replace(
        trim(raw), "(?i)\\s*(/\\s*(y|yr|year|a|annum)|per\\s+(year|annum)|p\\.?a\\.?)$", "");
  }

  private static final String DATE = "^([0-9]{4})(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$";

  /** The forms {@link #DATE} accepts, as quarantine reasons name them. */
  private static final String DATE_FORMS = " (YYYY, YYYY-MM or YYYY-MM-DD)";

  public static Dataset<Row> conform(Dataset<Row> candidates, RefData ref) {
    Dataset<Row> df = Numbers.withDecimalCommaFiles(candidates, "capacity");
    df = ref.withCountry(df, "country", "__country");
    df = ref.withCountry(df, "owner_country", "__owner");
    df = ref.withMetal(df, "metal", "__metal");
    df = ref.withStage(df, "stage", "__stage");
    df = df.withColumn("__unit_given", annualUnit(col("unit")));
    df = ref.withUnit(df, "__unit_given", "__unit");
    Column start = trim(col("start_date"));
    Column end = trim(col("end_date"));
    df =
        df.withColumn("__cap", Numbers.parse("capacity"))
            .withColumn("__status", status(col("status")))
            .withColumn("__basis", ProductionConformer.basis(col("basis"), lit("metal_content")))
            .withColumn("__start_ok", start.rlike(DATE))
            .withColumn("__end_ok", end.rlike(DATE))
            .withColumn(
                "__start_year", when(col("__start_ok"), regexp_extract(start, DATE, 1).cast("int")))
            .withColumn(
                "__start_month",
                when(
                    col("__start_ok"),
                    coalesce(nullif(regexp_extract(start, DATE, 3), lit("")).cast("int"), lit(1))))
            .withColumn(
                "__end_year", when(col("__end_ok"), regexp_extract(end, DATE, 1).cast("int")))
            .withColumn(
                "__end_month",
                when(
                    col("__end_ok"),
                    coalesce(nullif(regexp_extract(end, DATE, 3), lit("")).cast("int"), lit(12))));
    Column startIndex = col("__start_year").multiply(12).plus(col("__start_month"));
    Column endIndex = col("__end_year").multiply(12).plus(col("__end_month"));
    Column reason =
        Reasons.all(
            col("_pre_reason"),
            Rules.required("plant_id", col("plant_id")),
            Rules.known("country", col("__country")),
            when(
                col("__country_kind").notEqual("country"),
                concat(
                    lit("a plant needs a country, not the aggregate "),
                    Reasons.quoted(col("country")))),
            Rules.unknown(
                "owner country",
                present(col("owner_country")).and(col("__owner").isNull()),
                col("owner_country")),
            when(
                col("__owner_kind").notEqual("country"),
                concat(
                    lit("an owner country, not the aggregate "),
                    Reasons.quoted(col("owner_country")))),
            Rules.known("metal", col("__metal")),
            Rules.known("stage", col("__stage")),
            Rules.known("unit", col("__unit")),
            Rules.required("capacity", col("capacity")),
            Rules.number("capacity", "capacity", "capacity", col("__cap")),
            Rules.nonNegative("capacity", col("__cap")),
            Rules.plausible(
                "capacity",
                col("__cap").multiply(col("__unit_factor")),
                ref.quantityCeilings().tonnes(col("__metal")),
                ref.quantityCeilings().setting(col("__metal")),
                col("capacity"),
                col("unit")),
            Rules.known(
                "status",
                col("__status"),
                col("status"),
                " (operating, under construction, planned or closed)"),
            Rules.possible(
                "start_date",
                present(col("start_date")).and(col("__start_ok").unary_$bang()),
                col("start_date"),
                DATE_FORMS),
            Rules.possible(
                "end_date",
                present(col("end_date")).and(col("__end_ok").unary_$bang()),
                col("end_date"),
                DATE_FORMS),
            when(
                col("__start_year")
                    .between(1800, 2100)
                    .unary_$bang()
                    .or(col("__end_year").between(1800, 2100).unary_$bang()),
                lit("start or end year outside 1800-2100")),
            when(endIndex.lt(startIndex), lit("end_date before start_date")),
            when(
                col("__status").equalTo(CLOSED).and(present(col("end_date")).unary_$bang()),
                lit("a closed plant needs its end_date")),
            when(
                col("__status")
                    .isin(PLANNED, UNDER_CONSTRUCTION)
                    .and(present(col("start_date")).unary_$bang()),
                lit("a planned or under-construction plant needs its expected start_date")),
            Rules.oneOf("basis", col("__basis"), "gross", "metal_content"));
    Column skip = col("_skip_reason");
    return Reasons.judged(df, skip, reason)
        .select(
            Outcome.withOutcome(
                coalesce(nullif(trim(col("source")), lit("")), lit("unspecified")).as("source"),
                trim(col("plant_id")).as("plant_id"),
                nullif(trim(col("plant")), lit("")).as("plant"),
                nullif(trim(col("company")), lit("")).as("company"),
                coalesce(col("__owner"), col("__country")).as("owner_iso3"),
                col("__owner").isNotNull().as("owner_given"),
                col("__country").as("country_iso3"),
                nullif(trim(col("region")), lit("")).as("region"),
                col("__metal").as("metal"),
                col("__stage").as("stage"),
                col("__basis").as("basis"),
                col("__status").as("status"),
                col("__cap").multiply(col("__unit_factor")).as("capacity_t"),
                col("__start_year").as("start_year"),
                col("__start_month").as("start_month"),
                col("__end_year").as("end_year"),
                col("__end_month").as("end_month"),
                col("__unit").as("unit_reported"),
                nullif(trim(col("release")), lit("")).as("release")));
  }
}
