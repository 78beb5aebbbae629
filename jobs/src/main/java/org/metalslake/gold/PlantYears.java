package org.metalslake.gold;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.metalslake.ref.Vocabulary;

/**
 * Plant capacity per calendar year. A plant operates from its start month to its end month, both
 * counted in full (a plant starting in April operates 9 months of that year; one closing in
 * September, 9 months); no start = operating before the first year reported, no end = still
 * operating. Its effective capacity in a year is its nameplate capacity × months operating / 12.
 * Planned and under-construction plants do not count as capacity: their nameplate capacity is
 * reported apart, in the year they are expected to start.
 */
public final class PlantYears {
  private PlantYears() {}

  private static final int NO_START = -1;
  private static final int NO_END = 100_000 * 12;

  /**
   * The years to report: from the first year of production figures (of the first plant date when
   * there are none) to the latest year that a production figure or a plant date names. Capacity
   * before the first year of production data has nothing to be compared with, and a plant list
   * reaching back decades would otherwise fill the table with such years.
   */
  public static Dataset<Row> years(Dataset<Row> plants, Dataset<Row> production) {
    Dataset<Row> dates =
        plants
            .select(col("start_year").as("year"))
            .union(plants.select(col("end_year").as("year")))
            .agg(min("year").as("__first"), max("year").as("__last"));
    Dataset<Row> bounds = dates;
    if (production != null) {
      Dataset<Row> produced = production.agg(min("year").as("__pfirst"), max("year").as("__plast"));
      bounds =
          dates
              .crossJoin(produced)
              .select(
                  coalesce(col("__pfirst"), col("__first")).as("__first"),
                  greatest(col("__plast"), col("__last")).as("__last"));
    }
    return bounds
        .filter(col("__first").isNotNull().and(col("__last").isNotNull()))
        .select(explode(sequence(col("__first"), col("__last"))).as("year"));
  }

  /**
   * One row per plant and year it operates or is expected to start: {@code months_operating},
   * {@code effective_capacity_t}, {@code year_end_capacity_t}, {@code under_construction_t} and
   * {@code planned_t}, with the plant's key, owner and location.
   */
  public static Dataset<Row> compute(Dataset<Row> plants, Dataset<Row> years) {
    Column runs = col("status").isin(Vocabulary.OPERATING, Vocabulary.CLOSED);
    Column startIndex =
        when(
                col("start_year").isNotNull(),
                col("start_year").multiply(12).plus(col("start_month")).minus(1))
            .otherwise(lit(NO_START));
    Column endIndex =
        when(
                col("end_year").isNotNull(),
                col("end_year").multiply(12).plus(col("end_month")).minus(1))
            .otherwise(lit(NO_END));
    Column yearFirst = col("year").multiply(12);
    Column yearLast = col("year").multiply(12).plus(11);
    Column months =
        greatest(lit(0), least(endIndex, yearLast).minus(greatest(startIndex, yearFirst)).plus(1));
    Column expected = col("start_year").equalTo(col("year"));
    return plants
        .crossJoin(org.apache.spark.sql.functions.broadcast(years))
        .withColumn("months_operating", when(runs, months).otherwise(lit(0)))
        .withColumn(
            "effective_capacity_t",
            when(runs, col("capacity_t").multiply(col("months_operating")).divide(12)))
        .withColumn(
            "year_end_capacity_t",
            when(
                runs,
                when(startIndex.leq(yearLast).and(endIndex.geq(yearLast)), col("capacity_t"))
                    .otherwise(lit(0.0))))
        .withColumn(
            "under_construction_t",
            when(
                col("status").equalTo(Vocabulary.UNDER_CONSTRUCTION).and(expected),
                col("capacity_t")))
        .withColumn(
            "planned_t",
            when(col("status").equalTo(Vocabulary.PLANNED).and(expected), col("capacity_t")))
        .filter(
            col("months_operating")
                .gt(0)
                .or(col("under_construction_t").isNotNull())
                .or(col("planned_t").isNotNull()))
        .select(
            col("source"),
            col("plant_id"),
            col("plant"),
            col("company"),
            col("owner_iso3"),
            col("country_iso3"),
            col("metal"),
            col("stage"),
            col("basis"),
            col("status"),
            col("year"),
            col("capacity_t"),
            col("months_operating"),
            col("effective_capacity_t"),
            col("year_end_capacity_t"),
            col("under_construction_t"),
            col("planned_t"));
  }
}
