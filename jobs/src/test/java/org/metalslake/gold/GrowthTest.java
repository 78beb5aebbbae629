package org.metalslake.gold;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.metalslake.testing.SparkTest;

/**
 * Growth, YTD and annual totals (SPEC §6 Growth) on small silver.production-shaped fixtures. Every
 * expected figure is worked out by hand in the comment beside it.
 */
class GrowthTest extends SparkTest {
  private static final double TOL = 1e-9;

  /** The silver.production columns that {@link ProductionGrowth#values} reads. */
  static final String SILVER_DDL =
      "metal STRING, stage STRING, country_iso3 STRING, region STRING, basis STRING,"
          + " source STRING, freq STRING, year INT, month INT, quarter INT, months_covered INT,"
          + " quantity_t DOUBLE, ytd_t DOUBLE, published_yoy_pct DOUBLE,"
          + " published_ytd_yoy_pct DOUBLE, flags STRING";

  /** A copper refinery series of one country; everything but the figures is fixed. */
  static Object[] silver(
      String country,
      String freq,
      int year,
      Integer month,
      Integer quarter,
      int monthsCovered,
      Double quantity,
      Double ytd,
      Double publishedYoy,
      Double publishedYtdYoy) {
    return row(
        "CU",
        "refinery",
        country,
        null,
        "metal_content",
        "bureau",
        freq,
        year,
        month,
        quarter,
        monthsCovered,
        quantity,
        ytd,
        publishedYoy,
        publishedYtdYoy,
        null);
  }

  /** A single month with its own value (no published YTD). */
  static Object[] month(String country, int year, int month, Double quantity) {
    return silver(country, "M", year, month, null, 1, quantity, null, null, null);
  }

  /** A single month published only as the cumulative year-to-date value. */
  static Object[] ytdOnly(String country, int year, int month, double ytd) {
    return silver(country, "M", year, month, null, 1, null, ytd, null, null);
  }

  /** January-February published combined: period month 2 covering 2 months. */
  static Object[] janFeb(String country, int year, double quantity) {
    return silver(country, "M", year, 2, null, 2, quantity, null, null, null);
  }

  static Object[] annual(String country, int year, Double quantity) {
    return silver(country, "A", year, null, null, 12, quantity, null, null, null);
  }

  static Dataset<Row> growth(Object[]... silverRows) {
    return ProductionGrowth.compute(df(SILVER_DDL, silverRows));
  }

  static List<Object[]> twelveMonths(String country, int year, double each, int... skip) {
    List<Object[]> out = new ArrayList<>();
    outer:
    for (int m = 1; m <= 12; m++) {
      for (int s : skip) {
        if (s == m) {
          continue outer;
        }
      }
      out.add(month(country, year, m, each));
    }
    return out;
  }

  // ------------------------------------------------------------------------------ a. monthly

  @Test
  void monthlyYoyAgainstTheSameMonthAYearEarlier() {
    Dataset<Row> out =
        growth(
            month("CHN", 2023, 3, 100.0),
            month("CHN", 2024, 3, 110.0),
            month("CHN", 2024, 4, 120.0));
    assertRows(
        List.of(
            // No 2022-03 in the input: no prior value.
            row("M", 2023, 3, "2023-03", 100.0, null, null, "reported"),
            // (110 / 100 - 1) * 100 = 10.0
            row("M", 2024, 3, "2024-03", 110.0, 100.0, 10.0, "reported"),
            // 2023-04 is missing: prior value and YoY are null, not zero.
            row("M", 2024, 4, "2024-04", 120.0, null, null, "reported")),
        rows(
            out,
            "freq",
            "year",
            "month",
            "period",
            "value_t",
            "prev_value_t",
            "yoy_pct",
            "value_method"),
        TOL);
  }

  @Test
  void outputHasTheContractColumns() {
    Dataset<Row> out = growth(month("CHN", 2024, 3, 110.0));
    List<String> cols = List.of(out.columns());
    for (String c :
        List.of(
            "metal",
            "stage",
            "country_iso3",
            "region",
            "basis",
            "source",
            "year",
            "month",
            "period",
            "value_t",
            "prev_value_t",
            "yoy_pct",
            "ytd_t",
            "ytd_yoy_pct",
            "published_yoy_pct")) {
      assertTrue(cols.contains(c), "gold.production_growth lacks column " + c + ": " + cols);
    }
  }

  // ---------------------------------------------------------------------------- b. zero prior

  @Test
  void zeroPriorValueGivesNullYoyNotAnErrorOrInfinity() {
    Dataset<Row> out =
        growth(
            month("CHN", 2023, 5, 0.0),
            month("CHN", 2024, 5, 50.0),
            month("CHN", 2023, 6, 0.0),
            month("CHN", 2024, 6, 0.0),
            annual("PER", 2023, 0.0),
            annual("PER", 2024, 40.0));
    assertRows(
        List.of(
            row("CHN", "2023-05", 0.0, null, null),
            // 50 / 0: the denominator is zero → null (no exception under ANSI, no Infinity)
            row("CHN", "2024-05", 50.0, 0.0, null),
            row("CHN", "2023-06", 0.0, null, null),
            // 0 / 0 → null, not NaN
            row("CHN", "2024-06", 0.0, 0.0, null),
            row("PER", "2023", 0.0, null, null),
            // 40 / 0 on annual rows → null
            row("PER", "2024", 40.0, 0.0, null)),
        rows(out, "country_iso3", "period", "value_t", "prev_value_t", "yoy_pct"),
        TOL);
  }

  // ------------------------------------------------------------------ c. cumulative → monthly

  @Test
  void monthValuesAreDerivedFromConsecutiveCumulativeValues() {
    Dataset<Row> out =
        growth(
            ytdOnly("CHN", 2024, 1, 10.0),
            ytdOnly("CHN", 2024, 2, 25.0),
            ytdOnly("CHN", 2024, 3, 45.0),
            // April missing
            ytdOnly("CHN", 2024, 5, 80.0));
    assertRows(
        List.of(
            // January is its own cumulative value: 10
            row("2024-01", 1, 10.0, 10.0, "from_ytd"),
            // 25 - 10 = 15
            row("2024-02", 1, 15.0, 25.0, "from_ytd"),
            // 45 - 25 = 20
            row("2024-03", 1, 20.0, 45.0, "from_ytd"),
            // 80 - 45 would be April + May together: May alone is unknown; YTD stays 80
            row("2024-05", 1, null, 80.0, null)),
        rows(out, "period", "months_covered", "value_t", "ytd_t", "value_method"),
        TOL);
  }

  // ---------------------------------------------------------------- d. January-February

  @Test
  void combinedJanuaryFebruaryIsComparedWithCombinedOrWithPriorYtd() {
    Dataset<Row> out =
        growth(
            // CHN: both years combined
            janFeb("CHN", 2024, 30.0),
            janFeb("CHN", 2025, 33.0),
            // PER: prior year separate months, current year combined
            month("PER", 2024, 1, 12.0),
            month("PER", 2024, 2, 18.0),
            janFeb("PER", 2025, 33.0));
    assertRows(
        List.of(
            row("CHN", "2024-02", 2, 30.0, null, null, 30.0),
            // (33 / 30 - 1) * 100 = 10.0; YTD through Feb is the combined value 33
            row("CHN", "2025-02", 2, 33.0, 30.0, 10.0, 33.0),
            row("PER", "2024-01", 1, 12.0, null, null, 12.0),
            // YTD through Feb 2024 = 12 + 18 = 30
            row("PER", "2024-02", 1, 18.0, null, null, 30.0),
            // prior = 2024 YTD through February = 12 + 18 = 30; (33 / 30 - 1) * 100 = 10.0
            row("PER", "2025-02", 2, 33.0, 30.0, 10.0, 33.0)),
        rows(
            out.filter(col("freq").equalTo("M")),
            "country_iso3",
            "period",
            "months_covered",
            "value_t",
            "prev_value_t",
            "yoy_pct",
            "ytd_t"),
        TOL);
    // The YTD YoY of the combined month: (33 / 30 - 1) * 100 = 10.0 for both series.
    assertRows(
        List.of(row("CHN", 30.0, 10.0), row("PER", 30.0, 10.0)),
        rows(
            out.filter(col("period").equalTo("2025-02")),
            "country_iso3",
            "prev_ytd_t",
            "ytd_yoy_pct"),
        TOL);
  }

  @Test
  void februaryWithOnlyYtdAndNoJanuaryIsCombined() {
    Dataset<Row> out = growth(ytdOnly("CHL", 2024, 2, 30.0), ytdOnly("CHL", 2024, 3, 45.0));
    assertRows(
        List.of(
            // no January row: the February YTD 30 covers January-February → 2 months, value 30
            row("2024-02", 2, 30.0, 30.0, "from_ytd"),
            // 45 - 30 = 15
            row("2024-03", 1, 15.0, 45.0, "from_ytd")),
        rows(out, "period", "months_covered", "value_t", "ytd_t", "value_method"),
        TOL);
  }

  // ----------------------------------------------------------------------- e. YTD and annual

  @Test
  void ytdYtdYoyAndAnnualTotalFromTwelveMonths() {
    List<Object[]> in = new ArrayList<>(twelveMonths("CHN", 2023, 10.0));
    in.add(month("CHN", 2024, 1, 11.0));
    in.add(month("CHN", 2024, 2, 11.0));
    in.add(month("CHN", 2024, 3, 11.0));
    Dataset<Row> out = growth(in.toArray(new Object[0][]));
    assertRows(
        List.of(
            // 3 * 10 = 30
            row("2023-03", 10.0, 30.0, null, null),
            // 12 * 10 = 120
            row("2023-12", 10.0, 120.0, null, null),
            // YTD 3 * 11 = 33 against 3 * 10 = 30: (33 / 30 - 1) * 100 = 10.0
            row("2024-03", 11.0, 33.0, 30.0, 10.0)),
        rows(
            out.filter(col("period").isin("2023-03", "2023-12", "2024-03")),
            "period",
            "value_t",
            "ytd_t",
            "prev_ytd_t",
            "ytd_yoy_pct"),
        TOL);
    assertRows(
        List.<Object[]>of(
            // annual row: 12 * 10 = 120, summed from months; 2024 has only 3 months → no row
            row("A", 2023, null, "2023", 12, 120.0, "sum_of_months")),
        rows(
            out.filter(col("freq").equalTo("A")),
            "freq",
            "year",
            "month",
            "period",
            "months_covered",
            "value_t",
            "value_method"),
        TOL);
  }

  @Test
  void noAnnualRowWhenAMonthIsMissing() {
    Dataset<Row> out = growth(twelveMonths("PER", 2023, 10.0, 6).toArray(new Object[0][]));
    assertEquals(0, out.filter(col("freq").equalTo("A")).count(), "11 months make no year");
    assertRows(
        List.of(
            // Jan-May all known: 5 * 10 = 50
            row("2023-05", 50.0),
            // June missing: later YTDs are unknown, not 60 or 110
            row("2023-07", null),
            row("2023-12", null)),
        rows(out.filter(col("period").isin("2023-05", "2023-07", "2023-12")), "period", "ytd_t"),
        TOL);
  }

  @Test
  void reportedAnnualValueTakesPrecedenceOverTheSumOfMonths() {
    List<Object[]> in = new ArrayList<>(twelveMonths("CHL", 2023, 10.0));
    in.add(annual("CHL", 2023, 125.0));
    in.add(annual("CHL", 2022, 100.0));
    Dataset<Row> out = growth(in.toArray(new Object[0][]));
    assertRows(
        List.of(
            row("2022", 100.0, null, null, "reported"),
            // reported 125 wins over 12 * 10 = 120; annual YoY (125 / 100 - 1) * 100 = 25.0
            row("2023", 125.0, 100.0, 25.0, "reported")),
        rows(
            out.filter(col("freq").equalTo("A")),
            "period",
            "value_t",
            "prev_value_t",
            "yoy_pct",
            "value_method"),
        TOL);
  }

  // ------------------------------------------------------------------------- f. world totals

  @Test
  void worldTotalIsItsOwnSeriesNeverSummedWithCountries() {
    Dataset<Row> out =
        growth(
            annual("CHL", 2023, 5000.0),
            annual("CHL", 2024, 5500.0),
            annual("PER", 2023, 2000.0),
            annual("PER", 2024, 1800.0),
            annual("WLD", 2023, 22600.0),
            annual("WLD", 2024, 23000.0));
    // Exactly the six input series-years come out: no row holds 5000 + 2000 = 7000 or
    // 22600 + 5000 + 2000 = 29600.
    assertRows(
        List.of(
            row("CHL", "2023", 5000.0, null),
            // (5500 / 5000 - 1) * 100 = 10.0
            row("CHL", "2024", 5500.0, 10.0),
            row("PER", "2023", 2000.0, null),
            // (1800 / 2000 - 1) * 100 = -10.0
            row("PER", "2024", 1800.0, -10.0),
            row("WLD", "2023", 22600.0, null),
            // (23000 / 22600 - 1) * 100 = 400 / 226 = 1.7699115...
            row("WLD", "2024", 23000.0, 1.7699115044)),
        rows(out, "country_iso3", "period", "value_t", "yoy_pct"),
        1e-8);
  }

  // ------------------------------------------------------------------------ g. published YoY

  @Test
  void publishedYoyIsKeptBesideTheComputedOne() {
    Dataset<Row> out =
        growth(
            month("CHN", 2023, 3, 100.0),
            silver("CHN", "M", 2024, 3, null, 1, 110.0, null, 9.8, 8.5),
            annual("CHN", 2023, 1000.0),
            silver("CHN", "A", 2024, null, null, 12, 1050.0, null, 3.2, null));
    assertRows(
        List.of(
            // computed (110 / 100 - 1) * 100 = 10.0; published 9.8 and 8.5 kept as given
            row("2024-03", 10.0, 9.8, 8.5),
            // computed (1050 / 1000 - 1) * 100 = 5.0; published 3.2
            row("2024", 5.0, 3.2, null)),
        rows(
            out.filter(col("year").equalTo(2024)),
            "period",
            "yoy_pct",
            "published_yoy_pct",
            "published_ytd_yoy_pct"),
        TOL);
  }

  // ------------------------------------------------------------------ Growth.compute directly

  static final String VALUES_DDL =
      "series STRING, freq STRING, year INT, sub INT, months_covered INT, value_t DOUBLE,"
          + " ytd_pub_t DOUBLE, published_yoy_pct DOUBLE, published_ytd_yoy_pct DOUBLE,"
          + " comp STRING, flags STRING";

  @Test
  void quartersAndComparabilityTags() {
    Dataset<Row> values =
        df(
            VALUES_DDL,
            row("s1", "Q", 2023, 1, 3, 30.0, null, null, null, "a", null),
            row("s1", "Q", 2024, 1, 3, 36.0, null, null, null, "a", null),
            row("s2", "M", 2023, 6, 1, 50.0, null, null, null, "CU", null),
            row("s2", "M", 2024, 6, 1, 60.0, null, null, null, "AL,CU", null));
    Dataset<Row> out = Growth.compute(values, List.of("series"));
    assertRows(
        List.of(
            row("s1", "Q", "2023-Q1", null, 1, 30.0, null, null),
            // (36 / 30 - 1) * 100 = 20.0
            row("s1", "Q", "2024-Q1", null, 1, 36.0, 30.0, 20.0),
            row("s2", "M", "2023-06", 6, null, 50.0, null, null),
            // tags differ ("AL,CU" vs "CU"): not comparable → no prior value, no YoY
            row("s2", "M", "2024-06", 6, null, 60.0, null, null)),
        rows(
            out,
            "series",
            "freq",
            "period",
            "month",
            "quarter",
            "value_t",
            "prev_value_t",
            "yoy_pct"),
        TOL);
  }

  @Test
  void pctIsGuarded() {
    Dataset<Row> in =
        df(
            "id INT, v DOUBLE, p DOUBLE",
            row(1, 110.0, 100.0),
            row(2, 50.0, 0.0),
            row(3, null, 100.0),
            row(4, 50.0, null),
            row(5, 0.0, 0.0),
            row(6, 90.0, 100.0));
    assertRows(
        List.of(
            row(1, 10.0), // (110 / 100 - 1) * 100
            row(2, null), // zero denominator
            row(3, null), // missing value
            row(4, null), // missing prior
            row(5, null), // 0 / 0
            row(6, -10.0)), // (90 / 100 - 1) * 100
        rows(in.select(col("id"), Growth.pct(col("v"), col("p")).as("pct"))),
        TOL);
  }
}
