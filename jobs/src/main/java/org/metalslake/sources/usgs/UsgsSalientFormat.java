package org.metalslake.sources.usgs;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.negate;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.metalslake.conform.ProductionConformer;
import org.metalslake.conform.Reasons;
import org.metalslake.conform.StocksConformer;
import org.metalslake.conform.TradeConformer;
import org.metalslake.ref.Keys;
import org.metalslake.ref.RefData;
import org.metalslake.sources.BasicFormat;
import org.metalslake.sources.Header;
import org.metalslake.storage.TableId;
import org.metalslake.storage.Tables;

/**
 * USGS Mineral Commodity Summaries salient statistics ({@code mcs20NN-xxxxx_salient.csv}) as
 * released: one row per year of U.S. production, trade, stocks, consumption and the published net
 * import reliance. Columns differ per commodity; ref usgs_salient_columns.csv maps each column to a
 * measure, metal, stage (the stage of the supply balance it counts towards), unit and basis. The
 * columns of one measure and stage are summed into one fact per year (their names are kept), so
 * silver holds the figures USGS's own balance uses: production → silver.production, imports and
 * exports → silver.trade_flows (partner World), stocks → silver.stocks, published apparent
 * consumption and NIR → silver.published_balance.
 *
 * <p>Codes: {@code W} withheld (a withheld production makes the balance unknown), {@code NA} not
 * available, {@code Less than ½ unit.} ≈ 0, {@code E} net exporter, bounds such as {@code >75},
 * U+2212 as minus. Blank trailing rows are counted and skipped.
 */
public final class UsgsSalientFormat extends BasicFormat {
  public static final String SOURCE = "usgs_mcs_salient";

  /** The columns every salient file has; the others are the commodity's own measures. */
  static final List<String> FIXED = List.of("data_source", "commodity", "year");

  public UsgsSalientFormat() {
    super(
        "usgs-salient",
        "DataSource,Commodity,Year,<commodity columns per ref usgs_salient_columns.csv>",
        Tables.USGS_SALIENT_RAW,
        FIXED);
  }

  @Override
  public Map<String, String> aliases() {
    return Map.of("source", "data_source");
  }

  /** USGS revises its figures release by release: each release's are kept as vintages. */
  @Override
  public boolean keepsVintages() {
    return true;
  }

  @Override
  public boolean matches(Header header) {
    return header.has("commodity")
        && header.has("year")
        && (header.has("datasource") || header.has("source"))
        && !header.has("country")
        && header.keys().stream().anyMatch(h -> h.contains("imports"));
  }

  private static Column isLessThanHalf(Column raw) {
    return lower(raw).startsWith("less than");
  }

  private static Column isCode(Column raw) {
    return upper(raw)
        .isin("W", "NA", "E", "--", "—")
        .or(isLessThanHalf(raw))
        .or(raw.rlike("^[<>]\\s*[0-9.]+$"));
  }

  /** A figure marked estimated by a glued {@code e} ({@code e150}, MCS2024 copper). */
  static Column isMarkedEstimated(Column raw) {
    return raw.rlike("^[eE]\\s*[0-9]");
  }

  /**
   * A salient figure as a number: an estimate marker ({@code e150}) and thousands separators
   * ({@code "84,000"}, MCS2022 nickel) dropped, blanks and U+2212 as {@link
   * ProductionConformer#number}.
   */
  static Column number(Column raw) {
    Column unmarked =
        when(
                isMarkedEstimated(raw),
                org.apache.spark.sql.functions.regexp_replace(raw, "^[eE]", ""))
            .otherwise(raw);
    Column plain =
        when(
                unmarked.rlike("^\\s*[-\u2212]?[0-9]{1,3}(,[0-9]{3})+(\\.[0-9]+)?\\s*$"),
                org.apache.spark.sql.functions.regexp_replace(unmarked, ",", ""))
            .otherwise(unmarked);
    return ProductionConformer.number(plain);
  }

  private static Column parsed(Column raw, Column factor) {
    return when(isLessThanHalf(raw), lit(0.0))
        .when(isCode(raw), lit(null).cast(DataTypes.DoubleType))
        .otherwise(number(raw).multiply(factor));
  }

  private static double factor(String unit) {
    return switch (unit == null ? "" : unit.trim()) {
      case "kt" -> 1000.0;
      case "kg" -> 0.001;
      case "t", "pct" -> 1.0;
      default ->
          throw new IllegalArgumentException(
              "usgs_salient_columns.csv: unit '" + unit + "' is not t, kt, kg or pct");
    };
  }

  private static String emptyToDefault(String s, String d) {
    return s == null || s.isBlank() ? d : s.trim();
  }

  @Override
  public Map<TableId, Dataset<Row>> conform(Dataset<Row> bronze, RefData ref) {
    Dataset<Row> kept = facts(bronze, ref);
    Column year = trim(col("year"));
    Column release = UsgsWorldFormat.release(col("data_source"));
    Column blank = col("commodity").isNull().and(year.isNull().or(year.equalTo("")));
    Column noFact =
        when(
            col("__known").unary_$bang(),
            concat(
                lit("no column mapping for USGS salient commodity "),
                Reasons.quoted(col("commodity")),
                lit(" (ref usgs_salient_columns.csv)")));
    Column empty =
        when(blank, lit("blank row"))
            .when(
                col("__known").and(col("__fact").isNull()),
                lit("no figure published in this row (NA throughout)"));
    Column measure = col("__fact.measure");
    Column value = col("__fact.value");
    Column quantity = when(col("__fact.withheld"), lit("W")).otherwise(value.cast("string"));
    Column pre = coalesce(Reasons.malformedLine(), col("__fact.bad"));

    // Production (and the records that carry no fact at all, for their quarantine row).
    Map<String, Column> p = new HashMap<>();
    p.put("period", year);
    p.put("country", lit("USA"));
    p.put("region", lit(null).cast("string"));
    p.put("metal", col("__fact.metal"));
    p.put("stage", col("__fact.stage"));
    p.put("quantity", quantity);
    p.put("unit", lit("t"));
    p.put("basis", col("__fact.basis"));
    p.put("source", lit(SOURCE));
    p.put("flag", when(col("__fact.estimated"), lit("e")));
    p.put("release", release);
    p.put("_skip_reason", empty);
    p.put("_pre_reason", coalesce(pre, when(blank.unary_$bang(), noFact)));
    Dataset<Row> production =
        ProductionConformer.conform(
            ProductionConformer.candidates(
                kept.filter(col("__fact").isNull().or(measure.equalTo("production"))), p),
            ref);

    Map<String, Column> t = new HashMap<>();
    t.put("period", year);
    t.put("reporter", lit("USA"));
    t.put("partner", lit("World"));
    t.put("flow", when(measure.equalTo("imports"), lit("M")).otherwise(lit("X")));
    // Column names repeat across commodities (copper's and zinc's Imports_Refined_kt): the label
    // names the commodity too, or one file's flows would replace the other's.
    t.put("commodity", concat(trim(col("commodity")), lit(": "), col("__fact.columns")));
    t.put("metal", col("__fact.metal"));
    t.put("stage", col("__fact.stage"));
    t.put("quantity", quantity);
    t.put("unit", lit("t"));
    t.put("basis", col("__fact.basis"));
    t.put("value_usd", lit(null).cast("string"));
    t.put("source", lit(SOURCE));
    t.put("flag", when(col("__fact.withheld"), lit("W")));
    t.put("release", release);
    t.put("_pre_reason", pre);
    Dataset<Row> trade =
        TradeConformer.conform(
            TradeConformer.candidates(kept.filter(measure.isin("imports", "exports")), t), ref);

    Map<String, Column> s = new HashMap<>();
    s.put("period", year);
    s.put("country", lit("USA"));
    s.put("metal", col("__fact.metal"));
    s.put("stage", col("__fact.stage"));
    s.put(
        "series",
        when(measure.equalTo("stock_release"), lit("government_release"))
            .when(measure.equalTo("stock_change"), lit("change"))
            .otherwise(lit("total")));
    s.put("basis", col("__fact.basis"));
    s.put("stock_level", when(measure.equalTo("stock_level"), quantity));
    s.put(
        "stock_change",
        when(measure.equalTo("stock_change"), quantity)
            .when(measure.equalTo("stock_release"), negate(value).cast("string")));
    s.put("unit", lit("t"));
    s.put("source", lit(SOURCE));
    s.put("flag", lit(null).cast("string"));
    s.put("release", release);
    s.put("_pre_reason", pre);
    Dataset<Row> stocks =
        StocksConformer.conform(
            StocksConformer.candidates(
                kept.filter(measure.isin("stock_level", "stock_change", "stock_release")), s),
            ref);

    Dataset<Row> published = published(kept, year, release, pre, ref);

    Map<TableId, Dataset<Row>> out = new LinkedHashMap<>();
    out.put(Tables.PRODUCTION, production);
    out.put(Tables.TRADE_FLOWS, trade);
    out.put(Tables.STOCKS, stocks);
    out.put(Tables.PUBLISHED_BALANCE, published);
    return out;
  }

  /**
   * Bronze records joined to their facts ({@code __fact}: measure, metal, stage, basis, method,
   * columns, value, withheld, text, bad), one row per fact; a record with no fact keeps one row
   * with a null {@code __fact}, and {@code __known} says whether its commodity has a mapping. The
   * mapping is applied as data (a join on commodity and column), not as one expression per column.
   */
  static Dataset<Row> facts(Dataset<Row> bronze, RefData ref) {
    java.util.Set<String> commodities = commodities(ref);
    Dataset<Row> mapping = mapping(bronze.sparkSession(), ref, false);
    Column commodityKey = Keys.normalise(col("commodity"));
    Dataset<Row> cells =
        bronze.select(
            col("_file_id").as("__f"),
            col("_line").as("__l"),
            commodityKey.as("__ck"),
            UsgsWorldFormat.release(col("data_source")).as("__rel"),
            explode(cells(bronze)).as(new String[] {"__col", "__cell"}));
    // A release's own row (an override) wins over the row for every release.
    Dataset<Row> joined =
        cells
            .join(
                broadcast(mapping),
                col("__ck")
                    .equalTo(col("m_commodity"))
                    .and(col("__col").equalTo(col("m_column")))
                    .and(col("m_release").isNull().or(col("m_release").equalTo(col("__rel")))))
            .withColumn(
                "__pick",
                org.apache
                    .spark
                    .sql
                    .functions
                    .row_number()
                    .over(
                        org.apache.spark.sql.expressions.Window.partitionBy(
                                col("__f"), col("__l"), col("__col"))
                            .orderBy(col("m_release").asc_nulls_last())))
            .filter(col("__pick").equalTo(1))
            .filter(col("measure").notEqual("not_used"))
            .withColumn("__raw", col("__cell.raw"))
            .withColumn("factor", coalesce(col("__cell.factor"), col("m_factor")));
    Dataset<Row> mapped =
        joined
            .withColumn("__r", trim(col("__raw")))
            .withColumn("__v", parsed(col("__r"), col("factor")))
            .withColumn(
                "__bad",
                when(
                    col("__r")
                        .isNotNull()
                        .and(col("__r").notEqual(""))
                        .and(isCode(col("__r")).unary_$bang())
                        .and(number(col("__r")).isNull()),
                    concat(
                        lit("unparseable number "),
                        Reasons.quoted(col("__r")),
                        lit(" in column "),
                        col("m_name"))));
    Dataset<Row> grouped =
        mapped
            .groupBy(
                col("__f"),
                col("__l"),
                col("measure"),
                col("metal"),
                col("stage"),
                col("basis"),
                col("method"))
            .agg(
                sum("__v").as("value"),
                max(coalesce(upper(col("__r")).equalTo("W"), lit(false))).as("withheld"),
                max(isMarkedEstimated(col("__r"))).as("estimated"),
                concat_ws("+", collect_list(col("__r"))).as("text"),
                concat_ws("+", array_sort(collect_list(col("m_name")))).as("columns"),
                first(col("__bad"), true).as("bad"))
            // A figure published as NA is no figure; only the NIR keeps its text (E, >75).
            .filter(
                col("value")
                    .isNotNull()
                    .or(col("withheld"))
                    .or(col("measure").equalTo("nir").and(col("text").notEqual(""))))
            .select(
                col("__f"),
                col("__l"),
                struct(
                        col("measure"),
                        col("metal"),
                        col("stage"),
                        col("basis"),
                        col("method"),
                        col("columns"),
                        col("value"),
                        col("withheld"),
                        col("estimated"),
                        when(col("text").notEqual(""), col("text")).as("text"),
                        col("bad"))
                    .as("__fact"));
    return bronze
        .withColumn("__known", commodityKey.isin(commodities.toArray()))
        .join(
            grouped,
            col("_file_id").equalTo(col("__f")).and(col("_line").equalTo(col("__l"))),
            "left")
        .drop("__f", "__l");
  }

  /** The commodities the mapping has rows for, normalised as records' commodities are. */
  static java.util.Set<String> commodities(RefData ref) {
    java.util.Set<String> out = new java.util.LinkedHashSet<>();
    for (Map<String, String> m : ref.salientColumns()) {
      out.add(Keys.normalise(m.get("commodity")));
    }
    return out;
  }

  /**
   * The mapping as a table: commodity and column meaning ({@link SalientColumn}) per spelling, the
   * release a row is limited to (null: every release), measure, metal, stage, basis, method, the
   * mapping's own unit factor and the name facts list it under. With {@code all}, {@code not_used}
   * rows are kept too (to tell a known column from an unknown one).
   */
  static Dataset<Row> mapping(org.apache.spark.sql.SparkSession spark, RefData ref, boolean all) {
    List<Row> rows = new ArrayList<>();
    for (Map<String, String> m : ref.salientColumns()) {
      String[] spellings = m.get("column").split("\\|");
      String release = m.get("release");
      String[] releases =
          release == null || release.isBlank() ? new String[] {null} : release.split("\\|");
      boolean used = !m.get("measure").equals("not_used");
      for (String spelling : spellings) {
        for (String r : releases) {
          rows.add(
              org.apache.spark.sql.RowFactory.create(
                  Keys.normalise(m.get("commodity")),
                  SalientColumn.of(spelling).meaning(),
                  r == null ? null : r.trim().toUpperCase(java.util.Locale.ROOT),
                  spellings[0].trim(),
                  m.get("measure"),
                  used ? m.get("metal") : null,
                  used ? m.get("stage") : null,
                  emptyToDefault(m.get("basis"), "metal_content"),
                  emptyToDefault(m.get("method"), "trade"),
                  used ? factor(m.get("unit")) : null));
        }
      }
    }
    return spark.createDataFrame(
        rows,
        org.apache.spark.sql.types.StructType.fromDDL(
            "m_commodity STRING, m_column STRING, m_release STRING, m_name STRING, measure STRING,"
                + " metal STRING, stage STRING, basis STRING, method STRING, m_factor DOUBLE"));
  }

  /**
   * The commodity's own columns of a record as a map from column meaning to the cell (its raw text,
   * the factor its name's unit states, the bronze column), blank cells left out. Columns that mean
   * the same in one file cannot occur: a header has each measure once.
   */
  static Column cells(Dataset<Row> bronze) {
    // Bronze columns by meaning: two spellings of one meaning in one batch (Consump_ and
    // Consump_t) are never both filled in one record, so one map entry takes whichever is.
    Map<String, List<String>> byMeaning = new LinkedHashMap<>();
    for (String c : bronze.columns()) {
      if (!c.startsWith("_") && !FIXED.contains(c)) {
        byMeaning.computeIfAbsent(SalientColumn.of(c).meaning(), k -> new ArrayList<>()).add(c);
      }
    }
    List<Column> kv = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : byMeaning.entrySet()) {
      Column raw = null;
      Column factor = null;
      Column name = null;
      for (String o : e.getValue()) {
        Column filled = trim(col(o)).notEqual("");
        Double f = SalientColumn.of(o).factor();
        raw = raw == null ? when(filled, col(o)) : raw.when(filled, col(o));
        Column fv = f == null ? lit(null).cast("double") : lit(f);
        factor = factor == null ? when(filled, fv) : factor.when(filled, fv);
        name = name == null ? when(filled, lit(o)) : name.when(filled, lit(o));
      }
      kv.add(lit(e.getKey()));
      kv.add(struct(raw.as("raw"), factor.as("factor"), name.as("column")));
    }
    if (kv.isEmpty()) {
      return org.apache.spark.sql.functions.map();
    }
    return org.apache.spark.sql.functions.map_filter(
        org.apache.spark.sql.functions.map(kv.toArray(new Column[0])),
        (k, v) -> v.getField("raw").isNotNull());
  }

  /**
   * Columns with figures that the mapping does not know for their commodity, one message per file
   * and column: they are not read, and the user is told.
   */
  @Override
  public List<String> warnings(Dataset<Row> bronze, RefData ref) {
    java.util.Set<String> commodities = commodities(ref);
    Dataset<Row> known =
        mapping(bronze.sparkSession(), ref, true).select("m_commodity", "m_column").distinct();
    Column commodityKey = Keys.normalise(col("commodity"));
    Dataset<Row> unknown =
        bronze
            .filter(commodityKey.isin(commodities.toArray()))
            .select(
                col("_source_file"),
                commodityKey.as("__ck"),
                explode(cells(bronze)).as(new String[] {"__col", "__cell"}))
            .join(
                broadcast(known),
                col("__ck").equalTo(col("m_commodity")).and(col("__col").equalTo(col("m_column"))),
                "left_anti")
            .select(col("_source_file"), col("__cell.column").as("column"))
            .distinct()
            .orderBy("_source_file", "column");
    List<String> out = new ArrayList<>();
    for (Row r : unknown.collectAsList()) {
      out.add(
          "USGS salient file "
              + r.getString(0)
              + ": column '"
              + r.getString(1)
              + "' is not in the column mapping (ref usgs_salient_columns.csv) and was not read");
    }
    return out;
  }

  private static Dataset<Row> published(
      Dataset<Row> kept, Column year, Column release, Column pre, RefData ref) {
    Column measure = col("__fact.measure");
    Dataset<Row> df =
        kept.filter(measure.isin("apparent_consumption", "reported_consumption", "nir"))
            .withColumn("__year", year.try_cast("int"));
    df = ref.withMetal(df, "__fact.metal", "__metal");
    df = ref.withStage(df, "__fact.stage", "__stage");
    Column reason =
        Reasons.all(
            pre,
            when(col("__year").isNull(), concat(lit("impossible period "), Reasons.quoted(year))),
            when(col("__metal").isNull(), lit("unknown metal in the column mapping")),
            when(col("__stage").isNull(), lit("unknown stage in the column mapping")));
    String text = "__fact.text";
    return Reasons.judged(df, reason)
        .select(
            org.metalslake.conform.Outcome.withOutcome(
                lit(SOURCE).as("source"),
                lit("USA").as("country_iso3"),
                col("__metal").as("metal"),
                col("__stage").as("stage"),
                col("__fact.basis").as("basis"),
                measure.as("measure"),
                col("__year").cast("string").as("period"),
                col("__year").as("year"),
                col("__fact.value").as("value"),
                col(text).as("value_text"),
                when(measure.equalTo("nir"), col("__fact.method")).as("method"),
                col("__fact.columns").as("columns"),
                when(col("__fact.withheld"), lit("W")).as("flags"),
                release.as("release")));
  }
}
