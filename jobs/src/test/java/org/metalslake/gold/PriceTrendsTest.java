package org.metalslake.gold;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.metalslake.testing.SparkTest;

/**
 * gold.price_trends ({@link PriceTrends}) and the change between two dates ({@link PriceChange}) on
 * hand-made silver.prices and silver.fx_rates frames, every figure worked out in the test: the
 * change from the last observation on or before each date, percent changes guarded across zero,
 * month averages over the observations present, the rolling three-month volatility and its
 * annualisation, and conversion at month-average exchange rates quoted either way.
 */
class PriceTrendsTest extends SparkTest {
  private static final double TOL = 1e-9;

  /** silver.prices, the columns the transforms read. */
  static final String PRICES_DDL =
      "source STRING, metal STRING, market STRING, series STRING, series_kind STRING,"
          + " basis STRING, date DATE, freq STRING, year INT, month INT, price DOUBLE,"
          + " currency STRING, unit STRING";

  /** silver.fx_rates, the columns the transform reads. */
  static final String FX_DDL =
      "source STRING, base_currency STRING, quote_currency STRING, date DATE, year INT,"
          + " month INT, rate DOUBLE";

  /** One series of silver.prices: the columns of {@link PriceTrends#SERIES}. */
  record Series(
      String source,
      String metal,
      String market,
      String series,
      String kind,
      String basis,
      String currency,
      String unit) {
    /** A dated (daily or weekly) observation. */
    Object[] at(String date, double price) {
      return obs(date, "D", price);
    }

    /** A monthly figure ({@code YYYY-MM}), dated the first of the month. */
    Object[] monthly(String yearMonth, double price) {
      return obs(yearMonth + "-01", "M", price);
    }

    private Object[] obs(String date, String freq, double price) {
      LocalDate d = LocalDate.parse(date);
      return row(
          source,
          metal,
          market,
          series,
          kind,
          basis,
          java.sql.Date.valueOf(d),
          freq,
          d.getYear(),
          d.getMonthValue(),
          price,
          currency,
          unit);
    }
  }

  static final Series COBALT =
      new Series("smm", "CO", "China spot", "price", "price", "refined 99.8%", "CNY", "t");
  static final Series COPPER =
      new Series("lme", "CU", "LME cash", "price", "price", "grade A", "USD", "t");
  static final Series TC =
      new Series("smm", "CU", "China import", "TC", "charge", "CIF China", "USD", "dmt");

  static Dataset<Row> prices(List<Object[]> rows) {
    return df(PRICES_DDL, rows.toArray(new Object[0][]));
  }

  static Object[] rate(String source, String base, String quote, String date, double rate) {
    LocalDate d = LocalDate.parse(date);
    return row(source, base, quote, java.sql.Date.valueOf(d), d.getYear(), d.getMonthValue(), rate);
  }

  /** Sample standard deviation (n - 1) of the log returns of consecutive prices. */
  static double logReturnStdev(double... p) {
    int n = p.length - 1;
    double[] r = new double[n];
    double mean = 0;
    for (int i = 0; i < n; i++) {
      r[i] = Math.log(p[i + 1] / p[i]);
      mean += r[i] / n;
    }
    double ss = 0;
    for (double x : r) {
      ss += (x - mean) * (x - mean);
    }
    return Math.sqrt(ss / (n - 1));
  }

  // ---------------------------------------------------------------- PriceChange

  static final List<Object[]> COBALT_SPRING =
      List.of(
          COBALT.at("2025-02-21", 160_000), // a Friday
          COBALT.at("2025-03-07", 180_000),
          COBALT.at("2025-03-21", 170_000),
          COBALT.at("2025-04-04", 200_000),
          COBALT.at("2025-04-18", 230_000), // Friday before Easter
          COBALT.at("2025-04-21", 240_000)); // the Monday

  @Test
  void cobaltRoseByHalfBetweenFebruaryAndApril() {
    List<Object[]> in = new ArrayList<>(COBALT_SPRING);
    // a second series with values on both sides, and one that starts after --from (no row)
    in.add(COPPER.at("2025-02-20", 9000));
    in.add(COPPER.at("2025-04-21", 9450));
    Series late = new Series("lme", "NI", "LME cash", "price", "price", "grade A", "USD", "t");
    in.add(late.at("2025-03-03", 16000));
    in.add(late.at("2025-04-21", 15000));
    Dataset<Row> out =
        PriceChange.between(
            prices(in), LocalDate.parse("2025-02-21"), LocalDate.parse("2025-04-21"));
    assertRows(
        List.of(
            // 240 000 - 160 000 = 80 000; 240 000 / 160 000 = 1.5: +50 %
            row(
                "CO",
                "China spot",
                "2025-02-21",
                160_000.0,
                "2025-04-21",
                240_000.0,
                80_000.0,
                50.0,
                null),
            // the copper series' from date is the day before: 9450 / 9000 = 1.05: +5 %
            row("CU", "LME cash", "2025-02-20", 9000.0, "2025-04-21", 9450.0, 450.0, 5.0, null)),
        rows(
            out,
            "metal",
            "market",
            "cast(from_date as string)",
            "from_price",
            "cast(to_date as string)",
            "to_price",
            "change",
            "change_pct",
            "change_flag"),
        TOL);
    // exactly 50, as in the speech
    assertEquals(50.0, out.filter(col("metal").equalTo("CO")).first().getAs("change_pct"), 0.0);
  }

  @Test
  void aWeekendDateTakesTheFridayBefore() {
    // --from Saturday 22 February, --to Sunday 20 April: Friday 21 February and Friday 18 April
    Dataset<Row> out =
        PriceChange.between(
            prices(COBALT_SPRING), LocalDate.parse("2025-02-22"), LocalDate.parse("2025-04-20"));
    assertRows(
        // 230 000 - 160 000 = 70 000; 230 000 / 160 000 = 1.4375: +43.75 %
        List.<Object[]>of(
            row("2025-02-21", 160_000.0, "2025-04-18", 230_000.0, 70_000.0, 43.75, null)),
        rows(
            out,
            "cast(from_date as string)",
            "from_price",
            "cast(to_date as string)",
            "to_price",
            "change",
            "change_pct",
            "change_flag"),
        TOL);
  }

  @Test
  void aSeriesWithoutBasisStillHasAChange() {
    // silver.prices has a null basis when none is given (PricesConformer: nullif(basis, ''))
    Series noBasis = new Series("smm", "CO", "China spot", "price", "price", null, "CNY", "t");
    Dataset<Row> out =
        PriceChange.between(
            prices(List.of(noBasis.at("2025-02-21", 160_000), noBasis.at("2025-04-21", 240_000))),
            LocalDate.parse("2025-02-21"),
            LocalDate.parse("2025-04-21"));
    assertRows(
        List.<Object[]>of(row("CO", null, 160_000.0, 240_000.0, 80_000.0, 50.0)),
        rows(out, "metal", "basis", "from_price", "to_price", "change", "change_pct"),
        TOL);
  }

  @Test
  void aChargeCrossingZeroHasNoPercentChange() {
    Dataset<Row> out =
        PriceChange.between(
            prices(List.of(TC.monthly("2024-01", 10), TC.monthly("2024-02", -5))),
            LocalDate.parse("2024-01-31"),
            LocalDate.parse("2024-02-29"));
    assertRows(
        List.<Object[]>of(row(10.0, -5.0, -15.0, null, "sign_change")),
        rows(out, "from_price", "to_price", "change", "change_pct", "change_flag"),
        TOL);
  }

  // ---------------------------------------------------------------- changes and their guards

  @Test
  void aTreatmentChargeCrossingZero() {
    Dataset<Row> out =
        PriceTrends.compute(
            prices(
                List.of(
                    TC.monthly("2024-01", 10),
                    TC.monthly("2024-02", -5),
                    TC.monthly("2024-03", -8),
                    TC.monthly("2024-04", 20),
                    TC.monthly("2025-01", -2),
                    TC.monthly("2025-02", 4),
                    TC.monthly("2025-03", -4),
                    TC.monthly("2025-04", 25))),
            null,
            "USD");
    assertRows(
        List.of(
            // the first month: nothing to compare with
            row("2024-01", 10.0, null, null, null, null, null, null),
            // 10 → -5: -15, the sign changes
            row("2024-02", -5.0, -15.0, null, "sign_change", null, null, null),
            // -5 → -8: -3, from a base below zero
            row("2024-03", -8.0, -3.0, null, "non_positive_base", null, null, null),
            // -8 → 20: +28, the sign changes
            row("2024-04", 20.0, 28.0, null, "sign_change", null, null, null),
            // December 2024 is missing: no month-on-month; a year on from 10: -12, sign change
            row("2025-01", -2.0, null, null, null, -12.0, null, "sign_change"),
            // -2 → 4: +6, sign change; a year on from -5: +9, sign change
            row("2025-02", 4.0, 6.0, null, "sign_change", 9.0, null, "sign_change"),
            // 4 → -4: -8, sign change; a year on from -8: +4, from a base below zero
            row("2025-03", -4.0, -8.0, null, "sign_change", 4.0, null, "non_positive_base"),
            // -4 → 25: sign change; a year on from 20: +5, 25 / 20 = 1.25: +25 %
            row("2025-04", 25.0, 29.0, null, "sign_change", 5.0, 25.0, null)),
        rows(
            out,
            "period",
            "avg_price",
            "mom_change",
            "mom_pct",
            "mom_flag",
            "yoy_change",
            "yoy_pct",
            "yoy_flag"),
        TOL);
    // charges have no volatility, whatever their values
    assertEquals(0, out.filter(col("volatility_3m_pct").isNotNull()).count());
  }

  @Test
  void aPriceFallingGetsANegativePercent() {
    Dataset<Row> out =
        PriceTrends.compute(
            prices(List.of(COPPER.monthly("2024-01", 10_000), COPPER.monthly("2024-02", 9_000))),
            null,
            "USD");
    // 9000 / 10 000 = 0.9: -10 %
    assertRows(
        List.<Object[]>of(row("2024-01", null, null, null), row("2024-02", -1000.0, -10.0, null)),
        rows(out, "period", "mom_change", "mom_pct", "mom_flag"),
        1e-9);
  }

  @Test
  void fromAZeroBaseThereIsNoPercentChange() {
    Series rc = new Series("smm", "CU", "China import", "RC", "charge", "CIF China", "USD", "t");
    Dataset<Row> out =
        PriceTrends.compute(
            prices(List.of(rc.monthly("2024-01", 0), rc.monthly("2024-02", 5))), null, "USD");
    // 0 → 5: +5, no percent from a base of zero; the base is not above zero (0 has no sign to
    // change from)
    assertRows(
        List.<Object[]>of(
            row("2024-01", null, null, null), row("2024-02", 5.0, null, "non_positive_base")),
        rows(out, "period", "mom_change", "mom_pct", "mom_flag"),
        TOL);
  }

  // ---------------------------------------------------------------- volatility

  static final double[] FIVE_DAYS = {100, 102, 101, 105, 104};

  static List<Object[]> fiveDays(Series s) {
    String[] dates = {"2025-03-03", "2025-03-04", "2025-03-05", "2025-03-06", "2025-03-07"};
    List<Object[]> out = new ArrayList<>();
    for (int i = 0; i < dates.length; i++) {
      out.add(s.at(dates[i], FIVE_DAYS[i]));
    }
    return out;
  }

  @Test
  void volatilityOfFiveBusinessDays() {
    // Monday to Friday: 4 log returns ln(102/100), ln(101/102), ln(105/101), ln(104/105); gaps of
    // one day: 252 a year
    double r1 = Math.log(102.0 / 100);
    double r2 = Math.log(101.0 / 102);
    double r3 = Math.log(105.0 / 101);
    double r4 = Math.log(104.0 / 105);
    double mean = (r1 + r2 + r3 + r4) / 4;
    double var =
        ((r1 - mean) * (r1 - mean)
                + (r2 - mean) * (r2 - mean)
                + (r3 - mean) * (r3 - mean)
                + (r4 - mean) * (r4 - mean))
            / 3;
    double vol = Math.sqrt(var) * Math.sqrt(252) * 100;
    assertEquals(vol, logReturnStdev(FIVE_DAYS) * Math.sqrt(252) * 100, 1e-12);

    List<Object[]> in = new ArrayList<>(fiveDays(COPPER));
    // the same values as a treatment charge: no volatility
    in.addAll(fiveDays(TC));
    Dataset<Row> out = PriceTrends.compute(prices(in), null, "USD");
    assertRows(
        List.of(
            // (100 + 102 + 101 + 105 + 104) / 5 = 102.4
            row("price", 5L, "2025-03-03", "2025-03-07", 102.4, 100.0, 105.0, 104.0, vol, 4L, 252),
            row("TC", 5L, "2025-03-03", "2025-03-07", 102.4, 100.0, 105.0, 104.0, null, 0L, 252)),
        rows(
            out,
            "series",
            "obs",
            "cast(first_date as string)",
            "cast(last_date as string)",
            "avg_price",
            "min_price",
            "max_price",
            "last_price",
            "volatility_3m_pct",
            "volatility_returns",
            "obs_per_year"),
        TOL);
  }

  @Test
  void aSeriesWithoutBasisStillHasVolatility() {
    Series noBasis = new Series("lme", "CU", "LME cash", "price", "price", null, "USD", "t");
    Dataset<Row> out = PriceTrends.compute(prices(fiveDays(noBasis)), null, "USD");
    double vol = logReturnStdev(FIVE_DAYS) * Math.sqrt(252) * 100;
    assertRows(
        List.<Object[]>of(row(null, 4L, 252, vol)),
        rows(out, "basis", "volatility_returns", "obs_per_year", "volatility_3m_pct"),
        TOL);
  }

  @Test
  void weeklyAndMonthlySeriesAreAnnualisedBy52And12() {
    Series weekly = new Series("x", "LI", "China spot", "price", "price", "weekly", "CNY", "t");
    Series monthly = new Series("x", "LI", "China spot", "price", "price", "monthly", "CNY", "t");
    Dataset<Row> out =
        PriceTrends.compute(
            prices(
                List.of(
                    // Mondays, 7 days apart: 52 a year; 3 returns in January
                    weekly.at("2025-01-06", 50),
                    weekly.at("2025-01-13", 55),
                    weekly.at("2025-01-20", 52),
                    weekly.at("2025-01-27", 54),
                    // YYYY-MM figures: 12 a year; March's window holds 2 returns
                    monthly.monthly("2024-01", 100),
                    monthly.monthly("2024-02", 110),
                    monthly.monthly("2024-03", 99))),
            null,
            "USD");
    assertRows(
        List.of(
            row("weekly", "2025-01", 3L, 52, logReturnStdev(50, 55, 52, 54) * Math.sqrt(52) * 100),
            // no return, then one: too few
            row("monthly", "2024-01", 0L, 12, null),
            row("monthly", "2024-02", 1L, 12, null),
            // ln(110/100), ln(99/110)
            row("monthly", "2024-03", 2L, 12, logReturnStdev(100, 110, 99) * Math.sqrt(12) * 100)),
        rows(out, "basis", "period", "volatility_returns", "obs_per_year", "volatility_3m_pct"),
        TOL);
  }

  // ---------------------------------------------------------------- gaps

  @Test
  void monthsWithGaps() {
    Series s = new Series("lme", "CU", "LME cash", "price", "price", "gaps", "USD", "t");
    Dataset<Row> out =
        PriceTrends.compute(
            prices(
                List.of(
                    // January with days missing (7th and 9th): 3 observations
                    s.at("2025-01-06", 100),
                    s.at("2025-01-08", 104),
                    s.at("2025-01-10", 102),
                    // no February at all
                    s.at("2025-03-03", 110),
                    s.at("2025-03-05", 121),
                    // no April or May
                    s.at("2025-06-02", 121))),
            null,
            "USD");
    assertRows(
        List.of(
            // (100 + 104 + 102) / 3 = 102
            row("2025-01", 3L, "2025-01-06", "2025-01-10", 102.0, 100.0, 104.0, 102.0),
            // (110 + 121) / 2 = 115.5
            row("2025-03", 2L, "2025-03-03", "2025-03-05", 115.5, 110.0, 121.0, 121.0),
            row("2025-06", 1L, "2025-06-02", "2025-06-02", 121.0, 121.0, 121.0, 121.0)),
        rows(
            out,
            "period",
            "obs",
            "cast(first_date as string)",
            "cast(last_date as string)",
            "avg_price",
            "min_price",
            "max_price",
            "last_price"),
        TOL);
    // gaps between observations 2, 2, 52, 2, 89 days: the median 2 is daily, 252 a year
    double janVol = logReturnStdev(100, 104, 102) * Math.sqrt(252) * 100;
    // March's window is January to March; February is absent, so January's 2 returns and
    // March's 2 (ln(110/102) from 10 January, ln(121/110)) make 4
    double marVol = logReturnStdev(100, 104, 102, 110, 121) * Math.sqrt(252) * 100;
    assertRows(
        List.of(
            // no February, no May: no previous calendar month to compare with
            row("2025-01", null, null, null, 2L, janVol),
            row("2025-03", null, null, null, 4L, marVol),
            // June's window is April to June: only June, one observation; counting the last 3
            // months present (January, March, June) would give 5 returns and a volatility
            row("2025-06", null, null, null, null, null)),
        rows(
            out,
            "period",
            "mom_change",
            "mom_pct",
            "mom_flag",
            "case when period = '2025-06' then null else volatility_returns end",
            "volatility_3m_pct"),
        TOL);
  }

  // ---------------------------------------------------------------- conversion

  static final Series COBALT_JAN =
      new Series("smm", "CO", "China spot", "price", "price", "refined 99.8%", "CNY", "t");
  static final Series ALU_EUR =
      new Series("x", "AL", "Rotterdam", "price", "price", "duty paid", "EUR", "t");

  static Dataset<Row> januaryPrices() {
    return prices(
        List.of(
            // CNY: (200 000 + 210 000) / 2 = 205 000, last 210 000
            COBALT_JAN.at("2025-01-06", 200_000),
            COBALT_JAN.at("2025-01-20", 210_000),
            // USD: (9000 + 9200) / 2 = 9100, last 9200
            COPPER.at("2025-01-06", 9000),
            COPPER.at("2025-01-20", 9200),
            // EUR: no EUR rate
            ALU_EUR.at("2025-01-06", 2500)));
  }

  static List<Object[]> converted(Dataset<Row> out) {
    return rows(
        out,
        "currency",
        "converted_currency",
        "fx_rate",
        "fx_source",
        "avg_price_converted",
        "last_price_converted");
  }

  @Test
  void convertedAtTheMonthAverageRate() {
    Dataset<Row> fx =
        df(
            FX_DDL,
            rate("test-fx", "USD", "CNY", "2025-01-06", 7.30),
            rate("test-fx", "USD", "CNY", "2025-01-20", 7.34),
            // February's rate is not January's
            rate("test-fx", "USD", "CNY", "2025-02-03", 7.40));
    Dataset<Row> out = PriceTrends.compute(januaryPrices(), fx, "USD");
    // January: (7.30 + 7.34) / 2 = 7.32 CNY per USD
    assertRows(
        List.of(
            row("CNY", "USD", 7.32, "test-fx", 205_000 / 7.32, 210_000 / 7.32),
            row("USD", "USD", 1.0, "same currency", 9100.0, 9200.0),
            row("EUR", null, null, null, null, null)),
        converted(out),
        1e-6);
  }

  @Test
  void anInverseQuoteGivesTheSame() {
    // 1 USD = 8 CNY quoted as USD/CNY 8 or as CNY/USD 0.125
    Dataset<Row> direct = df(FX_DDL, rate("fx", "USD", "CNY", "2025-01-15", 8.0));
    Dataset<Row> inverse = df(FX_DDL, rate("fx", "CNY", "USD", "2025-01-15", 0.125));
    List<Object[]> expected =
        List.of(
            // 205 000 / 8 = 25 625; 210 000 / 8 = 26 250
            row("CNY", "USD", 8.0, "fx", 25_625.0, 26_250.0),
            row("USD", "USD", 1.0, "same currency", 9100.0, 9200.0),
            row("EUR", null, null, null, null, null));
    assertRows(expected, converted(PriceTrends.compute(januaryPrices(), direct, "USD")), 1e-6);
    assertRows(expected, converted(PriceTrends.compute(januaryPrices(), inverse, "USD")), 1e-6);
  }

  @Test
  void anInverseQuoteIsAveragedAsQuoted() {
    // CNY/USD 0.125 and 0.15: the month average 0.1375 USD per CNY, i.e. 1 / 0.1375 CNY per USD
    Dataset<Row> fx =
        df(
            FX_DDL,
            rate("inverse-fx", "CNY", "USD", "2025-01-06", 0.125),
            rate("inverse-fx", "CNY", "USD", "2025-01-20", 0.15));
    Dataset<Row> out = PriceTrends.compute(januaryPrices(), fx, "USD");
    assertRows(
        List.of(
            // 205 000 × 0.1375 = 28 187.5; 210 000 × 0.1375 = 28 875
            row("CNY", "USD", 1 / 0.1375, "inverse-fx", 28_187.5, 28_875.0),
            row("USD", "USD", 1.0, "same currency", 9100.0, 9200.0),
            row("EUR", null, null, null, null, null)),
        converted(out),
        1e-6);
  }

  @Test
  void aDirectQuoteIsPreferredToAnInverseOne() {
    Dataset<Row> fx =
        df(
            FX_DDL,
            rate("direct-fx", "USD", "CNY", "2025-01-15", 8.0),
            rate("inverse-fx", "CNY", "USD", "2025-01-15", 0.1));
    Dataset<Row> out = PriceTrends.compute(januaryPrices(), fx, "USD");
    List<Object[]> cny = converted(out.filter(col("currency").equalTo("CNY")));
    assertRows(
        List.<Object[]>of(row("CNY", "USD", 8.0, "direct-fx", 25_625.0, 26_250.0)), cny, 1e-6);
  }

  @Test
  void withoutRatesOnlyTheSameCurrencyIsConverted() {
    Dataset<Row> out = PriceTrends.compute(januaryPrices(), null, "USD");
    assertRows(
        List.of(
            row("CNY", null, null, null, null, null),
            row("USD", "USD", 1.0, "same currency", 9100.0, 9200.0),
            row("EUR", null, null, null, null, null)),
        converted(out),
        1e-6);
    assertNull(out.filter(col("currency").equalTo("EUR")).first().getAs("avg_price_converted"));
  }
}
