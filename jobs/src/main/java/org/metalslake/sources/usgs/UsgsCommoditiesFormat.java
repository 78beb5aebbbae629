package org.metalslake.sources.usgs;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.metalslake.conform.Reasons;
import org.metalslake.ref.RefData;
import org.metalslake.sources.BasicFormat;
import org.metalslake.sources.Header;
import org.metalslake.storage.TableId;
import org.metalslake.storage.Tables;

/**
 * The USGS Mineral Commodity Summaries data in the long layout of MCS2026 ({@code
 * MCS2026_Commodities_Data.csv}): one row per commodity, country, statistic and year, the figure in
 * {@code Value} as text ({@code "230,000"}, {@code W} withheld, {@code —} none) and the estimate
 * only in {@code Notes} ({@code Estimated.}). {@code Statistics} Production goes to {@code
 * silver.production}, Capacity to {@code silver.country_capacity}; Reserves are counted and
 * skipped. Metal, stage and basis come from ref usgs_world_types.csv with {@code Statistics_detail}
 * as the type ({@code Mine production}; the {@code : rounded} of world totals dropped), so the
 * figures share the world file's source ({@link UsgsWorldFormat#SOURCE}): gold sees one USGS world
 * source across releases. {@code World total} and {@code Other countries} are WLD and XOC, never
 * countries.
 *
 * <p>The layout is recognised from the header. The file has no release column, so the release label
 * alone is read from the file name ({@code MCS2026} in {@code MCS2026_Commodities_Data.csv}); null
 * when the name carries none.
 */
public final class UsgsCommoditiesFormat extends BasicFormat {
  public UsgsCommoditiesFormat() {
    super(
        "usgs-mcs-commodities",
        "MCS chapter,Section,Commodity,Country,Statistics,Statistics_detail,Unit,Year,Value,Notes,…",
        Tables.USGS_COMMODITIES_RAW,
        List.of(
            "mcs_chapter",
            "section",
            "commodity",
            "country",
            "statistics",
            "statistics_detail",
            "unit",
            "year",
            "value",
            "notes",
            "other_notes"));
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
            "commodity", "country", "statistics", "statistics_detail", "unit", "year", "value"));
  }

  /**
   * The release named in a file's name, {@code MCS2026} for {@code …/MCS2026_Commodities_Data.csv}
   * (the last folder-free part of the path only); null when it names none.
   */
  static Column releaseOf(Column path) {
    Column year = regexp_extract(path, "(?i)mcs[ _-]?(20[0-9]{2})[^/\\\\]*$", 1);
    return when(year.notEqual(""), concat(lit("MCS"), year));
  }

  /** USGS's sign for no figure: an em dash (en dash and hyphens as typed by hand). */
  private static Column isNone(Column raw) {
    return trim(raw).isin("\u2014", "\u2013", "-", "--");
  }

  @Override
  public Map<TableId, Dataset<Row>> conform(Dataset<Row> bronze, RefData ref) {
    Column statistic = lower(trim(col("statistics")));
    Dataset<Row> base =
        bronze
            .withColumn("__statistic", statistic)
            .withColumn(
                "__type",
                trim(regexp_replace(col("statistics_detail"), "(?i):\\s*rounded\\s*$", "")));
    Dataset<Row> mapped = ref.withUsgsWorldType(base, "commodity", "__type");
    Column notes = lower(coalesce(col("notes"), lit("")));
    // "Estimated.", "Estimated. -- Excludes U.S. production.", "Estimated from Asian Metal": a
    // note (or one of its " -- " parts) that starts with the word; not "… estimated to still
    // have capacity", which speaks of other countries.
    Column estimated = notes.rlike("(^|--)\\s*estimated\\b");
    Map<String, Column> given = new java.util.HashMap<>();
    given.put("period", trim(col("year")));
    given.put("country", col("country"));
    given.put("region", lit(null).cast("string"));
    given.put("metal", col("metal"));
    given.put("stage", col("stage"));
    given.put("quantity", UsgsPublished.withoutThousands(col("value")));
    given.put("unit", col("unit"));
    given.put("basis", col("basis"));
    given.put("source", lit(UsgsWorldFormat.SOURCE));
    given.put("flag", when(estimated, lit("e")));
    given.put("release", releaseOf(col("_source_file")));
    given.put(
        "_skip_reason",
        when(
                col("__statistic").equalTo("reserves"),
                lit("reserves are not kept (USGS statistic 'Reserves')"))
            .when(
                coalesce(col("__statistic").isin("production", "capacity"), lit(false))
                    .unary_$bang(),
                concat(
                    lit("USGS statistic "),
                    Reasons.quoted(trim(col("statistics"))),
                    lit(" is neither production nor capacity")))
            .when(
                col("metal").isNull(),
                concat(
                    lit("outside scope: USGS commodity "),
                    Reasons.quoted(trim(col("commodity"))),
                    lit(", statistic "),
                    Reasons.quoted(trim(col("statistics_detail")))))
            .when(isNone(col("value")), lit("no figure published (USGS writes \u2014)")));
    Column isCapacity = coalesce(col("__statistic").equalTo("capacity"), lit(false));
    // Conformed in two passes so each figure reaches its table; reserves and out-of-scope
    // records go with production, once each.
    return UsgsWorldFormat.productionAndCapacity(mapped, isCapacity, given, ref);
  }
}
