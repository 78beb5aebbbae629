package org.metalslake.gold;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.try_divide;
import static org.apache.spark.sql.functions.when;
import static org.metalslake.gold.TradeTotals.toCols;
import static org.metalslake.gold.TradeTotals.toSeq;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.metalslake.storage.TableDoc;

/**
 * {@code gold.supply_concentration} (SPEC §6): who supplies the world, per source, metal, stage,
 * basis and year. Two views: {@code production}, by producing country, from production figures; and
 * {@code equity}, by the country of the owning companies, from plant-level capacity where plants
 * carry an owner country (output estimated as effective capacity × the host country's utilisation).
 * The world total is the sum over countries including "other countries", never the published
 * world-total row (shown beside it); ranks, top-n shares and the HHI are over named countries.
 */
public final class SupplyConcentration {
  private SupplyConcentration() {}

  public static final String PRODUCTION = "production";
  public static final String EQUITY = "equity";

  static final List<String> GROUP = List.of("view", "source", "metal", "stage", "basis", "year");

  public static final TableDoc DOC =
      TableDoc.of(
              "Supply concentration per metal, stage and year: each country's share of world"
                  + " production (production view) or of output its companies own (equity view)")
          .column(
              "view",
              "production (by producing country) or equity (by owner country, from plant data)")
          .column("source", "Dataset of the figures (usgs-mcs, a plant list…)")
          .column("metal", "Metal code from ref.metals")
          .column("stage", "Stage (mine, smelter, refinery, primary…)")
          .column("basis", "metal_content, or gross")
          .column("year", "Calendar year")
          .column("period", "YYYY")
          .column("country_iso3", "Producing (or owner) country; XOC = other countries")
          .column("country_kind", "country or other")
          .column(
              "production_t",
              "Production in the country, t (equity view: estimated output of the plants its"
                  + " companies own, at home and abroad)")
          .column(
              "world_total_t",
              "Sum of production_t over all countries including other countries, t (never the"
                  + " published world-total row)")
          .column("share_pct", "production_t / world_total_t * 100")
          .column("rank", "Rank among named countries by production_t (1 = largest)")
          .column("top1_share_pct", "Share of the largest named country, percent")
          .column("top3_share_pct", "Combined share of the three largest named countries, percent")
          .column(
              "hhi", "Herfindahl-Hirschman index: sum of squared share_pct over named countries")
          .column("countries", "Named countries with production above zero")
          .column(
              "published_world_total_t",
              "The source's own world total (USGS: World total, rounded)")
          .column(
              "share_of_published_world_pct",
              "production_t / published_world_total_t * 100 (how USGS quotes a share)")
          .column(
              "world_coverage",
              "True when the source covers the world (publishes a world total or other countries)")
          .column(
              "equity_capacity_t",
              "Equity view: effective capacity of the plants the country's companies own, t/yr")
          .column(
              "overseas_production_t",
              "Equity view: estimated output of plants owned abroad (plant country ≠ owner), t")
          .column(
              "plants_unrated",
              "Equity view: operating plants whose host country has no utilisation that year; their"
                  + " output is not in production_t (their capacity is in equity_capacity_t)")
          .column(
              "demand_t",
              "Equity view: the owner country's apparent consumption at the same stage, else of"
                  + " refined (else primary) metal, t")
          .column(
              "overseas_cover_pct",
              "Equity view: overseas_production_t / demand_t * 100 — the share of the country's"
                  + " demand covered by output its companies own abroad");

  /**
   * @param production {@code silver.production}, or null
   * @param plants {@code silver.capacity}, or null
   * @param utilisation {@code gold.capacity_utilisation}, or null (no equity view without it)
   * @param balance {@code gold.supply_balance}, or null
   */
  public static Dataset<Row> compute(
      Dataset<Row> production,
      Dataset<Row> plants,
      Dataset<Row> utilisation,
      Dataset<Row> balance) {
    // Aggregated once: the production view reads it, the equity view takes its years from it.
    Dataset<Row> annual = production == null ? null : AnnualProduction.of(production);
    Dataset<Row> out = null;
    if (annual != null) {
      out = producers(annual);
    }
    if (plants != null && utilisation != null) {
      Dataset<Row> equity = owners(plants, utilisation, balance, annual);
      out = out == null ? equity : out.unionByName(equity);
    }
    return out;
  }

  /** The production view, from annual national production ({@link AnnualProduction#of}). */
  static Dataset<Row> producers(Dataset<Row> annual) {
    List<String> group = GROUP.subList(1, GROUP.size());
    Dataset<Row> published =
        annual
            .groupBy(toCols(group))
            .agg(
                max(when(col("country_kind").equalTo("world"), col("production_t")))
                    .as("published_world_total_t"),
                max(when(col("country_kind").isin("world", "other"), lit(true)).otherwise(false))
                    .as("world_coverage"));
    Dataset<Row> rows =
        annual
            .filter(col("country_kind").isin("country", "other"))
            .withColumn("view", lit(PRODUCTION))
            .withColumn("equity_capacity_t", lit(null).cast("double"))
            .withColumn("overseas_production_t", lit(null).cast("double"))
            .withColumn("plants_unrated", lit(null).cast("long"))
            .withColumn("demand_t", lit(null).cast("double"));
    return shares(rows.join(published, toSeq(group), "left"));
  }

  /**
   * The equity view: each plant's estimated output (effective capacity × its host country's
   * utilisation that year) credited to the owner country.
   */
  static Dataset<Row> owners(
      Dataset<Row> plants, Dataset<Row> utilisation, Dataset<Row> balance, Dataset<Row> annual) {
    Dataset<Row> plantYears =
        PlantYears.compute(plants, PlantYears.years(plants, annual))
            .filter(col("months_operating").gt(0));
    Dataset<Row> rates =
        utilisation.select(
            col("country_iso3").as("__uc"),
            col("metal").as("__um"),
            col("stage").as("__us"),
            col("basis").as("__ub"),
            col("year").as("__uy"),
            col("utilisation_pct").as("__rate"));
    Dataset<Row> estimated =
        plantYears
            .join(
                rates,
                col("country_iso3")
                    .equalTo(col("__uc"))
                    .and(col("metal").equalTo(col("__um")))
                    .and(col("stage").equalTo(col("__us")))
                    .and(col("basis").equalTo(col("__ub")))
                    .and(col("year").equalTo(col("__uy"))),
                "left")
            .withColumn(
                "__output", col("effective_capacity_t").multiply(col("__rate")).divide(100));
    Dataset<Row> byOwner =
        estimated
            .groupBy(
                col("source"),
                col("metal"),
                col("stage"),
                col("basis"),
                col("year"),
                col("owner_iso3").as("country_iso3"))
            .agg(
                sum("__output").as("production_t"),
                sum("effective_capacity_t").as("equity_capacity_t"),
                sum(when(col("country_iso3").notEqual(col("owner_iso3")), col("__output"))
                        .otherwise(when(col("__output").isNotNull(), lit(0.0))))
                    .as("overseas_production_t"),
                count(when(col("__output").isNull(), lit(1))).as("plants_unrated"))
            .withColumn("view", lit(EQUITY))
            .withColumn("country_kind", lit("country"))
            .withColumn("published_world_total_t", lit(null).cast("double"))
            .withColumn("world_coverage", lit(false));
    Dataset<Row> withDemand;
    if (balance == null) {
      withDemand = byOwner.withColumn("demand_t", lit(null).cast("double"));
    } else {
      Dataset<Row> demand =
          CapacityUtilisation.withDemand(
                  byOwner.select("country_iso3", "metal", "stage", "basis", "year").distinct(),
                  balance,
                  true)
              .select(
                  col("country_iso3").as("__oc"),
                  col("metal").as("__om"),
                  col("stage").as("__os"),
                  col("basis").as("__ob"),
                  col("year").as("__oy"),
                  col("demand_t"));
      withDemand =
          byOwner
              .join(
                  demand,
                  col("country_iso3")
                      .equalTo(col("__oc"))
                      .and(col("metal").equalTo(col("__om")))
                      .and(col("stage").equalTo(col("__os")))
                      .and(col("basis").equalTo(col("__ob")))
                      .and(col("year").equalTo(col("__oy"))),
                  "left")
              .drop("__oc", "__om", "__os", "__ob", "__oy");
    }
    return shares(withDemand);
  }

  /** Shares, ranks, top-n and HHI per group, over rows of {@code country_kind} country/other. */
  private static Dataset<Row> shares(Dataset<Row> rows) {
    Column named = col("country_kind").equalTo("country");
    Dataset<Row> shared =
        rows.withColumn(
                "world_total_t", sum("production_t").over(Window.partitionBy(toCols(GROUP))))
            .withColumn(
                "share_pct",
                when(
                    col("world_total_t").gt(0),
                    try_divide(col("production_t"), col("world_total_t")).multiply(100)))
            .withColumn(
                "share_of_published_world_pct",
                when(
                    col("published_world_total_t").gt(0),
                    try_divide(col("production_t"), col("published_world_total_t")).multiply(100)))
            .withColumn(
                "rank",
                when(
                    named.and(col("production_t").isNotNull()),
                    row_number()
                        .over(
                            Window.partitionBy(toCols(GROUP))
                                .orderBy(
                                    named.desc(),
                                    col("production_t").desc_nulls_last(),
                                    col("country_iso3")))));
    Dataset<Row> summary =
        shared
            .groupBy(toCols(GROUP))
            .agg(
                max(when(col("rank").equalTo(1), col("share_pct"))).as("top1_share_pct"),
                sum(when(col("rank").leq(3), col("share_pct"))).as("top3_share_pct"),
                sum(when(named, pow(col("share_pct"), 2))).as("hhi"),
                count(when(named.and(col("production_t").gt(0)), lit(1))).as("countries"));
    Column overseasCover =
        when(
            col("demand_t").gt(0),
            try_divide(col("overseas_production_t"), col("demand_t")).multiply(100));
    return shared
        .join(summary, toSeq(GROUP))
        .select(
            col("view"),
            col("source"),
            col("metal"),
            col("stage"),
            col("basis"),
            col("year"),
            col("year").cast("string").as("period"),
            col("country_iso3"),
            col("country_kind"),
            col("production_t"),
            col("world_total_t"),
            col("share_pct"),
            col("rank").cast("int").as("rank"),
            col("top1_share_pct"),
            col("top3_share_pct"),
            col("hhi"),
            col("countries"),
            col("published_world_total_t"),
            col("share_of_published_world_pct"),
            col("world_coverage"),
            col("equity_capacity_t"),
            col("overseas_production_t"),
            col("plants_unrated"),
            col("demand_t"),
            overseasCover.as("overseas_cover_pct"));
  }
}
