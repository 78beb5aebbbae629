package org.metalslake.sources.usgs;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.explode_outer;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.map;
import static org.apache.spark.sql.functions.map_filter;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.metalslake.conform.CountryCapacity;
import org.metalslake.conform.Outcome;
import org.metalslake.conform.ProductionConformer;
import org.metalslake.conform.Reasons;
import org.metalslake.ref.RefData;
import org.metalslake.sources.BasicFormat;
import org.metalslake.sources.Header;
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
public final class UsgsWorldFormat extends BasicFormat {
  public static final String SOURCE = "usgs-mcs";

  public UsgsWorldFormat() {
    super(
        "usgs-mcs-world",
        "SOURCE,COMMODITY,COUNTRY,TYPE,UNIT_MEAS,PROD_<year>,PROD_EST_ <year>,PROD_NOTES,…",
        Tables.USGS_WORLD_RAW,
        List.of(
            "source",
            "commodity",
            "country",
            "type",
            "unit_meas",
            "prod_notes",
            "cap_notes",
            "reserve_notes"));
  }

  @Override
  public boolean matches(Header header) {
    return header.hasAll(List.of("source", "commodity", "country", "type", "unit_meas"))
        && header.anyKeyMatches("prod(est)?[0-9]{4}");
  }

  /** Bronze columns holding a production or capacity figure of a year: PROD_2023, CAP_EST_ 2024. */
  private static final java.util.regex.Pattern YEAR_COLUMN =
      java.util.regex.Pattern.compile("(prod|cap)_(est_)?[0-9]{4}");

  @Override
  public Map<TableId, Dataset<Row>> conform(Dataset<Row> bronze, RefData ref) {
    Dataset<Row> base =
        bronze
            .withColumn("__commodity", col("commodity"))
            .withColumn("__type", col("type"))
            .withColumn("__prod_notes", lower(coalesce(col("prod_notes"), lit(""))))
            .withColumn("__cap_notes", lower(coalesce(col("cap_notes"), lit(""))));
    Dataset<Row> mapped = ref.withUsgsWorldType(base, "__commodity", "__type");
    Column inScope = col("metal").isNotNull();
    // Production (PROD_2023, PROD_EST_ 2024) and capacity (CAP_2023, CAP_EST_ 2024) figures.
    List<Column> cells = new java.util.ArrayList<>();
    for (String c : bronze.columns()) {
      if (YEAR_COLUMN.matcher(c).matches()) {
        cells.add(lit(c));
        cells.add(col(c));
      }
    }
    Column yearValues =
        when(
            inScope,
            map_filter(
                map(cells.toArray(new Column[0])),
                (k, v) -> v.isNotNull().and(trim(v).notEqual(""))));
    Dataset<Row> exploded =
        mapped.select(
            concatCols(
                Outcome.lineage(),
                col("country"),
                col("unit_meas"),
                col("source"),
                col("__commodity"),
                col("__type"),
                col("__prod_notes"),
                col("__cap_notes"),
                col("metal"),
                col("stage"),
                col("basis"),
                explode_outer(yearValues).as(new String[] {"__key", "__value"})));
    Column year = regexp_extract(col("__key"), "([0-9]{4})", 1);
    Column isCapacity = col("__key").startsWith("cap_");
    Column notes = when(isCapacity, col("__cap_notes")).otherwise(col("__prod_notes"));
    // Estimated: an _EST_ column, a type marked estimated, or a note saying so (for this
    // year, or for no year in particular).
    Column estimated =
        col("__key")
            .contains("_est_")
            .or(lower(col("__type")).contains("estimated"))
            .or(
                notes
                    .contains("estimated")
                    .and(notes.rlike("[0-9]{4}").unary_$bang().or(notes.contains(year))));
    Map<String, Column> given = new java.util.HashMap<>();
    given.put("period", year);
    given.put("country", col("country"));
    given.put("region", lit(null).cast("string"));
    given.put("metal", col("metal"));
    given.put("stage", col("stage"));
    given.put("quantity", col("__value"));
    given.put("unit", col("unit_meas"));
    given.put("basis", col("basis"));
    given.put("source", lit(SOURCE));
    given.put("flag", when(estimated, lit("e")));
    given.put("release", trim(col("source")));
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
