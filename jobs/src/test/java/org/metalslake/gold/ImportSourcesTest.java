package org.metalslake.gold;

import static org.metalslake.testing.TradeFlows.flow;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.metalslake.testing.SparkTest;
import org.metalslake.testing.TradeFlows;

/**
 * gold.import_sources on hand-made silver.trade_flows: partner shares of the sum over partners
 * (areas n.e.s. included, World excluded), ranks, top-1 and top-3 shares and the HHI over named
 * countries only, and months summed to the year.
 */
class ImportSourcesTest extends SparkTest {
  private static final double TOL = 1e-9;

  /** US imports of copper ores (factor 0.25) in 2024, metal content in tonnes. */
  static Object[] usOres(String partner, String flow, double metalT, double usd) {
    return flow(
        "comtrade", "USA", partner, flow, "2603", "CU", "mine", 0.25, 2024, null, metalT, usd);
  }

  /** Japanese imports of cathodes (factor 1) by month of 2024. */
  static Object[] jpCathodes(String partner, int month, double metalT, double usd) {
    return flow(
        "comtrade", "JPN", partner, "M", "740311", "CU", "refinery", 1.0, 2024, month, metalT, usd);
  }

  @Test
  void sharesRanksAndConcentration() {
    List<Object[]> in = new ArrayList<>();
    in.add(usOres("CHL", "M", 400, 800_000));
    in.add(usOres("PER", "M", 300, 600_000));
    in.add(usOres("AUS", "M", 150, 300_000));
    in.add(usOres("CAN", "M", 100, 200_000));
    in.add(usOres("XOC", "M", 50, 100_000));
    // the World total is not a partner
    in.add(usOres("WLD", "M", 1000, 2_000_000));
    // exports are not imports
    in.add(usOres("JPN", "X", 999, 999_000));
    // monthly-only data: January to March
    in.add(jpCathodes("CHL", 1, 100, 1000));
    in.add(jpCathodes("CHL", 2, 110, 1100));
    in.add(jpCathodes("CHL", 3, 120, 1200));
    in.add(jpCathodes("PER", 1, 40, 400));
    in.add(jpCathodes("PER", 2, 50, 500));
    in.add(jpCathodes("PER", 3, 60, 600));

    Dataset<Row> out = ImportSources.compute(df(TradeFlows.DDL, in.toArray(new Object[0][])));

    // USA: total over partners incl. XOC = 400 + 300 + 150 + 100 + 50 = 1000 t
    double usTotal = 400 + 300 + 150 + 100 + 50;
    double usTop1 = 400 / usTotal * 100; // 40
    double usTop3 = (400 + 300 + 150) / usTotal * 100; // 85
    // HHI over named countries: 40² + 30² + 15² + 10² = 1600 + 900 + 225 + 100 = 2825
    double usHhi = 40 * 40 + 30 * 30 + 15 * 15 + 10 * 10;
    // JPN: CHL 100 + 110 + 120 = 330, PER 40 + 50 + 60 = 150; total 480
    double jpTotal = 330 + 150;
    double jpChl = 330 / jpTotal * 100; // 68.75
    double jpPer = 150 / jpTotal * 100; // 31.25
    double jpHhi = 68.75 * 68.75 + 31.25 * 31.25; // 4726.5625 + 976.5625 = 5703.125

    assertRows(
        List.of(
            row(
                "USA",
                "CU",
                "mine",
                "metal_content",
                2024,
                "CHL",
                400.0,
                800_000.0,
                usTotal,
                40.0,
                1,
                usTop1,
                usTop3,
                usHhi,
                4L,
                12L),
            row(
                "USA",
                "CU",
                "mine",
                "metal_content",
                2024,
                "PER",
                300.0,
                600_000.0,
                usTotal,
                30.0,
                2,
                usTop1,
                usTop3,
                usHhi,
                4L,
                12L),
            row(
                "USA",
                "CU",
                "mine",
                "metal_content",
                2024,
                "AUS",
                150.0,
                300_000.0,
                usTotal,
                15.0,
                3,
                usTop1,
                usTop3,
                usHhi,
                4L,
                12L),
            row(
                "USA",
                "CU",
                "mine",
                "metal_content",
                2024,
                "CAN",
                100.0,
                200_000.0,
                usTotal,
                10.0,
                4,
                usTop1,
                usTop3,
                usHhi,
                4L,
                12L),
            // XOC counts in the total and has a share, but no rank
            row(
                "USA",
                "CU",
                "mine",
                "metal_content",
                2024,
                "XOC",
                50.0,
                100_000.0,
                usTotal,
                5.0,
                null,
                usTop1,
                usTop3,
                usHhi,
                4L,
                12L),
            row(
                "JPN",
                "CU",
                "refinery",
                "metal_content",
                2024,
                "CHL",
                330.0,
                1000.0 + 1100 + 1200,
                jpTotal,
                jpChl,
                1,
                jpChl,
                jpChl + jpPer,
                jpHhi,
                2L,
                3L),
            row(
                "JPN",
                "CU",
                "refinery",
                "metal_content",
                2024,
                "PER",
                150.0,
                400.0 + 500 + 600,
                jpTotal,
                jpPer,
                2,
                jpChl,
                jpChl + jpPer,
                jpHhi,
                2L,
                3L)),
        rows(
            out,
            "reporter_iso3",
            "metal",
            "stage",
            "basis",
            "year",
            "partner_iso3",
            "imports_t",
            "imports_usd",
            "total_imports_t",
            "share_pct",
            "rank",
            "top1_share_pct",
            "top3_share_pct",
            "hhi",
            "partners",
            "trade_months"),
        TOL);
  }
}
