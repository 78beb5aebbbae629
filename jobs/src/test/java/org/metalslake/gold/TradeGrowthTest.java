package org.metalslake.gold;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.metalslake.testing.TradeFlows.flow;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.metalslake.testing.SparkTest;
import org.metalslake.testing.TradeFlows;

/**
 * gold.trade_growth on two years of monthly imports: year-on-year growth of a month, year to date
 * and the annual row as the sum of twelve months.
 */
class TradeGrowthTest extends SparkTest {
  private static final double TOL = 1e-9;

  /** Chinese imports of copper ores (factor 0.25), metal content in tonnes. */
  static Object[] ores(String partner, int year, int month, double metalT) {
    return flow(
        "comtrade", "CHN", partner, "M", "2603", "CU", "mine", 0.25, year, month, metalT, null);
  }

  /** 2023: Chile 100 t and Peru m t in month m; 2024: Chile 120 t and Peru m t. */
  static double chile(int year) {
    return year == 2023 ? 100 : 120;
  }

  @Test
  void monthlyImportsGrowYearOnYear() {
    List<Object[]> in = new ArrayList<>();
    for (int year = 2023; year <= 2024; year++) {
      for (int m = 1; m <= 12; m++) {
        in.add(ores("CHL", year, m, chile(year)));
        in.add(ores("PER", year, m, m));
      }
    }
    Dataset<Row> out = TradeGrowth.compute(df(TradeFlows.DDL, in.toArray(new Object[0][]))).cache();

    // March: 2023 100 + 3 = 103; 2024 120 + 3 = 123
    double mar23 = 100 + 3;
    double mar24 = 120 + 3;
    // YTD March: 2023 101 + 102 + 103 = 306; 2024 121 + 122 + 123 = 366
    double ytd23 = 101 + 102 + 103;
    double ytd24 = 121 + 122 + 123;
    assertRows(
        List.<Object[]>of(
            row(
                "comtrade",
                "CHN",
                "M",
                "CU",
                "mine",
                "metal_content",
                "M",
                "2024-03",
                mar24,
                mar23,
                (mar24 / mar23 - 1) * 100,
                ytd24,
                ytd23,
                (ytd24 / ytd23 - 1) * 100)),
        rows(
            out.filter(col("period").equalTo("2024-03")),
            "source",
            "reporter_iso3",
            "flow",
            "metal",
            "stage",
            "basis",
            "freq",
            "period",
            "value_t",
            "prev_value_t",
            "yoy_pct",
            "ytd_t",
            "prev_ytd_t",
            "ytd_yoy_pct"),
        TOL);

    // annual: 2023 = 12 * 100 + (1 + … + 12) = 1200 + 78 = 1278; 2024 = 12 * 120 + 78 = 1518
    double y23 = 12 * 100 + 78;
    double y24 = 12 * 120 + 78;
    assertRows(
        List.of(
            row("2023", y23, null, null, "sum_of_months", 12),
            row("2024", y24, y23, (y24 / y23 - 1) * 100, "sum_of_months", 12)),
        rows(
            out.filter(col("freq").equalTo("A")),
            "period",
            "value_t",
            "prev_value_t",
            "yoy_pct",
            "value_method",
            "months_covered"),
        TOL);
    // December's YTD is the year's total
    assertEquals(
        y24,
        out.filter(col("period").equalTo("2024-12")).select("ytd_t").first().getDouble(0),
        TOL);
    // 24 months + 2 years
    assertEquals(26, out.count());
    out.unpersist();
  }
}
