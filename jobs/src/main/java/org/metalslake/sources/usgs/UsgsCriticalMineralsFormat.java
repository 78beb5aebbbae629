package org.metalslake.sources.usgs;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.explode_outer;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.metalslake.conform.Outcome;
import org.metalslake.conform.Reasons;
import org.metalslake.ref.RefData;
import org.metalslake.sources.BasicFormat;
import org.metalslake.sources.Header;
import org.metalslake.storage.TableId;
import org.metalslake.storage.Tables;

/**
 * The USGS MCS table of critical-mineral salient statistics (T5 in MCS2024 and MCS2025, T7 in
 * MCS2026): one row per mineral for the release's estimated year ({@code 2023_estimated}). Headers
 * differ per release (T7 adds {@code Units}; {@code Apparent_Consuption}, {@code
 * Contsumption_Notes} and {@code Leading_source_precent_world} are typos of some releases; the
 * share column moves), so columns are read by name and alias, never by position. Into {@code
 * silver.published_balance}: for the United States the net import reliance ({@code nir}, percent;
 * {@code value_text} keeps {@code E}, {@code >50}) and the apparent consumption (t), at the stage
 * of USGS's balance; for the leading producing country the country's production, the world
 * production and the country's share as published ({@code leading_country_production}, {@code
 * world_production} in t, {@code leading_country_share} in percent), at the production stage. Metal
 * and stages come from ref usgs_published_commodities.csv; minerals it lacks are counted and
 * skipped. The release is the {@code Source} column.
 */
public final class UsgsCriticalMineralsFormat extends BasicFormat {
  public static final String SOURCE = "usgs_mcs_critical_minerals";

  public UsgsCriticalMineralsFormat() {
    super(
        "usgs-mcs-critical-minerals",
        "Source,Year,[Units,]Critical_mineral,Primary_prod,Secondary_prod,Prod_notes,"
            + "Apparent_Consumption,Consumption_Notes,Net_Import_Reliance,…,"
            + "Leading_source_country,Leading_country_prod,Leading_source_precent_world,"
            + "World_total_prod,World_prod_notes",
        Tables.USGS_CRITICAL_MINERALS_RAW,
        List.of(
            "source",
            "year",
            "units",
            "critical_mineral",
            "primary_prod",
            "secondary_prod",
            "prod_notes",
            "apparent_consumption",
            "consumption_notes",
            "net_import_reliance",
            "import_source_notes",
            "leading_source_country",
            "leading_country_prod",
            "leading_source_percent_world",
            "world_total_prod",
            "world_prod_notes"));
  }

  /** The typos of the released headers (MCS2024 T5; every release spells "precent"). */
  @Override
  public Map<String, String> aliases() {
    return Map.of(
        "apparentconsuption", "apparent_consumption",
        "contsumptionnotes", "consumption_notes",
        "leadingsourceprecentworld", "leading_source_percent_world");
  }

  /** USGS revises its figures release by release: each release's are kept as vintages. */
  @Override
  public boolean keepsVintages() {
    return true;
  }

  @Override
  public boolean matches(Header header) {
    return header.hasAll(
        List.of(
            "source", "year", "critical_mineral", "net_import_reliance", "leading_source_country"));
  }

  /** One figure of a record: its measure, country, stage, source column and unit kind. */
  private static Column cell(
      String measure, Column country, Column stage, String column, boolean tonnes) {
    return struct(
        lit(measure).as("measure"),
        country.as("country"),
        stage.as("stage"),
        lit(column).as("column"),
        col(column).as("raw"),
        lit(tonnes).as("tonnes"));
  }

  @Override
  public Map<TableId, Dataset<Row>> conform(Dataset<Row> bronze, RefData ref) {
    Dataset<Row> mapped = ref.withUsgsPublishedCommodity(bronze, "critical_mineral");
    Column usa = lit("USA");
    Column leading = col("leading_source_country");
    Column nirStage = col("pub_nir_stage");
    Column productionStage = col("pub_production_stage");
    Column cells =
        array(
            cell("nir", usa, nirStage, "net_import_reliance", false),
            cell("apparent_consumption", usa, nirStage, "apparent_consumption", true),
            cell(
                "leading_country_production",
                leading,
                productionStage,
                "leading_country_prod",
                true),
            cell("world_production", leading, productionStage, "world_total_prod", true),
            cell(
                "leading_country_share",
                leading,
                productionStage,
                "leading_source_percent_world",
                false));
    // A figure is kept when it is given; NA is no figure, except for the NIR, whose text is kept
    // as the salient files' is.
    Column given =
        filter(
            cells,
            c ->
                c.getField("raw")
                    .isNotNull()
                    .and(trim(c.getField("raw")).notEqual(""))
                    .and(c.getField("stage").isNotNull())
                    .and(
                        c.getField("measure")
                            .equalTo("nir")
                            .or(upper(trim(c.getField("raw"))).notEqual("NA"))));
    Column inScope = col("pub_metal").isNotNull();
    List<Column> select = new ArrayList<>(List.of(Outcome.lineage()));
    select.add(col("critical_mineral"));
    select.add(col("year"));
    select.add(col("source"));
    select.add(col("units"));
    select.add(col("pub_metal"));
    select.add(col("pub_basis"));
    select.add(explode_outer(when(inScope, given)).as("__cell"));
    Dataset<Row> facts =
        mapped
            .select(select.toArray(new Column[0]))
            .withColumn("__country", col("__cell.country"))
            .withColumn("__measure", col("__cell.measure"))
            .withColumn("__metal_name", col("pub_metal"))
            .withColumn("__stage_name", col("__cell.stage"))
            .withColumn("__basis", col("pub_basis"))
            .withColumn("__raw", col("__cell.raw"))
            .withColumn("__tonnes", col("__cell.tonnes"))
            .withColumn("__unit_name", col("units"))
            .withColumn("__column", col("__cell.column"))
            .withColumn("__year_raw", col("year"))
            .withColumn("__release", UsgsWorldFormat.release(col("source")))
            .withColumn(
                "__skip",
                when(
                        inScope.unary_$bang(),
                        concat(
                            lit("outside scope: USGS critical mineral "),
                            Reasons.quoted(trim(col("critical_mineral"))),
                            lit(" (no row in ref usgs_published_commodities.csv)")))
                    .when(
                        col("__cell").isNull(),
                        lit("no figure published in this row (NA throughout)")));
    return Map.of(Tables.PUBLISHED_BALANCE, UsgsPublished.published(facts, SOURCE, ref));
  }
}
