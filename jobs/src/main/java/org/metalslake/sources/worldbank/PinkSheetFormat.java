package org.metalslake.sources.worldbank;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.try_to_date;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.metalslake.conform.PricesConformer;
import org.metalslake.conform.Reasons;
import org.metalslake.ref.RefData;
import org.metalslake.sources.BasicFormat;
import org.metalslake.sources.Header;
import org.metalslake.sources.PriceSeries;
import org.metalslake.sources.SheetHeader;
import org.metalslake.storage.TableId;
import org.metalslake.storage.Tables;
import org.metalslake.xlsx.Sheet;
import org.metalslake.xlsx.SheetRow;

/**
 * The World Bank Commodity Price Data ("The Pink Sheet"), monthly prices, as downloaded ({@code
 * CMOHistoricalDataMonthly.xlsx}): sheet {@code Monthly Prices}, title rows and the update date
 * ({@code Updated on March 03, 2020}) on top, then per column the series name ({@code Copper}),
 * unit ({@code ($/mt)}) and code ({@code COPPER}, the header), and one row per month ({@code
 * 1960M01}) in nominal US dollars; {@code ..} where there is no figure.
 *
 * <p>A record is a sheet row. A month's row gives one fact per series of ref price_series.csv
 * (metal, market, currency, unit; the sheet's unit must be the one the mapping expects), its {@code
 * ..} cells a skipped row each. The rows above the header are records too, skipped with what they
 * are: the update date is every fact's {@code release}, and the series names row carries one
 * skipped row per series outside the mapping (crude oil, coffee…) with the number of its figures
 * not read.
 */
public final class PinkSheetFormat extends BasicFormat {
  public static final String SOURCE = "worldbank_pinksheet";

  /** The sheet of monthly prices. */
  static final String SHEET = "Monthly Prices";

  static final String PERIOD = "^([0-9]{4})M(0[1-9]|1[0-2])$";

  private static final String CODE = "[A-Za-z][A-Za-z0-9_]*";

  private static final String UNIT = "^\\(.*\\)$";

  /** Cells that say there is no figure. */
  static final List<String> NO_FIGURE = List.of("..", "...", "…");

  public PinkSheetFormat() {
    super(
        "worldbank-pinksheet",
        "xlsx sheet 'Monthly Prices': series names, units and codes (the header) above one row per"
            + " month (1960M01)",
        Tables.WORLDBANK_PINKSHEET_RAW,
        List.of("period"));
  }

  /** Not a delimited-text format: it reads a workbook's sheet. */
  @Override
  public boolean matches(Header header) {
    return false;
  }

  @Override
  public boolean workbook() {
    return true;
  }

  /**
   * The sheet {@code Monthly Prices} when it has, above its first month ({@code 1960M01}), a row of
   * series codes (the header, column A blank), their units {@code ($/…)} and their names.
   */
  @Override
  public Optional<SheetHeader> sheet(List<Sheet> sheets) {
    for (Sheet s : sheets) {
      if (!s.name().trim().equalsIgnoreCase(SHEET)) {
        continue;
      }
      List<SheetRow> rows = s.rows();
      for (int i = 2; i + 1 < rows.size(); i++) {
        SheetRow codes = rows.get(i);
        SheetRow units = rows.get(i - 1);
        SheetRow names = rows.get(i - 2);
        boolean found =
            codes.cell(0).isBlank()
                && units.cell(0).isBlank()
                && names.cell(0).isBlank()
                && rows.get(i + 1).cell(0).trim().matches(PERIOD)
                && codes.cells().stream().skip(1).anyMatch(c -> !c.isBlank())
                && codes.cells().stream().allMatch(c -> c.isBlank() || c.trim().matches(CODE))
                && units.cells().stream().anyMatch(c -> c.trim().matches(UNIT));
        if (found) {
          List<String> header = new ArrayList<>();
          header.add("period");
          header.addAll(codes.cells().subList(1, codes.cells().size()));
          return Optional.of(new SheetHeader(s.name(), codes.number(), header));
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public Map<TableId, Dataset<Row>> conform(Dataset<Row> bronze, RefData ref) {
    // One row per cell, read once (when first needed) for the several uses below: kept as its
    // own small result, so the plan that follows is not the workbook's 80-column unpivot again.
    Dataset<Row> cells = PriceSeries.cells(bronze, List.of("period")).localCheckpoint(false);
    Column period = trim(col("period"));
    Column noFigure = trim(col("__raw")).isin(NO_FIGURE.toArray());

    // What each record is, from its period cell and its series cells; rows above the first month
    // are the sheet's title, update date, series names and units.
    Dataset<Row> kinds =
        cells
            .groupBy(col("_file_id").as("__kf"), col("_line").as("__kl"))
            .agg(
                count(col("__raw")).as("__cells"),
                min(when(col("__raw").isNotNull(), trim(col("__raw")).rlike(UNIT))).as("__units"));
    Dataset<Row> firstMonth =
        cells
            .filter(period.rlike(PERIOD))
            .groupBy(col("_file_id").as("__ff"))
            .agg(min(col("_line")).as("__first_month"));
    Column above = col("__first_month").isNull().or(col("_line").lt(col("__first_month")));
    Column kind =
        when(period.rlike(PERIOD), lit("month"))
            .when(above.and(lower(period).startsWith("updated on")), lit("updated"))
            .when(above.and(period.isNotNull().or(col("__cells").equalTo(0))), lit("title"))
            .when(above.and(col("__units")), lit("units"))
            .when(above, lit("names"))
            .when(col("__cells").equalTo(0), lit("note"))
            .otherwise(lit("bad"));
    cells =
        cells
            .join(
                kinds, col("_file_id").equalTo(col("__kf")).and(col("_line").equalTo(col("__kl"))))
            .join(firstMonth, col("_file_id").equalTo(col("__ff")), "left")
            .withColumn("__kind", kind)
            .drop("__kf", "__kl", "__ff", "__first_month", "__cells", "__units");

    // Per file: the release (the update date) and each column's name, unit and figures.
    Column updated = regexp_extract(period, "(?i)^updated on\\s+(.+)$", 1);
    Dataset<Row> release =
        cells
            .filter(col("__kind").equalTo("updated"))
            .groupBy(col("_file_id").as("__rf"))
            .agg(
                first(
                        coalesce(
                            date_format(try_to_date(updated, "MMMM d, yyyy"), "yyyy-MM-dd"),
                            updated))
                    .as("__release"));
    Dataset<Row> columns =
        cells
            .filter(col("__key").isNotNull())
            .groupBy(col("_file_id").as("__cf"), col("__key").as("__ck"))
            .agg(
                first(col("__col")).as("__code"),
                first(when(col("__kind").equalTo("names"), trim(col("__raw"))), true).as("__name"),
                first(when(col("__kind").equalTo("units"), trim(col("__raw"))), true).as("__unit"),
                count(when(col("__kind").equalTo("month").and(noFigure.unary_$bang()), 1))
                    .as("__figures"));
    Dataset<Row> mapping = broadcast(PriceSeries.mapping(bronze, ref, SOURCE));
    Column code = upper(col("__code"));

    // Monthly figures of the mapped series.
    Dataset<Row> mapped =
        cells
            .filter(col("__kind").equalTo("month"))
            .join(mapping, col("__key").equalTo(col("m_key")))
            .join(
                columns,
                col("_file_id").equalTo(col("__cf")).and(col("__key").equalTo(col("__ck"))),
                "left")
            .join(release, col("_file_id").equalTo(col("__rf")), "left");
    Column unitKey = lower(regexp_replace(col("__unit"), "\\s+", ""));
    Column expectedUnitKey = lower(regexp_replace(col("m_unit_reported"), "\\s+", ""));
    Map<String, Column> f = new HashMap<>();
    f.put("date", regexp_replace(period, PERIOD, "$1-$2"));
    f.put("metal", col("m_metal"));
    f.put("market", col("m_market"));
    f.put("series", col("m_series"));
    f.put("basis", lit(null).cast("string"));
    f.put("price", trim(col("__raw")));
    f.put("currency", col("m_currency"));
    f.put("unit", col("m_unit"));
    f.put("unit_reported", col("__unit"));
    f.put("source", lit(SOURCE));
    f.put("release", col("__release"));
    f.put(
        "_skip_reason",
        when(
            noFigure,
            concat(
                lit("no figure published for "),
                code,
                lit(" in "),
                period,
                lit(" ("),
                Reasons.quoted(trim(col("__raw"))),
                lit(")"))));
    f.put(
        "_pre_reason",
        Reasons.all(
            Reasons.malformedLine(),
            when(col("__unit").isNull(), concat(lit("no unit in the sheet for "), code)),
            when(
                unitKey.notEqual(expectedUnitKey),
                concat(
                    lit("unit "),
                    Reasons.quoted(col("__unit")),
                    lit(" in the sheet for "),
                    code,
                    lit(", ref price_series.csv expects "),
                    Reasons.quoted(col("m_unit_reported"))))));
    Dataset<Row> facts = PricesConformer.candidates(mapped, f);

    // Records that give no fact: months without a mapped series, and the rows above the header.
    Dataset<Row> withFact =
        facts.select(col("_file_id").as("__wf"), col("_line").as("__wl")).distinct();
    Dataset<Row> records =
        cells
            .dropDuplicates("_file_id", "_line")
            .join(
                withFact,
                col("_file_id").equalTo(col("__wf")).and(col("_line").equalTo(col("__wl"))),
                "left_anti");
    Map<String, Column> r = emptyCandidate();
    r.put(
        "_skip_reason",
        when(col("__kind").equalTo("month"), lit("no series of ref price_series.csv in this row"))
            .when(col("__kind").equalTo("title"), lit("title row"))
            .when(col("__kind").equalTo("note"), lit("a note below the months (no figures)"))
            .when(
                col("__kind").equalTo("updated"),
                lit("the sheet's update date (kept as the release of its prices)"))
            .when(col("__kind").equalTo("names"), lit("series names (read with their figures)"))
            .when(col("__kind").equalTo("units"), lit("series units (read with their figures)")));
    r.put(
        "_pre_reason",
        coalesce(
            Reasons.malformedLine(),
            when(
                col("__kind").equalTo("bad"),
                concat(
                    lit("impossible period "),
                    Reasons.quoted(col("period")),
                    lit(" (YYYYMmm, e.g. 1960M01)")))));
    Dataset<Row> others = PricesConformer.candidates(records, r);

    // Series outside the mapping: one skipped row each, on the series names row, with the number
    // of its figures the file has.
    Dataset<Row> namesRows =
        cells.filter(col("__kind").equalTo("names")).dropDuplicates("_file_id", "_line");
    Dataset<Row> outOfScope =
        namesRows
            .select(
                col("_batch_id"),
                col("_file_id"),
                col("_source_file"),
                col("_line"),
                col("_format"),
                col("_fields"),
                col("_expected_fields"))
            .join(columns, col("_file_id").equalTo(col("__cf")))
            .join(mapping, col("__ck").equalTo(col("m_key")), "left_anti")
            .filter(col("__figures").gt(0));
    Map<String, Column> o = emptyCandidate();
    o.put(
        "_skip_reason",
        concat(
            lit("series "),
            code,
            lit(" ("),
            coalesce(col("__name"), lit("no name")),
            lit(", "),
            coalesce(col("__unit"), lit("no unit")),
            lit(") is not in ref price_series.csv (out of scope): "),
            format_string("%d", col("__figures")),
            lit(" monthly figures not read")));
    o.put("_pre_reason", lit(null).cast("string"));
    Dataset<Row> skippedSeries = PricesConformer.candidates(outOfScope, o);

    Dataset<Row> all = facts.unionByName(others).unionByName(skippedSeries);
    return Map.of(Tables.PRICES, PricesConformer.conform(all, ref));
  }

  /** Candidate columns of a record that gives no fact: the source, nothing else. */
  private static Map<String, Column> emptyCandidate() {
    Map<String, Column> m = new HashMap<>();
    for (String c : PricesConformer.SOURCE_COLUMNS) {
      m.put(c, lit(null).cast("string"));
    }
    m.put("source", lit(SOURCE));
    return m;
  }
}
