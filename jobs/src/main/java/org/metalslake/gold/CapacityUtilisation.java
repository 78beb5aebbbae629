package org.metalslake.gold;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.try_divide;
import static org.apache.spark.sql.functions.when;
import static org.metalslake.gold.TradeTotals.toCols;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.StructType;
import org.metalslake.storage.TableDoc;

/**
 * {@code gold.capacity_utilisation} (SPEC §6): per country, metal, stage, basis and year, capacity
 * against production and against demand. Capacity is plant-level capacity prorated by the months
 * each plant operates, or a country figure as published; production comes from the capacity's own
 * source when it has one (USGS capacity with USGS production), else from the balance priority;
 * demand is the apparent consumption of {@code gold.supply_balance}.
 */
public final class CapacityUtilisation {
  private CapacityUtilisation() {}

  static final List<String> KEY = List.of("country_iso3", "metal", "stage", "basis", "year");

  public static final String PLANTS = "plants_prorated";
  public static final String COUNTRY = "country_reported";

  public static final TableDoc DOC =
      TableDoc.of(
              "Capacity utilisation and overcapacity per country, metal, stage and year; metric"
                  + " tonnes a year")
          .column(
              "country_iso3",
              "ISO3 of the country; WLD = the world total as published, XOC = other countries")
          .column("country_kind", "country, world or other")
          .column("metal", "Metal code from ref.metals")
          .column("stage", "Stage of the capacity (mine, smelter, refinery, primary…)")
          .column("basis", "metal_content, or gross")
          .column("year", "Calendar year")
          .column("period", "YYYY")
          .column(
              "capacity_t",
              "Effective capacity, t/yr: plant capacity x months operating / 12 summed over plants"
                  + " (plants_prorated), or the country figure as published (country_reported)")
          .column(
              "year_end_capacity_t",
              "Capacity of the plants operating in December, t/yr (plant-level data only)")
          .column(
              "under_construction_t",
              "Nameplate capacity of plants under construction expected to start this year, t/yr")
          .column(
              "planned_t", "Nameplate capacity of planned plants expected to start this year, t/yr")
          .column("pipeline_capacity_t", "under_construction_t + planned_t")
          .column("plants", "Plants operating in the year (plant-level data only)")
          .column("production_t", "Production at this stage, t")
          .column(
              "utilisation_pct",
              "production_t / capacity_t * 100; not capped: output can pass year-end capacity")
          .column("idle_capacity_t", "capacity_t - production_t")
          .column("demand_t", "Apparent consumption from gold.supply_balance, t")
          .column(
              "demand_stage",
              "Balance stage of demand_t: the same stage, else refinery, else primary (never for"
                  + " mine capacity)")
          .column("overcapacity_ratio", "capacity_t / demand_t")
          .column("excess_capacity_t", "capacity_t - demand_t")
          .column(
              "overcapacity",
              "True when overcapacity_ratio is above overcapacity_threshold; null without demand")
          .column(
              "overcapacity_threshold",
              "The threshold of the run (capacity.overcapacity-threshold)")
          .column("capacity_method", "plants_prorated or country_reported")
          .column("capacity_source", "Source of capacity_t")
          .column("pipeline_source", "Plant-level source of the pipeline columns")
          .column("production_source", "Source of production_t");

  private static final StructType PLANT_YEARS =
      StructType.fromDDL(
          "source STRING, country_iso3 STRING, country_kind STRING, metal STRING, stage STRING,"
              + " basis STRING, year INT, capacity_t DOUBLE, year_end_capacity_t DOUBLE,"
              + " under_construction_t DOUBLE, planned_t DOUBLE, plants BIGINT,"
              + " capacity_method STRING");

  /**
   * @param plants {@code silver.capacity}, or null
   * @param countryCapacity {@code silver.country_capacity}, or null
   * @param production {@code silver.production}, or null
   * @param balance {@code gold.supply_balance}, or null
   */
  public static Dataset<Row> compute(
      Dataset<Row> plants,
      Dataset<Row> countryCapacity,
      Dataset<Row> production,
      Dataset<Row> balance,
      List<String> capacityPriority,
      List<String> productionPriority,
      double threshold) {
    SparkSession spark = (plants != null ? plants : countryCapacity).sparkSession();
    Dataset<Row> annual = production == null ? null : AnnualProduction.of(production);
    Dataset<Row> plantLevel =
        plants == null
            ? spark.createDataFrame(List.<Row>of(), PLANT_YEARS)
            : byCountry(PlantYears.compute(plants, PlantYears.years(plants, annual)));
    Dataset<Row> countryLevel =
        countryCapacity == null
            ? spark.createDataFrame(List.<Row>of(), PLANT_YEARS)
            : countryCapacity
                .filter(col("freq").equalTo("A").and(col("region").isNull()))
                .select(
                    col("source"),
                    col("country_iso3"),
                    col("country_kind"),
                    col("metal"),
                    col("stage"),
                    col("basis"),
                    col("year"),
                    col("capacity_t"),
                    lit(null).cast("double").as("year_end_capacity_t"),
                    lit(null).cast("double").as("under_construction_t"),
                    lit(null).cast("double").as("planned_t"),
                    lit(null).cast("long").as("plants"),
                    lit(COUNTRY).as("capacity_method"));
    Dataset<Row> candidates = plantLevel.unionByName(countryLevel);
    Column plantFirst = when(col("capacity_method").equalTo(PLANTS), 0).otherwise(1);
    // A source with operating capacity wins over one without (a plant list with only a planned
    // plant there), then the priority list, then plant-level data.
    Dataset<Row> capacity =
        Sources.pick(
                candidates.filter(col("capacity_t").isNotNull()),
                KEY,
                capacityPriority,
                when(col("capacity_t").gt(0), 0).otherwise(1),
                plantFirst)
            .withColumnRenamed("source", "capacity_source")
            .drop("under_construction_t", "planned_t");
    Dataset<Row> pipeline =
        Sources.pick(
                plantLevel.filter(
                    col("under_construction_t").isNotNull().or(col("planned_t").isNotNull())),
                KEY,
                capacityPriority)
            .select(
                col("country_iso3").as("__pc"),
                col("country_kind").as("__pk"),
                col("metal").as("__pm"),
                col("stage").as("__ps"),
                col("basis").as("__pb"),
                col("year").as("__py"),
                col("under_construction_t"),
                col("planned_t"),
                col("source").as("pipeline_source"));
    Column samePipelineKey =
        col("country_iso3")
            .equalTo(col("__pc"))
            .and(col("metal").equalTo(col("__pm")))
            .and(col("stage").equalTo(col("__ps")))
            .and(col("basis").equalTo(col("__pb")))
            .and(col("year").equalTo(col("__py")));
    Dataset<Row> rows =
        capacity
            .join(pipeline, samePipelineKey, "full_outer")
            .withColumn("country_iso3", coalesce(col("country_iso3"), col("__pc")))
            .withColumn("country_kind", coalesce(col("country_kind"), col("__pk")))
            .withColumn("metal", coalesce(col("metal"), col("__pm")))
            .withColumn("stage", coalesce(col("stage"), col("__ps")))
            .withColumn("basis", coalesce(col("basis"), col("__pb")))
            .withColumn("year", coalesce(col("year"), col("__py")))
            .drop("__pc", "__pk", "__pm", "__ps", "__pb", "__py");
    rows = withProduction(rows, annual, productionPriority);
    rows = withDemand(rows, balance, false);
    Column cap = col("capacity_t");
    Column ratio = when(col("demand_t").gt(0), try_divide(cap, col("demand_t")));
    return rows.withColumn(
            "utilisation_pct", when(cap.gt(0), try_divide(col("production_t"), cap).multiply(100)))
        .withColumn("idle_capacity_t", cap.minus(col("production_t")))
        .withColumn("overcapacity_ratio", ratio)
        .withColumn("excess_capacity_t", cap.minus(col("demand_t")))
        .withColumn("overcapacity", when(ratio.isNotNull(), ratio.gt(threshold)))
        .withColumn("overcapacity_threshold", lit(threshold))
        .withColumn(
            "pipeline_capacity_t",
            when(
                col("under_construction_t").isNotNull().or(col("planned_t").isNotNull()),
                coalesce(col("under_construction_t"), lit(0.0))
                    .plus(coalesce(col("planned_t"), lit(0.0)))))
        .select(
            col("country_iso3"),
            col("country_kind"),
            col("metal"),
            col("stage"),
            col("basis"),
            col("year"),
            col("year").cast("string").as("period"),
            col("capacity_t"),
            col("year_end_capacity_t"),
            col("under_construction_t"),
            col("planned_t"),
            col("pipeline_capacity_t"),
            col("plants"),
            col("production_t"),
            col("utilisation_pct"),
            col("idle_capacity_t"),
            col("demand_t"),
            col("demand_stage"),
            col("overcapacity_ratio"),
            col("excess_capacity_t"),
            col("overcapacity"),
            col("overcapacity_threshold"),
            col("capacity_method"),
            col("capacity_source"),
            col("pipeline_source"),
            col("production_source"));
  }

  /** Plant-years summed per source, country, metal, stage, basis and year. */
  static Dataset<Row> byCountry(Dataset<Row> plantYears) {
    return plantYears
        .groupBy("source", "country_iso3", "metal", "stage", "basis", "year")
        .agg(
            // null, not 0, where the list has no operating plant (only pipeline): unknown
            sum("effective_capacity_t").as("capacity_t"),
            sum("year_end_capacity_t").as("year_end_capacity_t"),
            sum("under_construction_t").as("under_construction_t"),
            sum("planned_t").as("planned_t"),
            count(when(col("months_operating").gt(0), lit(1))).as("plants"))
        .withColumn("country_kind", lit("country"))
        .withColumn("capacity_method", lit(PLANTS));
  }

  /**
   * Production of the capacity's own source when it has a figure, else of the first source in the
   * priority list (unlisted sources after, alphabetically).
   */
  static Dataset<Row> withProduction(
      Dataset<Row> rows, Dataset<Row> annual, List<String> priority) {
    if (annual == null) {
      return rows.withColumn("production_t", lit(null).cast("double"))
          .withColumn("production_source", lit(null).cast("string"));
    }
    Dataset<Row> known = annual.filter(col("production_t").isNotNull());
    List<String> sourced = new ArrayList<>(List.of("source"));
    sourced.addAll(KEY);
    List<String> capacitySourced = new ArrayList<>(List.of("capacity_source"));
    capacitySourced.addAll(KEY);
    Dataset<Row> same =
        known.select(
            col("source"),
            col("country_iso3"),
            col("metal"),
            col("stage"),
            col("basis"),
            col("year"),
            col("source").as("__same_source"),
            col("production_t").as("__same_t"));
    Dataset<Row> fallback =
        Sources.pick(known, KEY, priority)
            .select(
                col("country_iso3"),
                col("metal"),
                col("stage"),
                col("basis"),
                col("year"),
                col("source").as("__fallback_source"),
                col("production_t").as("__fallback_t"));
    return Joins.lookup(
            Joins.lookup(rows, same, capacitySourced, sourced, "left"), fallback, KEY, "left")
        .withColumn("production_t", coalesce(col("__same_t"), col("__fallback_t")))
        .withColumn(
            "production_source",
            when(col("__same_t").isNotNull(), col("__same_source"))
                .otherwise(col("__fallback_source")))
        .drop("__same_source", "__same_t", "__fallback_source", "__fallback_t");
  }

  /**
   * Demand: annual apparent consumption of the country and metal in the balance, at the same stage,
   * else refinery, else primary (refined metal demand for smelter capacity); without {@code
   * mineFallback}, mine capacity is only set against a mine-stage balance.
   */
  static Dataset<Row> withDemand(Dataset<Row> rows, Dataset<Row> balance, boolean mineFallback) {
    if (balance == null) {
      return rows.withColumn("demand_t", lit(null).cast("double"))
          .withColumn("demand_stage", lit(null).cast("string"));
    }
    Dataset<Row> demand =
        balance
            .filter(col("freq").equalTo("A").and(col("apparent_consumption_t").isNotNull()))
            .select(
                col("country_iso3"),
                col("metal"),
                col("basis"),
                col("year"),
                col("stage").as("__ds"),
                col("apparent_consumption_t").as("__dt"));
    Column preference =
        when(col("__ds").equalTo(col("stage")), lit(1))
            .when(lit(!mineFallback).and(col("stage").equalTo("mine")), lit(null).cast("int"))
            .when(col("__ds").equalTo("refinery"), lit(2))
            .when(col("__ds").equalTo("primary"), lit(3));
    List<Column> key = new ArrayList<>(toColsList(KEY));
    return Joins.lookup(rows, demand, List.of("country_iso3", "metal", "basis", "year"), "left")
        .withColumn("__pref", preference)
        .withColumn(
            "__n",
            row_number()
                .over(
                    Window.partitionBy(key.toArray(new Column[0]))
                        .orderBy(col("__pref").asc_nulls_last())))
        .filter(col("__n").equalTo(1))
        .withColumn("demand_t", when(col("__pref").isNotNull(), col("__dt")))
        .withColumn("demand_stage", when(col("__pref").isNotNull(), col("__ds")))
        .drop("__ds", "__dt", "__pref", "__n");
  }

  private static List<Column> toColsList(List<String> names) {
    return List.of(toCols(names));
  }
}
