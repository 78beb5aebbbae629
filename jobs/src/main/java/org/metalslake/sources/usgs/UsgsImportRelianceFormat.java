package org.metalslake.sources.usgs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.explode_outer;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map;
import static org.apache.spark.sql.functions.map_filter;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
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
 * The USGS MCS net import reliance table behind Fig2 ({@code
 * MCS20NN_Fig2_Net_Import_Reliance.csv}): one row per commodity, the U.S. net import reliance of
 * the year the header names ({@code Net_Import_Reliance_pct_2023} in MCS2024, {@code …_pct_2024} in
 * MCS2025) as text ({@code 46}, {@code >95}, {@code E}). Into {@code silver.published_balance} as
 * measure {@code nir} for the United States at the stage of USGS's balance (ref
 * usgs_published_commodities.csv, the stage the salient files use); commodities it lacks are
 * counted and skipped. The release is the {@code Source} column.
 */
public final class UsgsImportRelianceFormat extends BasicFormat {
  public static final String SOURCE = "usgs_mcs_fig2";

  /** Bronze names of the NIR column: {@code net_import_reliance_pct_2023}. */
  private static final Pattern NIR_COLUMN = Pattern.compile("net_import_reliance_pct_[0-9]{4}");

  public UsgsImportRelianceFormat() {
    super(
        "usgs-mcs-import-reliance",
        "Source,Import_Share_Order,Commodity,Net_Import_Reliance_pct_<year>,"
            + "Major_Import_Sources_<year>_<year>,Notes",
        Tables.USGS_IMPORT_RELIANCE_RAW,
        List.of("source", "import_share_order", "commodity", "notes"));
  }

  /** USGS revises its figures release by release: each release's are kept as vintages. */
  @Override
  public boolean keepsVintages() {
    return true;
  }

  @Override
  public boolean matches(Header header) {
    return header.hasAll(List.of("source", "import_share_order", "commodity"))
        && header.anyKeyMatches("netimportreliancepct[0-9]{4}");
  }

  @Override
  public Map<TableId, Dataset<Row>> conform(Dataset<Row> bronze, RefData ref) {
    Dataset<Row> mapped = ref.withUsgsPublishedCommodity(bronze, "commodity");
    // One NIR column per release year; the files of a batch may bring several.
    List<Column> cells = new ArrayList<>();
    for (String c : bronze.columns()) {
      if (NIR_COLUMN.matcher(c).matches()) {
        cells.add(lit(c));
        cells.add(col(c));
      }
    }
    Column inScope = col("pub_metal").isNotNull();
    Column nirs =
        map_filter(
            map(cells.toArray(new Column[0])), (k, v) -> v.isNotNull().and(trim(v).notEqual("")));
    List<Column> select = new ArrayList<>(List.of(Outcome.lineage()));
    select.add(col("commodity"));
    select.add(col("source"));
    select.add(col("pub_metal"));
    select.add(col("pub_nir_stage"));
    select.add(col("pub_basis"));
    select.add(explode_outer(when(inScope, nirs)).as(new String[] {"__key", "__value"}));
    Dataset<Row> facts =
        mapped
            .select(select.toArray(new Column[0]))
            .withColumn("__country", lit("USA"))
            .withColumn("__measure", lit("nir"))
            .withColumn("__metal_name", col("pub_metal"))
            .withColumn("__stage_name", col("pub_nir_stage"))
            .withColumn("__basis", col("pub_basis"))
            .withColumn("__raw", col("__value"))
            .withColumn("__tonnes", lit(false))
            .withColumn("__unit_name", lit(null).cast("string"))
            .withColumn("__column", col("__key"))
            .withColumn("__year_raw", regexp_extract(col("__key"), "([0-9]{4})$", 1))
            .withColumn("__release", UsgsWorldFormat.release(col("source")))
            .withColumn(
                "__skip",
                when(
                        inScope.unary_$bang(),
                        concat(
                            lit("outside scope: USGS commodity "),
                            Reasons.quoted(trim(col("commodity"))),
                            lit(" (no row in ref usgs_published_commodities.csv)")))
                    .when(col("__key").isNull(), lit("no net import reliance in this row")));
    return Map.of(Tables.PUBLISHED_BALANCE, UsgsPublished.published(facts, SOURCE, ref));
  }
}
