package org.metalslake.conform;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.metalslake.storage.TableDoc;

/**
 * {@code silver.country_capacity}: capacity of a country as a source publishes it (the USGS world
 * file's {@code CAP_} columns), one figure per country, metal, stage and year. Conformed like a
 * production figure (same countries, units, flags and key), then renamed.
 */
public final class CountryCapacity {
  private CountryCapacity() {}

  public static final List<String> KEY = ProductionConformer.KEY;

  public static final TableDoc DOC =
      TableDoc.of(
              "Country capacity as published (not plant-level), metric tonnes a year; one figure"
                  + " per country, metal, stage and year")
          .column("source", "Publisher or dataset the figure comes from (part of the key)")
          .column("country_iso3", "ISO 3166-1 alpha-3; WLD = world total, XOC = other countries")
          .column("country_kind", "country, world or other (world/other rows are never summed)")
          .column("region", "Sub-national region, null for a national figure")
          .column("metal", "Metal code from ref.metals")
          .column("stage", "Value-chain stage code from ref.stages")
          .column("basis", "gross or metal_content")
          .column("period", "YYYY")
          .column("freq", "A annual")
          .column("year", "Calendar year")
          .column("capacity_t", "Capacity, metric tonnes a year (null when withheld)")
          .column("unit_reported", "Unit of the figure as published")
          .column("flags", "e estimated, W withheld, p provisional, r revised")
          .column("release", "Release or vintage of the source");

  /** Conformed production-shaped facts (quantity = capacity) as country capacity facts. */
  public static Dataset<Row> fromConformed(Dataset<Row> conformed) {
    return conformed
        .withColumnRenamed("quantity_t", "capacity_t")
        .select(
            Outcome.withOutcome(
                col("source"),
                col("country_iso3"),
                col("country_kind"),
                col("region"),
                col("metal"),
                col("stage"),
                col("basis"),
                col("period"),
                col("freq"),
                col("year"),
                col("capacity_t"),
                col("unit_reported"),
                col("flags"),
                col("release")));
  }
}
