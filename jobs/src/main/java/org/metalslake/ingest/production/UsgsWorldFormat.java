package org.metalslake.ingest.production;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.explode_outer;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.metalslake.conform.CountryCapacity;
import org.metalslake.conform.ProductionConformer;
import org.metalslake.conform.Reasons;
import org.metalslake.ingest.Fields;
import org.metalslake.ingest.SourceFormat;
import org.metalslake.ref.RefData;
import org.metalslake.storage.TableId;
import org.metalslake.storage.Tables;

/**
 * The USGS Mineral Commodity Summaries world data file as released ({@code
 * MCS20NN_World_Data.csv}): one row per commodity, country and type, with production for two years
 * ({@code PROD_2023}, {@code PROD_EST_ 2024}, the second an estimate) and, for some commodities,
 * capacity for the same years ({@code CAP_2023}, {@code CAP_EST_ 2024}), which goes to {@code
 * silver.country_capacity}. {@code World total} and {@code Other countries} rows are kept under the
 * pseudo-codes WLD and XOC, never as countries. Commodities outside the product's scope (cement,
 * salt, …) are counted and skipped.
 */
public final class UsgsWorldFormat implements SourceFormat {
  public static final String SOURCE = "usgs-mcs";

  @Override
  public String name() {
    return "usgs-mcs-world";
  }

  @Override
  public String expectedHeader() {
    return "SOURCE,COMMODITY,COUNTRY,TYPE,UNIT_MEAS,PROD_<year>,PROD_EST_ <year>,PROD_NOTES,…";
  }

  @Override
  public TableId bronzeTable() {
    return Tables.PRODUCTION_RAW;
  }

  @Override
  public boolean matches(List<String> header) {
    return header.containsAll(List.of("source", "commodity", "country", "type", "unit_meas"))
        && header.stream().anyMatch(h -> h.matches("prod_(est_)?\\s*[0-9]{4}"));
  }

  @Override
  public Map<TableId, Dataset<Row>> conform(Dataset<Row> bronze, RefData ref) {
    Dataset<Row> base =
        bronze
            .withColumn("__commodity", Fields.get("COMMODITY"))
            .withColumn("__type", Fields.get("TYPE"))
            .withColumn("__prod_notes", lower(coalesce(Fields.get("PROD_NOTES"), lit(""))))
            .withColumn("__cap_notes", lower(coalesce(Fields.get("CAP_NOTES"), lit(""))));
    Dataset<Row> mapped = ref.withUsgsWorldType(base, "__commodity", "__type");
    Column inScope = col("metal").isNotNull();
    // Production (PROD_2023, PROD_EST_ 2024) and capacity (CAP_2023, CAP_EST_ 2024) figures.
    Column yearValues =
        when(
            inScope,
            expr(
                "map_filter(record, (k, v) -> upper(k) rlike '^(PROD|CAP)_(EST_)? *[0-9]{4}$'"
                    + " AND v IS NOT NULL AND trim(v) <> '')"));
    Dataset<Row> exploded =
        mapped.select(
            concatCols(
                Fields.lineage(),
                col("__commodity"),
                col("__type"),
                col("__prod_notes"),
                col("__cap_notes"),
                col("metal"),
                col("stage"),
                col("basis"),
                explode_outer(yearValues).as(new String[] {"__key", "__value"})));
    Column year = regexp_extract(col("__key"), "([0-9]{4})", 1);
    Column isCapacity = upper(col("__key")).startsWith("CAP_");
    Column notes = when(isCapacity, col("__cap_notes")).otherwise(col("__prod_notes"));
    // Estimated: an _EST_ column, a type marked estimated, or a note saying so (for this
    // year, or for no year in particular).
    Column estimated =
        upper(col("__key"))
            .contains("EST")
            .or(lower(col("__type")).contains("estimated"))
            .or(
                notes
                    .contains("estimated")
                    .and(notes.rlike("[0-9]{4}").unary_$bang().or(notes.contains(year))));
    Map<String, Column> given = new java.util.HashMap<>();
    given.put("period", year);
    given.put("country", Fields.get("COUNTRY"));
    given.put("region", lit(null).cast("string"));
    given.put("metal", col("metal"));
    given.put("stage", col("stage"));
    given.put("quantity", col("__value"));
    given.put("unit", Fields.get("UNIT_MEAS"));
    given.put("basis", col("basis"));
    given.put("source", lit(SOURCE));
    given.put("flag", when(estimated, lit("e")));
    given.put("release", trim(Fields.get("SOURCE")));
    given.put(
        "_skip_reason",
        when(
                col("metal").isNull(),
                concat(
                    lit("outside scope: USGS commodity "),
                    Reasons.quoted(trim(col("__commodity"))),
                    lit(", type "),
                    Reasons.quoted(trim(col("__type")))))
            .when(
                col("__key").isNull(),
                lit("no production or capacity figure in the record (empty or reserves only)")));
    // Conformed in two passes so each figure reaches its table; a record without any figure
    // (out of scope, reserves only) goes with production, once.
    Dataset<Row> production =
        ProductionConformer.conform(
            ProductionConformer.candidates(
                exploded.filter(coalesce(isCapacity, lit(false)).unary_$bang()), given),
            ref);
    Dataset<Row> capacity =
        ProductionConformer.conform(
            ProductionConformer.candidates(exploded.filter(isCapacity), given), ref);
    return Map.of(
        Tables.PRODUCTION,
        production,
        Tables.COUNTRY_CAPACITY,
        CountryCapacity.fromConformed(capacity));
  }

  private static Column[] concatCols(Column[] head, Column... tail) {
    Column[] out = new Column[head.length + tail.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(tail, 0, out, head.length, tail.length);
    return out;
  }
}
