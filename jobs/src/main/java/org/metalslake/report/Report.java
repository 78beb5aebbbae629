package org.metalslake.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.metalslake.storage.Lake;
import org.metalslake.storage.TableId;

/**
 * {@code report --to DIR}: one static HTML page from the gold tables, readable without a server or
 * a network: the United States' net import reliance by metal beside the figure USGS publishes,
 * China's ten non-ferrous metals' output growth, the top producers' shares and the largest
 * overcapacity ratios. Charts are inline SVG drawn here (no script library to load); each has a
 * caption with its unit and source, and a table with the same figures under it.
 */
public final class Report {
  private Report() {}

  static final TableId BALANCE = new TableId(TableId.GOLD, "supply_balance");
  static final TableId GROUP = new TableId(TableId.GOLD, "group_output");
  static final TableId CONCENTRATION = new TableId(TableId.GOLD, "supply_concentration");
  static final TableId CAPACITY = new TableId(TableId.GOLD, "capacity_utilisation");

  /** Writes {@code dir/index.html}; returns its path. */
  public static Path write(Lake lake, Path dir) {
    String html = html(lake);
    try {
      Files.createDirectories(dir);
      Path out = dir.resolve("index.html");
      Files.writeString(out, html, StandardCharsets.UTF_8);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report to " + dir, e);
    }
  }

  static String html(Lake lake) {
    Html page = new Html("metals-lake report");
    page.paragraph(
        "From the gold tables of "
            + lake.root()
            + ", "
            + Instant.now().toString().substring(0, 16).replace('T', ' ')
            + " UTC. Each chart has its figures in the table under it.");
    importReliance(lake, page);
    tenMetals(lake, page);
    topProducers(lake, page);
    overcapacity(lake, page);
    return page.toString();
  }

  private static void importReliance(Lake lake, Html page) {
    page.heading("United States: net import reliance by metal, beside USGS's published figure");
    if (!present(lake, page, BALANCE)) {
      return;
    }
    Dataset<Row> usa =
        lake.read(BALANCE)
            .filter(col("country_iso3").equalTo("USA").and(col("published_nir_pct").isNotNull()));
    List<Row> rows =
        latestYear(usa, "metal")
            .select(
                col("metal"),
                col("stage"),
                col("year"),
                col("import_reliance_pct"),
                col("published_nir_text"),
                col("published_nir_pct"))
            .orderBy(col("import_reliance_pct").desc(), col("metal"), col("stage"))
            .collectAsList();
    List<Html.Bar> bars = new ArrayList<>();
    List<List<String>> table = new ArrayList<>();
    for (Row r : rows) {
      String label = r.getString(0) + " " + r.getString(1);
      bars.add(new Html.Bar(label + " (computed)", r.isNullAt(3) ? 0 : r.getDouble(3), "computed"));
      bars.add(new Html.Bar(label + " (USGS)", r.getDouble(5), "published"));
      table.add(
          List.of(
              r.getString(0),
              r.getString(1),
              String.valueOf(r.getInt(2)),
              r.isNullAt(3) ? "" : pct(r.getDouble(3)),
              r.getString(4)));
    }
    page.barChart(
        "import-reliance",
        bars,
        "%",
        "Net import reliance, % of apparent consumption, latest year per metal: computed by"
            + " metals-lake (imports − exports ± stock change, over apparent consumption) and as"
            + " published. Source: USGS Mineral Commodity Summaries (salient statistics).");
    page.table(List.of("metal", "stage", "year", "computed %", "USGS published"), table);
  }

  private static void tenMetals(Lake lake, Html page) {
    page.heading("China: output of the ten non-ferrous metals, growth year on year");
    if (!present(lake, page, GROUP)) {
      return;
    }
    List<Row> rows =
        lake.read(GROUP)
            .filter(
                col("group_code")
                    .equalTo("ten_nonferrous")
                    .and(col("country_iso3").equalTo("CHN"))
                    .and(col("freq").equalTo("M"))
                    .and(col("ytd_yoy_pct").isNotNull()))
            .select("period", "value_t", "ytd_t", "yoy_pct", "ytd_yoy_pct")
            .orderBy("period")
            .collectAsList();
    List<Html.Point> points = new ArrayList<>();
    List<List<String>> table = new ArrayList<>();
    for (Row r : rows) {
      points.add(new Html.Point(r.getString(0), r.getDouble(4)));
    }
    for (Row r : rows.subList(Math.max(0, rows.size() - 12), rows.size())) {
      table.add(
          List.of(
              r.getString(0),
              r.isNullAt(1) ? "" : mt(r.getDouble(1)),
              r.isNullAt(2) ? "" : mt(r.getDouble(2)),
              r.isNullAt(3) ? "" : pct(r.getDouble(3)),
              pct(r.getDouble(4))));
    }
    page.lineChart(
        "ten-metals",
        points,
        "%",
        "Year-to-date output growth, % year on year, by month: copper, aluminium, lead, zinc,"
            + " nickel, tin, antimony, mercury, magnesium and titanium together. Source: national"
            + " statistics bureau monthly files (the bundled sample is synthetic).");
    page.table(
        List.of("period", "month, Mt", "year to date, Mt", "month y/y %", "year to date y/y %"),
        table);
  }

  private static void topProducers(Lake lake, Html page) {
    page.heading("Top producers' shares of world production");
    if (!present(lake, page, CONCENTRATION)) {
      return;
    }
    Dataset<Row> prod =
        lake.read(CONCENTRATION)
            .filter(
                col("view")
                    .equalTo("production")
                    .and(col("share_pct").isNotNull())
                    // Shares of a world total: a source that covers the world (USGS's world
                    // production tables), not a file of one or two countries.
                    .and(col("world_coverage").equalTo(true)));
    List<Row> rows =
        latestYear(prod, "metal", "stage")
            .filter(col("rank").equalTo(1))
            .select(
                col("metal"),
                col("stage"),
                col("year"),
                col("country_iso3"),
                col("share_pct"),
                col("top3_share_pct"),
                col("hhi"))
            .orderBy(col("share_pct").desc())
            .limit(20)
            .collectAsList();
    List<Html.Bar> bars = new ArrayList<>();
    List<List<String>> table = new ArrayList<>();
    for (Row r : rows) {
      bars.add(
          new Html.Bar(
              r.getString(0) + " " + r.getString(1) + ": " + r.getString(3),
              r.getDouble(4),
              "computed"));
      table.add(
          List.of(
              r.getString(0),
              r.getString(1),
              String.valueOf(r.getInt(2)),
              r.getString(3),
              pct(r.getDouble(4)),
              r.isNullAt(5) ? "" : pct(r.getDouble(5)),
              r.isNullAt(6) ? "" : String.format(Locale.ROOT, "%,.0f", r.getDouble(6))));
    }
    page.barChart(
        "top-producers",
        bars,
        "%",
        "The largest producer's share of world production, %, latest year per metal and stage"
            + " (20 highest). Source: USGS Mineral Commodity Summaries world production tables.");
    page.table(
        List.of("metal", "stage", "year", "largest producer", "share %", "top 3 %", "HHI"), table);
  }

  private static void overcapacity(Lake lake, Html page) {
    page.heading("Overcapacity: capacity over demand");
    if (!present(lake, page, CAPACITY)) {
      return;
    }
    List<Row> rows =
        lake.read(CAPACITY)
            .filter(col("overcapacity_ratio").isNotNull())
            .select(
                "metal",
                "stage",
                "year",
                "country_iso3",
                "capacity_t",
                "utilisation_pct",
                "overcapacity_ratio")
            .orderBy(col("overcapacity_ratio").desc())
            .limit(12)
            .collectAsList();
    List<Html.Bar> bars = new ArrayList<>();
    List<List<String>> table = new ArrayList<>();
    for (Row r : rows) {
      bars.add(
          new Html.Bar(
              r.getString(0) + " " + r.getString(1) + " " + r.getString(3) + " " + r.getInt(2),
              r.getDouble(6),
              r.getDouble(6) > 1 ? "over" : "computed"));
      table.add(
          List.of(
              r.getString(0),
              r.getString(1),
              String.valueOf(r.getInt(2)),
              r.getString(3),
              r.isNullAt(4) ? "" : String.format(Locale.ROOT, "%,.0f", r.getDouble(4) / 1000),
              r.isNullAt(5) ? "" : pct(r.getDouble(5)),
              String.format(Locale.ROOT, "%.2f", r.getDouble(6))));
    }
    page.barChart(
        "overcapacity",
        bars,
        "× demand",
        "Overcapacity ratio: capacity over the country's demand at that stage (above 1: more"
            + " capacity than demand), the 12 highest. Source: plant capacity files and"
            + " production and trade in the lake.");
    page.table(
        List.of("metal", "stage", "year", "country", "capacity, kt", "utilisation %", "ratio"),
        table);
  }

  /** Whether the lake has table {@code t}; a paragraph saying it has not when it has not. */
  private static boolean present(Lake lake, Html page, TableId t) {
    boolean exists = lake.exists(t);
    if (!exists) {
      page.paragraph("No " + t + " in this lake.");
    }
    return exists;
  }

  /** The rows of each group of {@code keys} in its latest year (one scan of {@code df}). */
  private static Dataset<Row> latestYear(Dataset<Row> df, String... keys) {
    Column[] by = java.util.Arrays.stream(keys).map(k -> col(k)).toArray(Column[]::new);
    return df.withColumn("__latest", max("year").over(Window.partitionBy(by)))
        .filter(col("year").equalTo(col("__latest")))
        .drop("__latest");
  }

  private static String pct(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static String mt(double t) {
    return String.format(Locale.ROOT, "%.2f", t / 1e6);
  }
}
