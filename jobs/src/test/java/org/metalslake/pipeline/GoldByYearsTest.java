package org.metalslake.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.tables.DeltaTable;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metalslake.config.Settings;
import org.metalslake.conform.TradeConformer;
import org.metalslake.gold.GoldInputs;
import org.metalslake.gold.GoldTable;
import org.metalslake.ops.Progress;
import org.metalslake.ref.RefData;
import org.metalslake.storage.Lake;
import org.metalslake.storage.Tables;
import org.metalslake.testing.GoldSnapshot;
import org.metalslake.testing.SparkTest;

/**
 * A new month (and a revised month of the year before) rebuilds gold by the years it touched, and
 * gives the same gold as rebuilding every table whole: the sample Comtrade+ file without its
 * December 2024 is loaded first, then a file with December 2024 and one revised June 2023 flow,
 * into two lakes, one with {@code performance.gold-by-years} on and one with it off.
 */
class GoldByYearsTest extends SparkTest {
  @TempDir static Path dir;

  static final File SAMPLES = new File(projectDir(), "data/samples");
  static Lake byYears;
  static Settings settings;

  /** The revised flow: China's imports of copper ores from Chile, June 2023, from the sample. */
  static final String REVISED = ",202306,156,CHN,China,M,Import,152,CHL,Chile,";

  @BeforeAll
  static void loadBothLakes() throws IOException {
    List<String> lines =
        Files.readAllLines(
            SAMPLES.toPath().resolve("trade/synthetic-comtrade-2023-2024.csv"),
            StandardCharsets.UTF_8);
    String header = lines.get(0);
    List<String> before = new ArrayList<>(List.of(header));
    List<String> month = new ArrayList<>(List.of(header));
    String revised = null;
    for (String l : lines.subList(1, lines.size())) {
      if (l.contains(",202412,")) {
        month.add(l);
      } else {
        before.add(l);
        if (revised == null && l.contains(REVISED) && l.contains(",260300,")) {
          revised = l;
        }
      }
    }
    assertTrue(month.size() > 50, "December 2024 rows in the sample: " + month.size());
    assertTrue(revised != null, "the revised flow is in the sample");
    // netWgt (column 29) and qty (28) doubled: the revision changes the flow's tonnes.
    String[] f = revised.split(",", -1);
    f[27] = String.valueOf(Long.parseLong(f[27]) * 2);
    f[28] = String.valueOf(Long.parseLong(f[28]) * 2);
    month.add(String.join(",", f));

    byYears = load(before, month);
  }

  /** Two runs into a new lake: the months before, then the new month with the revision. */
  static Lake load(List<String> before, List<String> month) throws IOException {
    Path landing = dir.resolve("landing");
    write(landing.resolve("trade/comtrade-2023-2024-11.csv"), before);
    for (String f :
        List.of(
            "production/synthetic-monthly-production.csv",
            "stocks/synthetic-exchange-stocks.csv")) {
      Path to = landing.resolve(f);
      Files.createDirectories(to.getParent());
      Files.copy(SAMPLES.toPath().resolve(f), to);
    }
    settings =
        testSettings(
            Map.of(
                Settings.LAKE_ROOT, dir.resolve("lake").toString(),
                Settings.LAKE_LANDING, landing.toString()));
    Pipeline p = new Pipeline(spark(), settings, new Progress());
    assertEquals("succeeded", p.run("run", "run", List.of(landing.toString()), false).status());
    write(landing.resolve("trade/comtrade-2024-12.csv"), month);
    assertEquals("succeeded", p.run("run", "run", List.of(landing.toString()), false).status());
    return p.lake();
  }

  static void write(Path file, List<String> lines) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
  }

  @Test
  void rebuildingByYearsGivesTheSameGoldAsRebuildingWhole() {
    RefData ref =
        RefData.load(spark(), settings.refDir()).withContentFactors(settings.contentFactors());
    GoldInputs inputs = new GoldInputs(byYears);
    int compared = 0;
    for (GoldTable g : GoldTable.ALL) {
      if (!g.byYears() || !byYears.exists(g.id())) {
        continue;
      }
      List<String> rebuilt = GoldSnapshot.rows(g.build().apply(inputs, ref, settings));
      List<String> stored = GoldSnapshot.rows(byYears.read(g.id()));
      assertEquals(rebuilt.size(), stored.size(), g.id() + " rows");
      assertEquals(rebuilt, stored, g.id() + " rows");
      compared++;
    }
    inputs.release();
    assertEquals(3, compared, "trade growth, import sources and supply balance");
  }

  @Test
  void theYearsTableMergeOnlyTheTouchedYearsAndTheNext() {
    for (GoldTable g : GoldTable.ALL) {
      if (!g.byYears() || !byYears.exists(g.id())) {
        continue;
      }
      Row last = DeltaTable.forPath(spark(), byYears.location(g.id())).history(1).first();
      String predicate =
          String.valueOf(last.<String, String>getJavaMap(last.fieldIndex("operationParameters")));
      assertTrue(
          predicate.matches(
              "(?s).*notMatchedBySourcePredicates=.*year#[0-9]+ IN \\(2023,2024,2025\\).*"),
          g.id()
              + " was rebuilt by the years 2023 (the revision), 2024 (the month) and 2025: "
              + predicate);
    }
  }

  @Test
  void silverTradeFlowsAreMergedByTheYearsOfTheBatch() {
    String path = byYears.location(Tables.TRADE_FLOWS);
    DeltaTable table = DeltaTable.forPath(spark(), path);
    Row detail = table.detail().first();
    assertEquals(
        List.of("year"),
        detail.getList(detail.fieldIndex("partitionColumns")),
        "silver.trade_flows is partitioned by the year of its period");
    Row last = table.history(1).first();
    String predicate =
        String.valueOf(last.<String, String>getJavaMap(last.fieldIndex("operationParameters")));
    assertTrue(
        predicate.matches("(?s).*predicate=.*year#[0-9]+ IN \\(2023,2024\\).*"),
        "the second batch (December 2024, a flow of June 2023) matched only 2023 and 2024: "
            + predicate);
    Dataset<Row> flows = byYears.read(Tables.TRADE_FLOWS);
    // Every row's partition is its period's year, and the revision replaced the flow it revised.
    assertEquals(
        0, flows.filter(col("period").substr(1, 4).cast("int").notEqual(col("year"))).count());
    assertEquals(
        flows.count(),
        flows
            .select(
                TradeConformer.KEY.stream()
                    .map(c -> col(c))
                    .toArray(org.apache.spark.sql.Column[]::new))
            .distinct()
            .count(),
        "one row a key");
  }

  @Test
  void theChangeFeedHoldsExactlyTheRowsThatChanged() {
    for (GoldTable g : GoldTable.ALL) {
      if (!g.byYears() || !byYears.exists(g.id())) {
        continue;
      }
      String path = byYears.location(g.id());
      long v = DeltaTable.forPath(spark(), path).history(1).first().getLong(0);
      Dataset<Row> now = spark().read().format("delta").option("versionAsOf", v).load(path);
      Dataset<Row> was = spark().read().format("delta").option("versionAsOf", v - 1).load(path);
      Dataset<Row> feed =
          spark()
              .read()
              .format("delta")
              .option("readChangeFeed", "true")
              .option("startingVersion", v)
              .option("endingVersion", v)
              .load(path);
      String[] cols = now.columns();
      Dataset<Row> added =
          feed.filter(col("_change_type").isin("insert", "update_postimage"))
              .selectExpr(quoted(cols));
      Dataset<Row> removed =
          feed.filter(col("_change_type").isin("delete", "update_preimage"))
              .selectExpr(quoted(cols));
      assertEquals(
          0,
          added.exceptAll(now.exceptAll(was)).count() + now.exceptAll(was).exceptAll(added).count(),
          g.id() + ": the feed's new rows are the rows the table gained");
      assertEquals(
          0,
          removed.exceptAll(was.exceptAll(now)).count()
              + was.exceptAll(now).exceptAll(removed).count(),
          g.id() + ": the feed's old rows are the rows the table lost");
      assertFalse(added.isEmpty(), g.id() + " gained rows for December 2024");
      Set<Integer> years = new TreeSet<>();
      for (Row r : feed.select("year").distinct().collectAsList()) {
        years.add(r.getInt(0));
      }
      assertTrue(Set.of(2023, 2024).containsAll(years), g.id() + " changed in years " + years);
    }
  }

  private static String[] quoted(String[] cols) {
    String[] out = new String[cols.length];
    for (int i = 0; i < cols.length; i++) {
      out[i] = "`" + cols[i] + "`";
    }
    return out;
  }
}
