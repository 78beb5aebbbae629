package org.metalslake.sources.fred;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.metalslake.conform.PricesConformer;
import org.metalslake.conform.Reasons;
import org.metalslake.ref.RefData;
import org.metalslake.sources.BasicFormat;
import org.metalslake.sources.Header;
import org.metalslake.sources.PriceSeries;
import org.metalslake.storage.TableId;
import org.metalslake.storage.Tables;

/**
 * A FRED series as downloaded (fred.stlouisfed.org, "Download CSV"): two columns, the date ({@code
 * observation_date}, or {@code DATE} in older downloads) and the series id as the value column
 * ({@code PCOPPUSDM}); {@code .} is FRED's missing value. ref price_series.csv says what each
 * series id is (metal, market, currency, unit, frequency); a series it does not list is out of
 * scope, its observations counted and skipped. A monthly series is dated by the first day of the
 * month ({@code 2020-02-01}), stored as the month.
 */
public final class FredFormat extends BasicFormat {
  public static final String SOURCE = "fred";

  /** FRED's missing value. */
  static final String MISSING = ".";

  public FredFormat() {
    super(
        "fred",
        "observation_date (or DATE),<FRED series id in ref price_series.csv, e.g. PCOPPUSDM>",
        Tables.FRED_RAW,
        List.of("date"));
  }

  @Override
  public Map<String, String> aliases() {
    return Map.of("observationdate", "date");
  }

  @Override
  public boolean matches(Header header) {
    List<String> keys = header.keys();
    return keys.size() == 2
        && (keys.get(0).equals("date") || keys.get(0).equals("observationdate"))
        && header.names().get(1).trim().matches("[A-Z][A-Z0-9_]{2,}");
  }

  @Override
  public Map<TableId, Dataset<Row>> conform(Dataset<Row> bronze, RefData ref) {
    Dataset<Row> cells = PriceSeries.cells(bronze, List.of("date"));
    Dataset<Row> df =
        cells.join(
            broadcast(PriceSeries.mapping(bronze, ref, SOURCE)),
            col("__key").equalTo(col("m_key")),
            "left");
    Column id = upper(col("__col"));
    Column date = trim(col("date"));
    Column monthly = col("m_freq").equalTo("M");
    Column firstOfMonth = date.rlike("^[0-9]{4}-[0-9]{2}-01$");
    Column raw = trim(col("__raw"));
    Map<String, Column> g = new HashMap<>();
    g.put("date", when(monthly.and(firstOfMonth), substring(date, 1, 7)).otherwise(date));
    g.put("metal", col("m_metal"));
    g.put("market", col("m_market"));
    g.put("series", col("m_series"));
    g.put("basis", lit(null).cast("string"));
    g.put("price", raw);
    g.put("currency", col("m_currency"));
    g.put("unit", col("m_unit"));
    g.put("source", lit(SOURCE));
    g.put("release", lit(null).cast("string"));
    g.put(
        "_skip_reason",
        when(
                col("__col").isNotNull().and(col("m_key").isNull()),
                concat(
                    lit("series "),
                    id,
                    lit(" is not in ref price_series.csv (out of scope): not read")))
            .when(
                raw.equalTo(MISSING),
                concat(
                    lit("no observation of "),
                    id,
                    lit(" on "),
                    Reasons.quoted(col("date")),
                    lit(" ('.' is FRED's missing value)"))));
    g.put(
        "_pre_reason",
        Reasons.all(
            Reasons.malformedLine(),
            when(
                col("__col").isNull(), lit("no value (FRED writes '.' for a missing observation)")),
            when(
                monthly
                    .and(date.rlike("^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))
                    .and(firstOfMonth.unary_$bang()),
                concat(
                    lit("a monthly series dated "),
                    Reasons.quoted(col("date")),
                    lit(" (FRED dates a month by its first day)")))));
    return Map.of(Tables.PRICES, PricesConformer.conform(PricesConformer.candidates(df, g), ref));
  }
}
