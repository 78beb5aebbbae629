package org.metalslake.conform;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metalslake.ref.RefData;
import org.metalslake.storage.Tables;
import org.metalslake.testing.SparkTest;
import org.metalslake.testing.TradeFixtures;

/**
 * The generic price format and the exchange-rate format read the pipeline's way (Landing, header
 * detection, Bronze, {@link PricesConformer} / {@link FxRatesConformer}): currencies from the
 * currency column or a {@code CCY/unit} unit, US cents, yuan, mass units converted to per tonne,
 * {@code dmt} and troy ounces kept as quoted, charges that may be negative, daily and monthly
 * dates, and the reason each bad record is quarantined with. Every input line ends as exactly one
 * fact or one quarantine row.
 */
class PricesConformerTest extends SparkTest {
  private static final double TOL = 1e-9;

  /** Tonnes per pound (avoirdupois), exact by definition. */
  private static final double LB_T = 0.00045359237;

  private static final String POSITIVE_PRICE =
      "a metal price must be above zero (negative values are valid only for treatment and"
          + " refining charges)";

  static final List<String> PRICES =
      List.of(
          /* 1 */ "date,metal,market,series,basis,price,currency,unit,source",
          // USD per tonne: kept as is; an empty series is a price
          /* 2 */ "2025-01-06,copper,LME cash,,grade A,9000,USD,t,lme",
          // 10 US cents a pound: 0.10 USD / 0.00045359237 t = 220.462… USD/t
          /* 3 */ "2025-01-06,Cu,COMEX,,,10,USc,lb,comex",
          // the currency only in the unit: USD/lb, 4.2 / 0.00045359237 = 9259.4… USD/t
          /* 4 */ "2025-01-06,copper,COMEX,,front month,4.2,,USD/lb,comex",
          // yuan is CNY; '/' as date separator; a grade as series (lower-cased); no source
          /* 5 */ "2025/01/07,lithium,China spot,Lithium Carbonate,battery grade,75000,yuan,t,",
          // RMB is CNY; per kg: 35 / 0.001 = 35 000 CNY/t
          /* 6 */ "2025-01-08,cobalt,China spot,,,35,RMB,kg,smm",
          // a negative treatment charge, currency from the unit, per dry metric tonne kept
          /* 7 */ "2025-01-06,copper,China import,TC,CIF China,-12.5,,USD/dmt,smm",
          // a zero treatment charge spelled out
          /* 8 */ "2025-01-06,copper,China import,treatment charge,spot,0,USD,dmt,smm",
          // a price per dmt (concentrate) stays per dmt
          /* 9 */ "2025-01-06,copper,Concentrate,,copper conc 25%,80,USD,dmt,smm",
          // troy ounces stay troy ounces
          /* 10 */ "2025-01-06,gold,LBMA,,PM,2650.5,USD,troy oz,lbma",
          // YYYY-MM: a monthly figure dated the first of the month
          /* 11 */ "2025-03,nickel,LME cash,,,16000,USD,USD/t,lme",
          // a negative refining charge in US cents a pound: -0.0125 / 0.00045359237 USD/t
          /* 12 */ "2025-01-06,copper,China import,rc,,-1.25,USc,lb,smm",
          // bad records: one reason each
          /* 13 */ "2025-01-06,copper,LME cash,,,-5,USD,t,lme",
          /* 14 */ "2025-01-06,copper,LME cash,,,0,USD,t,lme",
          /* 15 */ "2025-01-06,copper,LME cash,,,9000,bitcoin,t,lme",
          /* 16 */ "2025-01-06,copper,LME cash,,,70,USD,barrel,lme",
          /* 17 */ "2025-02-30,copper,LME cash,,,9000,USD,t,lme",
          /* 18 */ "2025-01-06,copper,,,,9000,USD,t,lme",
          /* 19 */ "2025-01-06,copper,LME cash,,,9000,CNY,USD/t,lme",
          /* 20 */ "2025-01-06,unobtainium,LME cash,,,9000,USD,t,lme",
          /* 21 */ "2025-01-06,copper,LME cash,,,9000,,t,lme",
          /* 22 */ "2025-01-06,copper,LME cash,,,,USD,t,lme",
          /* 23 */ "2025-01-06,copper,LME cash,,,ninety,USD,t,lme",
          /* 24 */ "2025-13,copper,LME cash,,,9000,USD,t,lme",
          // "dry metric tons" is the units file's spelled-out dmt
          /* 25 */ "2025-01-06,copper,Concentrate,,dry basis,81,USD,dry metric tons,smm");

  static final List<String> RATES =
      List.of(
          /* 1 */ "date,base_currency,quote_currency,rate,source",
          /* 2 */ "2025-01-06,USD,CNY,7.30,test-fx",
          // a rate of zero is impossible
          /* 3 */ "2025-01-07,USD,CNY,0,test-fx",
          // yuan is CNY; no source
          /* 4 */ "2025-01-08,USD,yuan,7.31,");

  @TempDir static Path dir;

  private static Dataset<Row> out;
  private static Dataset<Row> fx;

  @BeforeAll
  static void ingest() {
    RefData ref = TradeFixtures.ref(spark(), dir.resolve("ref"));
    Path f = TradeFixtures.write(dir, "prices", "prices.csv", PRICES);
    assertEquals("generic-prices", TradeFixtures.detect(spark(), f).name());
    out = TradeFixtures.ingest(spark(), f, ref, Tables.PRICES).cache();
    Path r = TradeFixtures.write(dir, "fx", "rates.csv", RATES);
    assertEquals("fx-rates", TradeFixtures.detect(spark(), r).name());
    fx = TradeFixtures.ingest(spark(), r, ref, Tables.FX_RATES).cache();
  }

  @AfterAll
  static void release() {
    out.unpersist();
    fx.unpersist();
  }

  private static Dataset<Row> facts() {
    return out.filter(col("_reason").isNull());
  }

  @Test
  void seriesIdentity() {
    assertRows(
        List.of(
            row(2L, "lme", "CU", "LME cash", "price", "price", "grade A"),
            row(3L, "comex", "CU", "COMEX", "price", "price", null),
            row(4L, "comex", "CU", "COMEX", "price", "price", "front month"),
            row(
                5L,
                "unspecified",
                "LI",
                "China spot",
                "lithium carbonate",
                "price",
                "battery grade"),
            row(6L, "smm", "CO", "China spot", "price", "price", null),
            row(7L, "smm", "CU", "China import", "TC", "charge", "CIF China"),
            row(8L, "smm", "CU", "China import", "TC", "charge", "spot"),
            row(9L, "smm", "CU", "Concentrate", "price", "price", "copper conc 25%"),
            row(10L, "lbma", "AU", "LBMA", "price", "price", "PM"),
            row(11L, "lme", "NI", "LME cash", "price", "price", null),
            row(12L, "smm", "CU", "China import", "RC", "charge", null),
            row(25L, "smm", "CU", "Concentrate", "price", "price", "dry basis")),
        rows(facts(), "_line", "source", "metal", "market", "series", "series_kind", "basis"),
        TOL);
  }

  @Test
  void pricesPerTonneInOneCurrency() {
    assertRows(
        List.of(
            row(2L, 9000.0, "USD", "t", 9000.0, "USD", "t"),
            // 10 USc/lb = 0.10 USD / 0.00045359237 t = 220.462 USD/t
            row(3L, 0.10 / LB_T, "USD", "t", 10.0, "USc", "lb"),
            row(4L, 4.2 / LB_T, "USD", "t", 4.2, "USD", "USD/lb"),
            row(5L, 75000.0, "CNY", "t", 75000.0, "CNY", "t"),
            // 35 CNY/kg = 35 / 0.001 t
            row(6L, 35000.0, "CNY", "t", 35.0, "CNY", "kg"),
            row(7L, -12.5, "USD", "dmt", -12.5, "USD", "USD/dmt"),
            row(8L, 0.0, "USD", "dmt", 0.0, "USD", "dmt"),
            row(9L, 80.0, "USD", "dmt", 80.0, "USD", "dmt"),
            row(10L, 2650.5, "USD", "troy oz", 2650.5, "USD", "troy oz"),
            row(11L, 16000.0, "USD", "t", 16000.0, "USD", "USD/t"),
            // -1.25 USc/lb = -0.0125 USD / 0.00045359237 t = -27.56 USD/t
            row(12L, -0.0125 / LB_T, "USD", "t", -1.25, "USc", "lb")),
        rows(
            facts().filter(col("_line").notEqual(25L)),
            "_line",
            "price",
            "currency",
            "unit",
            "price_reported",
            "currency_reported",
            "unit_reported"),
        TOL);
    // the worked example, digit by digit
    assertEquals(
        220.46226218487757, facts().filter(col("_line").equalTo(3L)).first().getAs("price"), 1e-9);
  }

  @Test
  void dryMetricTonsSpelledOutStayPerDmt() {
    // units.csv lists "dry metric tons" as an alias of t (factor 1); the price is for a dry metric
    // tonne of concentrate all the same and should be labelled dmt, like "dmt"
    assertRows(
        List.<Object[]>of(row(25L, 81.0, "USD", "dmt")),
        rows(facts().filter(col("_line").equalTo(25L)), "_line", "price", "currency", "unit"),
        TOL);
  }

  @Test
  void dailyAndMonthlyDates() {
    assertRows(
        List.of(
            row(2L, "2025-01-06", "D", 2025, 1),
            row(3L, "2025-01-06", "D", 2025, 1),
            row(4L, "2025-01-06", "D", 2025, 1),
            // "2025/01/07": '/' read as '-'
            row(5L, "2025-01-07", "D", 2025, 1),
            row(6L, "2025-01-08", "D", 2025, 1),
            row(7L, "2025-01-06", "D", 2025, 1),
            row(8L, "2025-01-06", "D", 2025, 1),
            row(9L, "2025-01-06", "D", 2025, 1),
            row(10L, "2025-01-06", "D", 2025, 1),
            // "2025-03": monthly, dated the first
            row(11L, "2025-03-01", "M", 2025, 3),
            row(12L, "2025-01-06", "D", 2025, 1),
            row(25L, "2025-01-06", "D", 2025, 1)),
        rows(facts(), "_line", "cast(date as string)", "freq", "year", "month"),
        TOL);
  }

  @Test
  void badRecordsAreQuarantinedWithTheirReason() {
    String dates = " (YYYY-MM-DD, or YYYY-MM for a monthly figure)";
    assertRows(
        List.of(
            row(13L, POSITIVE_PRICE, "error"),
            row(14L, POSITIVE_PRICE, "error"),
            row(15L, "unknown currency 'bitcoin'", "error"),
            row(
                16L,
                "unknown unit 'barrel' (a mass such as t, lb, dmt, troy oz; or currency/mass:"
                    + " USD/t)",
                "error"),
            row(17L, "impossible date '2025-02-30'" + dates, "error"),
            row(18L, "missing market", "error"),
            row(19L, "currency 'CNY' differs from the unit's 'USD/t'", "error"),
            row(20L, "unknown metal 'unobtainium'", "error"),
            row(21L, "missing currency (a currency column, or a unit such as USD/t)", "error"),
            row(22L, "missing price", "error"),
            row(23L, "unparseable price 'ninety'", "error"),
            row(24L, "impossible date '2025-13'" + dates, "error")),
        rows(out.filter(col("_reason").isNotNull()), "_line", "_reason", "_severity"),
        TOL);
  }

  @Test
  void everyLineIsOneFactOrOneQuarantineRow() {
    // 24 records (25 lines less the header): 12 facts and 12 quarantined
    assertEquals(PRICES.size() - 1, out.count(), "one row per record");
    assertEquals(PRICES.size() - 1, out.select("_line").distinct().count(), "no line twice");
    assertEquals(12, out.filter(col("_reason").isNull()).count());
    assertEquals(12, out.filter(col("_reason").isNotNull()).count());
    assertEquals(0, out.filter(col("_reason").isNull().and(col("_severity").isNotNull())).count());
    assertEquals(0, out.filter(col("_reason").isNotNull().and(col("_severity").isNull())).count());
  }

  @Test
  void exchangeRates() {
    assertRows(
        List.of(
            row(2L, "test-fx", "USD", "CNY", "2025-01-06", 2025, 1, 7.30),
            row(4L, "unspecified", "USD", "CNY", "2025-01-08", 2025, 1, 7.31)),
        rows(
            fx.filter(col("_reason").isNull()),
            "_line",
            "source",
            "base_currency",
            "quote_currency",
            "cast(date as string)",
            "year",
            "month",
            "rate"),
        TOL);
    assertRows(
        List.<Object[]>of(row(3L, "an exchange rate must be above zero", "error")),
        rows(fx.filter(col("_reason").isNotNull()), "_line", "_reason", "_severity"),
        TOL);
    assertEquals(RATES.size() - 1, fx.count(), "one row per record");
  }
}
