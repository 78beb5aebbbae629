package org.metalslake.conform;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.month;
import static org.apache.spark.sql.functions.nullif;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.try_to_date;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.year;
import static org.metalslake.conform.ProductionConformer.present;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.metalslake.ref.RefData;
import org.metalslake.ref.Vocabulary;
import org.metalslake.storage.TableDoc;

/**
 * Price and charge observations to typed {@code silver.prices} facts. A series is a metal, a market
 * and a {@code series} (price, TC, RC, a grade…) with a {@code basis} qualifier, in one currency
 * and unit. Prices are converted to a per-tonne price where the unit is a mass (a price per lb × 2
 * 204.62…, US cents to dollars); {@code dmt} (dry metric tonne of concentrate) and troy ounces are
 * kept as quoted. Treatment and refining charges may be negative; a metal price must be above zero.
 *
 * <p>Candidate columns: lineage and {@code record}; {@code date, metal, market, series, basis,
 * price, currency, unit, source, release} (strings); {@code unit_reported} (the unit as the source
 * writes it, when a format reads the unit from a mapping: else {@code unit}); {@code _pre_reason}
 * and {@code _skip_reason} set by the format.
 */
public final class PricesConformer {
  private PricesConformer() {}

  public static final List<String> KEY =
      List.of("source", "metal", "market", "series", "basis", "currency", "unit", "date");

  public static final String PRICE = Vocabulary.PRICE;
  public static final String CHARGE = Vocabulary.CHARGE;

  public static final TableDoc DOC =
      TableDoc.of(
              "Price and charge observations (daily, weekly or monthly), per tonne where the unit"
                  + " is a mass")
          .column("source", "Publisher or dataset (part of the key)")
          .column("metal", "Metal code from ref.metals")
          .column("market", "Market or assessment: LME cash, SHFE, China spot, benchmark…")
          .column(
              "series",
              "price (default), TC (treatment charge), RC (refining charge), or a grade/product")
          .column("series_kind", "price, or charge (TC/RC: may be negative)")
          .column("basis", "Qualifier as given: CIF China, battery grade 99.5 %…; null when none")
          .column("date", "Date of the observation (a monthly figure: the first of the month)")
          .column("freq", "D for a dated observation, M for a monthly figure")
          .column("year", "Calendar year")
          .column("month", "Month 1-12")
          .column(
              "price",
              "Price in currency per unit: converted to per tonne for mass units (lb, kg, kt…),"
                  + " US cents to US dollars")
          .column("currency", "ISO currency of price (USD for prices quoted in US cents)")
          .column("unit", "Unit of price: t, dmt (dry metric tonne) or troy oz")
          .column("price_reported", "Price as quoted")
          .column("currency_reported", "Currency as quoted (USc = US cents)")
          .column("unit_reported", "Unit as quoted")
          .column("release", "Release or vintage of the source");

  /** The source columns candidates are read from (the generic format of the dataset). */
  public static final List<String> SOURCE_COLUMNS =
      List.of(
          "date",
          "metal",
          "market",
          "series",
          "basis",
          "price",
          "currency",
          "unit",
          "source",
          "release");

  /** Candidate columns a format may give; null otherwise. */
  static final List<String> NULL_UNLESS_GIVEN = List.of("unit_reported", "_skip_reason");

  public static Dataset<Row> candidates(Dataset<Row> records, Map<String, Column> given) {
    return Candidates.of(records, SOURCE_COLUMNS, NULL_UNLESS_GIVEN, given);
  }

  /**
   * A currency as quoted: an ISO code of {@link #CURRENCIES}, or yuan/RMB (CNY), US$ (USD), US
   * cents (USc); else null.
   */
  public static Column currency(Column raw) {
    Column c = upper(regexp_replace(trim(raw), "\\s+", " "));
    return when(c.isin("USC", "US CENTS", "CENTS", "US¢", "¢"), lit("USc"))
        .when(c.isin("YUAN", "RMB", "CNH"), lit("CNY"))
        .when(c.isin("US$", "$"), lit("USD"))
        .when(c.isin(CURRENCIES.toArray()), c);
  }

  /** ISO 4217 codes of the currencies metal prices and exchange rates are quoted in. */
  public static final List<String> CURRENCIES =
      List.of(
          "USD", "CNY", "EUR", "GBP", "JPY", "AUD", "CAD", "CHF", "INR", "KRW", "RUB", "ZAR", "BRL",
          "CLP", "PEN", "MXN", "IDR", "PHP", "MYR", "THB", "VND", "HKD", "SGD", "TWD", "SEK", "NOK",
          "DKK", "PLN", "CZK", "TRY", "KZT", "ARS", "NZD", "SAR", "AED");

  /** TC, RC (and TC/RC) and charges spelled out are charges; anything else is a price. */
  public static Column seriesName(Column raw) {
    Column s = lower(trim(raw));
    return when(s.isNull().or(s.equalTo("")), lit(PRICE))
        .when(s.isin("tc", "treatment charge", "treatment charges"), lit("TC"))
        .when(s.isin("rc", "refining charge", "refining charges"), lit("RC"))
        .when(s.isin("tc/rc", "tc/rcs", "tcrc"), lit("TC/RC"))
        .otherwise(s);
  }

  private static final String DATE = "^([0-9]{4})-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?$";

  public static Dataset<Row> conform(Dataset<Row> candidates, RefData ref) {
    // "USD/t": the currency before the slash (optional), the unit after it.
    Column unitRaw = trim(col("unit"));
    Column unitCurrencyRaw = regexp_extract(unitRaw, "^([^/]+)/", 1);
    Column massRaw = trim(regexp_replace(unitRaw, "^[^/]*/", ""));
    Dataset<Row> df =
        Numbers.withDecimalCommaFiles(candidates, "price")
            .withColumn("__series", seriesName(col("series")))
            .withColumn("__mass_raw", massRaw)
            .withColumn("__unit_ccy", currency(nullif(trim(unitCurrencyRaw), lit(""))))
            .withColumn("__unit_ccy_given", present(unitCurrencyRaw))
            .withColumn("__ccy_given", present(col("currency")))
            .withColumn("__ccy_col", currency(col("currency")));
    df = ref.withMetal(df, "metal", "__metal");
    df = ref.withUnit(df, "__mass_raw", "__mass");
    Column dateText = regexp_replace(trim(col("date")), "/", "-");
    Column dated = dateText.rlike(DATE);
    Column y = regexp_extract(dateText, DATE, 1).cast("int");
    Column m = regexp_extract(dateText, DATE, 2).cast("int");
    Column d = nullif(regexp_extract(dateText, DATE, 4), lit("")).cast("int");
    Column date =
        when(
            dated,
            try_to_date(format_string("%04d-%02d-%02d", y, m, coalesce(d, lit(1))), "yyyy-MM-dd"));
    Column isDmt =
        lower(col("__mass_raw"))
            .isin(
                "dmt",
                "dry metric tonne",
                "dry metric tonnes",
                "dry metric ton",
                "dry metric tons",
                "metric dry ton",
                "metric dry tons",
                "metric dry tonnes");
    Column isOunce = col("__mass").equalTo("troy oz");
    Column ccy = coalesce(col("__ccy_col"), col("__unit_ccy"));
    Column charge = col("__series").isin("TC", "RC", "TC/RC");
    df =
        df.withColumn("__date", date)
            .withColumn("__daily", d.isNotNull())
            .withColumn("__p", Numbers.parse("price"))
            .withColumn("__ccy", ccy)
            .withColumn("__charge", charge)
            .withColumn(
                "__unit_out",
                when(isDmt, lit("dmt")).when(isOunce, lit("troy oz")).otherwise(lit("t")))
            .withColumn(
                "__factor",
                when(isDmt.or(isOunce), lit(1.0)).otherwise(lit(1.0).divide(col("__mass_factor"))));
    Column reason =
        Reasons.all(
            col("_pre_reason"),
            Rules.possible(
                "date",
                dated.unary_$bang().or(col("__date").isNull()),
                col("date"),
                " (YYYY-MM-DD, or YYYY-MM for a monthly figure)"),
            Rules.known("metal", col("__metal")),
            Rules.required("market", col("market")),
            Rules.required("price", col("price")),
            Rules.number("price", "price", "price", col("__p")),
            when(
                col("__charge").unary_$bang().and(col("__p").leq(0)),
                lit(
                    "a metal price must be above zero (negative values are valid only for"
                        + " treatment and refining charges)")),
            Rules.unknown(
                "currency", col("__ccy_given").and(col("__ccy_col").isNull()), col("currency")),
            Rules.unknown(
                "currency in unit",
                col("__unit_ccy_given").and(col("__unit_ccy").isNull()),
                col("unit")),
            when(
                col("__ccy_col")
                    .isNotNull()
                    .and(col("__unit_ccy").isNotNull())
                    .and(col("__ccy_col").notEqual(col("__unit_ccy"))),
                concat(
                    lit("currency "),
                    Reasons.quoted(col("currency")),
                    lit(" differs from the unit's "),
                    Reasons.quoted(col("unit")))),
            when(
                col("__ccy_given").unary_$bang().and(col("__unit_ccy_given").unary_$bang()),
                lit("missing currency (a currency column, or a unit such as USD/t)")),
            Rules.unknown(
                "unit",
                col("__mass").isNull().and(isDmt.unary_$bang()),
                col("unit"),
                " (a mass such as t, lb, dmt, troy oz; or currency/mass: USD/t)"));
    Column cents = col("__ccy").equalTo("USc");
    return Reasons.judged(df, col("_skip_reason"), reason)
        .select(
            Outcome.withOutcome(
                coalesce(nullif(trim(col("source")), lit("")), lit("unspecified")).as("source"),
                col("__metal").as("metal"),
                trim(col("market")).as("market"),
                col("__series").as("series"),
                when(col("__charge"), lit(CHARGE)).otherwise(lit(PRICE)).as("series_kind"),
                nullif(trim(col("basis")), lit("")).as("basis"),
                col("__date").as("date"),
                when(col("__daily"), lit("D")).otherwise(lit("M")).as("freq"),
                year(col("__date")).as("year"),
                month(col("__date")).as("month"),
                col("__p")
                    .multiply(when(cents, lit(0.01)).otherwise(lit(1.0)))
                    .multiply(col("__factor"))
                    .as("price"),
                when(cents, lit("USD")).otherwise(col("__ccy")).as("currency"),
                col("__unit_out").as("unit"),
                col("__p").as("price_reported"),
                col("__ccy").as("currency_reported"),
                coalesce(nullif(trim(col("unit_reported")), lit("")), trim(col("unit")))
                    .as("unit_reported"),
                nullif(trim(col("release")), lit("")).as("release")));
  }
}
